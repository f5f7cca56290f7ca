"""`yichuang kiosk-create --centre CODE --code CODE --name NAME [--location …]`: register a
self-service kiosk and print its pairing token — once; only its hash is stored."""

from __future__ import annotations

from django.core.management import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.common.errors import DomainError
from yichuang.hall.services.kiosk import kiosk_create
from yichuang.orgs.models import Centre


class Command(BaseCommand):
    help = "登记一台自助终端并显示其配对码（仅显示一次）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--centre", required=True, help="服务中心代码")
        parser.add_argument("--code", required=True, help="终端编号，如 hall-1")
        parser.add_argument("--name", required=True, help="终端名称")
        parser.add_argument("--location", default="", help="位置")

    def handle(self, *args, **options) -> None:
        centre = Centre.objects.filter(code=options["centre"]).first()
        if centre is None:
            raise CommandError(_("没有代码为「%(code)s」的服务中心") % {"code": options["centre"]})
        try:
            kiosk, token = kiosk_create(
                centre=centre,
                code=options["code"],
                name=options["name"],
                location=options["location"],
            )
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        self.stdout.write(
            _("已登记自助终端 %(code)s（%(name)s）") % {"code": kiosk.code, "name": kiosk.name}
        )
        self.stdout.write(_("配对码（只显示这一次，请妥善保管）："))
        self.stdout.write(token)
        self.stdout.write(
            _("在终端浏览器中打开 %(path)s 并输入配对码完成配对。")
            % {"path": reverse("hall:kiosk_pair")}
        )
