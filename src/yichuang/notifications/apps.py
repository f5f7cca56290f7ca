from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "yichuang.notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from yichuang.notifications.hooks import hooks_register

        hooks_register()
