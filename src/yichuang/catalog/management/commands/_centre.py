"""The --centre option shared by the catalogue commands."""

from __future__ import annotations

from django.core.management import CommandError
from django.utils.translation import gettext as _

from yichuang.orgs.models import Centre


def centre_from_option(code: str | None) -> Centre:
    """The centre named by --centre; without it, the only centre there is."""
    if code:
        centre = Centre.objects.filter(code=code).first()
        if centre is None:
            raise CommandError(_("没有代码为「%(code)s」的服务中心") % {"code": code})
        return centre
    centres = list(Centre.objects.order_by("path"))
    if len(centres) != 1:
        raise CommandError(
            _("请用 --centre 指定服务中心代码（可选：%(codes)s）")
            % {"codes": "、".join(c.code for c in centres) or "—"}
        )
    return centres[0]
