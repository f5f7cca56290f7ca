"""The hall (办事大厅): queues and tickets, windows' sessions, appointments, kiosks,
assisted handling (帮办代办) and home visits (上门服务).

Conventions (domain/RULES.md §7): a ticket number is the queue's letter plus a daily
sequence (A001, A002 …), reset each day, and stays the same through transfers (一票到底).
Every change of a ticket appends a `TicketEvent`; the calling screen reads the calls from
there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yichuang.common.models import TimeStampedModel


class Queue(TimeStampedModel):
    """A line of visitors for one kind of business (综合受理, 不动产, 税务, 出件 …)."""

    centre = models.ForeignKey(
        "orgs.Centre", verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="queues"
    )
    code = models.CharField(
        _("字母"), max_length=1, help_text=_("取号的字母，如 A；中心内唯一，A–Z")
    )
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    windows = models.ManyToManyField(
        "orgs.Window", verbose_name=_("服务窗口"), related_name="queues", blank=True
    )
    service_minutes = models.PositiveSmallIntegerField(
        _("平均办理时长（分钟）"),
        default=10,
        help_text=_("当天还没有办完的号时，用它估算等候时间"),
    )
    slot_capacity = models.PositiveSmallIntegerField(
        _("每个预约时段的名额"), default=0, help_text=_("0 表示该队列不接受预约")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("排队队列")
        verbose_name_plural = _("排队队列")
        ordering = ["centre", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="queue_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]$"), name="queue_code_is_a_capital_letter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TicketCounter(models.Model):
    """The last sequence given in a queue on a day; incremented under its row lock."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["queue", "day"], name="ticket_counter_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.queue_id}/{self.day}: {self.last}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("办理中")
    DONE = "done", _("已办结")
    MISSED = "missed", _("已过号")
    CANCELLED = "cancelled", _("已取消")
    EXPIRED = "expired", _("当日未叫号")


class Priority(models.TextChoices):
    """Reasons for the priority lane (绿色通道, 国办发〔2020〕45号) and other priority."""

    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残疾人")
    PREGNANT = "pregnant", _("孕妇")
    MILITARY = "military", _("军人军属、烈士遗属")
    SERIOUSLY_ILL = "seriously_ill", _("重病患者")
    APPOINTMENT = "appointment", _("预约")
    TRANSFER = "transfer", _("转办")


# Reasons a visitor may state when taking a ticket; the others are set by the system.
PRIORITY_CLAIMABLE = (
    Priority.ELDERLY,
    Priority.DISABLED,
    Priority.PREGNANT,
    Priority.MILITARY,
    Priority.SERIOUSLY_ILL,
)


class TakenVia(models.TextChoices):
    KIOSK = "kiosk", _("自助终端")
    PORTAL = "portal", _("网上取号")
    WINDOW = "window", _("窗口代取")
    APPOINTMENT = "appointment", _("预约签到")
    API = "api", _("接口")


