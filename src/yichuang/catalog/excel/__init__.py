"""Excel import and export of the service catalogue.

The workbook follows the column template of docs/catalog-excel-template.md: four sheets
(事项, 材料, 流程, 一件事), a Chinese header row, choice columns written with the models'
Chinese labels. `columns.COLUMNS` is the one definition of that template; the
parser, the writer, the blank template and the document all follow it.

`import_catalog` is all or nothing: every row of every sheet is checked (cell types,
labels, departments, windows, duplicate codes, references between sheets and the publish
rules of `catalog.rules`), every problem is collected with its sheet, row and column, and
when there is any, nothing is written and `ImportRejected` carries the list.

The package: `columns` (the template and cells), `reading` (parsing and checking a
workbook), `importing` (writing it through the catalogue services), `exporting`.
"""

from yichuang.catalog.excel.columns import COLUMNS, ITEM_COLUMNS
from yichuang.catalog.excel.exporting import (
    export_catalog,
    export_template,
    published_versions_of,
)
from yichuang.catalog.excel.importing import (
    ImportRejected,
    ImportReport,
    bundle_content,
    import_catalog,
)
from yichuang.catalog.excel.reading import ImportFileInvalid, RowError, version_content

__all__ = [
    "COLUMNS",
    "ITEM_COLUMNS",
    "ImportFileInvalid",
    "ImportRejected",
    "ImportReport",
    "RowError",
    "bundle_content",
    "export_catalog",
    "export_template",
    "import_catalog",
    "published_versions_of",
    "version_content",
]
