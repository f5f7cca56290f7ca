"""`yichuang import-catalog FILE.xlsx [--centre CODE] [--draft]`: all or nothing."""

from __future__ import annotations

from django.core.management import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from yichuang.catalog import excel
from yichuang.catalog.management.commands._centre import centre_from_option


class Command(BaseCommand):
    help = "从 Excel 工作簿导入事项目录（全部成功才导入）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="按 docs/catalog-excel-template.md 填写的 .xlsx 文件")
        parser.add_argument("--centre", help="服务中心代码（只有一个中心时可省略）")
        parser.add_argument("--draft", action="store_true", help="只保存为草稿，不发布")

    def handle(self, *args, **options) -> None:
        centre = centre_from_option(options["centre"])
        bars: dict[str, tqdm] = {}

        def progress(phase: str, done: int, total: int) -> None:
            bar = bars.get(phase)
            if bar is None:
                bar = bars[phase] = tqdm(
                    total=total, desc=phase, unit="项", file=self.stderr, leave=False
                )
            bar.update(done - bar.n)

        try:
            report = excel.import_catalog(
                options["file"], centre=centre, publish=not options["draft"], progress=progress
            )
        except excel.ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message, returncode=1) from exc
        except excel.ImportFileInvalid as exc:
            raise CommandError(exc.message, returncode=1) from exc
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(
            _("已导入到「%(centre)s」：%(summary)s")
            % {"centre": centre.name, "summary": report.summary()}
        )
        if options["draft"]:
            self.stdout.write(_("新版本已保存为草稿，尚未发布"))