class Ticket(models.Model):
    """A queue number (排队号). Its `number` stays the same through transfers."""

    centre = models.ForeignKey(
        "orgs.Centre", verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"))
    number = models.CharField(_("号码"), max_length=8)
    origin_queue = models.ForeignKey(
        Queue, verbose_name=_("取号队列"), on_delete=models.PROTECT, related_name="+"
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("当前队列"), on_delete=models.PROTECT, related_name="tickets"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    priority = models.CharField(_("优先原因"), max_length=16, choices=Priority.choices, blank=True)
    # 0 for the priority lane, 1 for everyone else: the first key of the calling order.
    rank = models.PositiveSmallIntegerField(_("叫号顺序级别"), default=1)
    queued_at = models.DateTimeField(_("排队时间"), help_text=_("取号、转办或重新排队的时间"))
    taken_at = models.DateTimeField(_("取号时间"))
    taken_via = models.CharField(_("取号方式"), max_length=12, choices=TakenVia.choices)
    applicant = models.ForeignKey(
        "identity.Applicant",
        verbose_name=_("申请人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    # Set when the ticket was transferred to one window: only that window calls it.
    target_window = models.ForeignKey(
        "orgs.Window",
        verbose_name=_("指定窗口"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    window = models.ForeignKey(
        "orgs.Window",
        verbose_name=_("办理窗口"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    served_by = models.ForeignKey(
        "orgs.Staff",
        verbose_name=_("办理人员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    call_count = models.PositiveSmallIntegerField(_("呼叫次数"), default=0)
    first_called_at = models.DateTimeField(_("首次叫号时间"), null=True, blank=True)
    called_at = models.DateTimeField(_("本次叫号时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The ticket page's address: unguessable, so a ticket is followed without a login.
    public_token = models.CharField(max_length=32, unique=True, editable=False)

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["-day", "rank", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "day", "number"], name="ticket_unique_number_per_day"
            ),
            models.CheckConstraint(condition=Q(rank__in=[0, 1]), name="ticket_rank_0_or_1"),
        ]
        indexes = [
            # "call next": the waiting tickets of some queues in calling order.
            models.Index(
                fields=["queue", "rank", "queued_at", "id"],
                condition=Q(status="waiting"),
                name="ticket_waiting_order",
            ),
            models.Index(fields=["centre", "day", "status"], name="ticket_day_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.day})"


class TicketCase(models.Model):
    """A case opened for the holder of a ticket (one visit may open several cases)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="case_links")
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="ticket_link")
    linked_at = models.DateTimeField(_("关联时间"))

    class Meta:
        verbose_name = _("排队号关联办件")
        verbose_name_plural = _("排队号关联办件")

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.case_id}"


class TicketEventKind(models.TextChoices):
    TAKEN = "taken", _("取号")
    CHECKED_IN = "checked_in", _("预约签到")
    CALLED = "called", _("叫号")
    RECALLED = "recalled", _("重呼")
    MISSED = "missed", _("过号")
    REINSERTED = "reinserted", _("过号重排")
    TRANSFERRED = "transferred", _("转办")
    DONE = "done", _("办结")
    CANCELLED = "cancelled", _("取消")
    EXPIRED = "expired", _("当日未叫号")


# Events the calling screen announces.
ANNOUNCED_EVENTS = (TicketEventKind.CALLED, TicketEventKind.RECALLED)


class TicketEvent(models.Model):
    """What happened to a ticket, appended and never changed."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    centre = models.ForeignKey("orgs.Centre", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=12, choices=TicketEventKind.choices)
    at = models.DateTimeField(_("时间"))
    window = models.ForeignKey(
        "orgs.Window", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        "orgs.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("排队号记录")
        verbose_name_plural = _("排队号记录")
        ordering = ["id"]
        indexes = [models.Index(fields=["centre", "kind", "-id"], name="ticket_event_recent")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%H:%M:%S}"


class WindowSession(models.Model):
    """A window officer signed in to a window (窗口签到), until they sign out."""

    window = models.ForeignKey(
        "orgs.Window", verbose_name=_("窗口"), on_delete=models.PROTECT, related_name="sessions"
    )
    staff = models.ForeignKey(
        "orgs.Staff",
        verbose_name=_("工作人员"),
        on_delete=models.PROTECT,
        related_name="window_sessions",
    )
    started_at = models.DateTimeField(_("签到时间"))
    ended_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    paused = models.BooleanField(_("暂停服务"), default=False)
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    current_ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("当前号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("窗口签到")
        verbose_name_plural = _("窗口签到")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["window"], condition=Q(ended_at=None), name="window_one_open_session"
            ),
            models.UniqueConstraint(
                fields=["staff"], condition=Q(ended_at=None), name="staff_one_open_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window_id}/{self.staff_id} {self.started_at:%Y-%m-%d %H:%M}"


class AppointmentSlot(models.Model):
    """A bookable period of one queue on one working day, with its capacity."""

    queue = models.ForeignKey(
        Queue, verbose_name=_("队列"), on_delete=models.CASCADE, related_name="slots"
    )
    day = models.DateField(_("日期"))
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))
    capacity = models.PositiveSmallIntegerField(_("名额"))
    booked = models.PositiveSmallIntegerField(_("已预约"), default=0)

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["day", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "day", "starts"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=Q(starts__lt=models.F("ends")), name="slot_starts_before_end"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts:%H:%M}-{self.ends:%H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    CHECKED_IN = "checked_in", _("已签到")
    NO_SHOW = "no_show", _("爽约")


class Appointment(TimeStampedModel):
    """A real-name booking of a slot (预约办事)."""

    code = models.CharField(_("预约号"), max_length=20, unique=True)
    applicant = models.ForeignKey(
        "identity.Applicant",
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    slot = models.ForeignKey(
        AppointmentSlot,
        verbose_name=_("时段"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    day = models.DateField(_("日期"))
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("办理事项"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("签到取号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
    )

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-day", "slot__starts"]
        constraints = [
            # One per person per day, enforced by the database under concurrency.
            models.UniqueConstraint(
                fields=["applicant", "day"],
                condition=~Q(status="cancelled"),
                name="appointment_one_per_person_per_day",
            ),
        ]


class Kiosk(TimeStampedModel):
    """A self-service terminal (自助终端) in the hall, paired with a browser by a token."""

    centre = models.ForeignKey(
        "orgs.Centre", verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="kiosks"
    )
    code = models.SlugField(_("编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    # SHA-256 of the pairing token; the token itself is shown once, when it is made.
    token_hash = models.CharField(max_length=64, editable=False, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("自助终端")
        verbose_name_plural = _("自助终端")
        ordering = ["centre", "code"]

    def __str__(self) -> str:
        return self.name


class KioskSession(models.Model):
    """One person signed in at a kiosk with their ID card, until they leave or it times out."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="sessions")
    applicant = models.ForeignKey(
        "identity.Applicant", on_delete=models.PROTECT, related_name="kiosk_sessions"
    )
    key = models.CharField(max_length=64, unique=True, editable=False)
    started_at = models.DateTimeField(_("登录时间"))
    last_touch_at = models.DateTimeField(_("最后操作时间"))
    ended_at = models.DateTimeField(_("退出时间"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("自助终端登录")
        verbose_name_plural = _("自助终端登录")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kiosk_id} {self.started_at:%Y-%m-%d %H:%M}"


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("服务中")
    ENDED = "ended", _("已结束")


class Assignment(TimeStampedModel):
    """A helper (帮办代办员) assigned to an applicant — an enterprise or a person — or a case."""

    centre = models.ForeignKey(
        "orgs.Centre", verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="+"
    )
    helper = models.ForeignKey(
        "orgs.Staff",
        verbose_name=_("帮办代办员"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    applicant = models.ForeignKey(
        "identity.Applicant",
        verbose_name=_("服务对象"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    note = models.CharField(_("服务内容"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    assigned_by = models.ForeignKey(
        "orgs.Staff", verbose_name=_("指派人"), on_delete=models.PROTECT, related_name="+"
    )
    # The applicant's authorisation for the helper to act as their agent (授权委托).
    authorised_at = models.DateTimeField(_("授权时间"), null=True, blank=True)
    authorisation_scope = models.CharField(_("授权范围"), max_length=300, blank=True)
    authorisation_by = models.CharField(
        _("授权人"), max_length=100, blank=True, help_text=_("签署授权的申请人或法定代表人")
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("帮办代办指派")
        verbose_name_plural = _("帮办代办指派")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["helper", "applicant"],
                condition=Q(status="active", case=None),
                name="assignment_one_active_per_helper_applicant",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="active"),
                name="assignment_one_active_per_case",
            ),
        ]


class HomeVisitReason(models.TextChoices):
    ELDERLY = "elderly", _("高龄老人")
    DISABLED = "disabled", _("残疾人")
    ILL = "ill", _("重病或行动不便")
    OTHER = "other", _("其他特殊困难")


class HomeVisitStatus(models.TextChoices):
    REQUESTED = "requested", _("待安排")
    SCHEDULED = "scheduled", _("已安排")
    DONE = "done", _("已上门")
    CANCELLED = "cancelled", _("已取消")


class HomeVisit(TimeStampedModel):
    """A request for staff to come to a person who cannot come to the hall (上门服务)."""

    centre = models.ForeignKey(
        "orgs.Centre", verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        "identity.Applicant",
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="home_visits",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("办理事项"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("原因"), max_length=12, choices=HomeVisitReason.choices)
    description = models.TextField(_("情况说明"), blank=True)
    address = models.CharField(_("上门地址"), max_length=300)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=HomeVisitStatus.choices, default=HomeVisitStatus.REQUESTED
    )
    scheduled_for = models.DateTimeField(_("上门时间"), null=True, blank=True)
    staff = models.ManyToManyField(
        "orgs.Staff", verbose_name=_("上门人员"), related_name="home_visits", blank=True
    )
    visited_at = models.DateTimeField(_("实际上门时间"), null=True, blank=True)
    record = models.TextField(_("上门记录"), blank=True)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("办件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="home_visit",
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("上门服务")
        verbose_name_plural = _("上门服务")
        ordering = ["-created_at"]
