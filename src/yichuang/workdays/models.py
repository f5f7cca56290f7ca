"""The holiday calendar: day overrides and the years whose data is known.

The tables are the source of truth (seeded from `chinesecalendar` by a data migration);
the arithmetic lives in the pure module `calendar.py`. Write only through `services.py`,
which also bumps the `CalendarRevision` so every app server reloads its cached calendar.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from yichuang.common.models import TimeStampedModel


class OverrideKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假（休息日）")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据包")
    STATE_COUNCIL_NOTICE = "state_council_notice", _("国务院办公厅通知")
    LOCAL = "local", _("地方规定")
    ADMIN = "admin", _("管理员录入")


class DayOverride(TimeStampedModel):
    """A day that departs from the Monday–Friday rule: a holiday or a make-up working day."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OverrideKind.choices)
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如：国庆节、春节"))
    source = models.CharField(
        _("来源"), max_length=30, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OverrideKind.values), name="dayoverride_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=CalendarSource.values),
                name="dayoverride_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"


class CalendarYear(TimeStampedModel):
    """A year whose holidays and make-up days are entered: results in it are final.

    A year without a row is counted Monday–Friday and every result touching it is
    marked provisional.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("来源"), max_length=30, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )
    note = models.CharField(
        _("备注"), max_length=300, blank=True, help_text=_("例如：国办发明电〔2026〕X号")
    )

    class Meta:
        verbose_name = _("已录入年度")
        verbose_name_plural = _("已录入年度")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1, year__lte=9999), name="calendaryear_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=CalendarSource.values),
                name="calendaryear_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


def new_revision_token() -> str:
    return uuid.uuid4().hex


class CalendarRevision(models.Model):
    """One row whose token changes whenever the calendar data changes.

    Every app server keeps a built calendar in memory together with the token it was built
    at, and compares tokens (one primary-key read) before using it. A random token, not a
    counter, so a rolled-back change can never be mistaken for a later one.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    token = models.CharField(_("版本标识"), max_length=32, default=new_revision_token)
    changed_at = models.DateTimeField(_("变更时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return self.token
