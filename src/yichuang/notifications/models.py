"""In-app messages to applicants, and the record of reminders already sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yichuang.cases.models import Case


class Message(models.Model):
    """An in-app message (站内消息) to one user about one case event."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("办件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("事件"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("发送时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="message_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """A reminder sent once: `key` names what it was about (e.g. one commitment's
    supplement deadline). The unique key makes two concurrent runs send it only once."""

    key = models.CharField(_("提醒标识"), max_length=100, unique=True)
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("事件"), max_length=50)
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("已发提醒")
        verbose_name_plural = _("已发提醒")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key
