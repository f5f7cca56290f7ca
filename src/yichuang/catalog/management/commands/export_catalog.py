"""`yichuang export-catalog FILE.xlsx [--centre CODE]` and `--template FILE.xlsx`."""

from __future__ import annotations

from django.core.management import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yichuang.catalog import excel
from yichuang.catalog.management.commands._centre import centre_from_option


class Command(BaseCommand):
    help = "把已发布的事项目录导出为 Excel 工作簿，或用 --template 写出空白模板"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="要写入的 .xlsx 文件")
        parser.add_argument("--centre", help="服务中心代码（只有一个中心时可省略）")
        parser.add_argument("--template", action="store_true", help="只写出带表头的空白模板")

    def handle(self, *args, **options) -> None:
        path = options["file"]
        try:
            if options["template"]:
                excel.export_template(file=path)
                self.stdout.write(_("已写出空白模板：%(path)s") % {"path": path})
                return
            centre = centre_from_option(options["centre"])
            count = excel.export_catalog(centre=centre, file=path)
        except OSError as exc:
            raise CommandError(_("无法写入文件：%(error)s") % {"error": exc}) from exc
        self.stdout.write(
            _("已导出「%(centre)s」的 %(count)d 个已发布事项到 %(path)s")
            % {"centre": centre.name, "count": count, "path": path}
        )
