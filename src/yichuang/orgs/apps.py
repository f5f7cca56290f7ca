from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_centre_admin_group(sender, using="default", **kwargs) -> None:
    """After `migrate`, give the centre admins' group every permission of its apps."""
    from yichuang.orgs.services import CENTRE_ADMIN_APPS, centre_admin_group_sync

    if sender.label not in CENTRE_ADMIN_APPS:
        return

    centre_admin_group_sync()


class OrgsConfig(AppConfig):
    name = "yichuang.orgs"
    verbose_name = _("服务中心与组织")

    def ready(self) -> None:
        post_migrate.connect(_sync_centre_admin_group, dispatch_uid="orgs_centre_admin_group")
