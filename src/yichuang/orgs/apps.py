from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "yichuang.orgs"
    verbose_name = _("服务中心与组织")
