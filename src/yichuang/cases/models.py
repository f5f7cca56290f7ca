"""The case (办件) and everything that happens to it.

A case points at the exact published catalogue version it was opened under. Its status
changes only through `cases.workflow` (the transition table) and every change appends a
`CaseEvent`, chained by hashes per case (`cases.history`). `due_date` and
`due_provisional` are derived data (from `cases.deadlines`), stored for inbox ordering and
rewritten by every service that changes one of their inputs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yichuang.cases.workflow import Actor, Status
from yichuang.catalog.models import Material, ServiceItemVersion
from yichuang.common.models import TimeStampedModel
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Centre, Department

# Cases whose deadline runs or is stopped: the ones that can still be late (the condition of
# `case_open_due_idx`; `cases.selectors.OPEN_STATUSES`).
OPEN_STATUS_VALUES = sorted(
    {Status.ACCEPTED, Status.IN_REVIEW, Status.PENDING_DECISION, Status.SUSPENDED}
)


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口受理")
    ONLINE = "online", _("网上申请")
    KIOSK = "kiosk", _("自助终端")
    ASSISTED = "assisted", _("帮办代办")
    HOME_VISIT = "home_visit", _("上门服务")


class Case(TimeStampedModel):
    """One application for one service item version (办件)."""

    number = models.CharField(_("办件编号"), max_length=60, unique=True)
    item_version = models.ForeignKey(
        ServiceItemVersion, verbose_name=_("事项版本"), on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("受理中心"), on_delete=models.PROTECT, related_name="cases"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="cases"
    )
    agent = models.ForeignKey(
        Applicant,
        verbose_name=_("代办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agent_cases",
    )
    agent_name = models.CharField(_("代办人姓名"), max_length=100, blank=True)
    agent_id_number = models.CharField(_("代办人证件号码"), max_length=18, blank=True)
    power_of_attorney = models.BooleanField(_("已提交授权委托书"), default=False)
    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    due_date = models.DateField(_("承诺办结日期"), null=True, blank=True)
    due_provisional = models.BooleanField(_("办结日期为暂定"), default=False)
    history_head = models.CharField(_("历史链头"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(agent=F("applicant")), name="case_agent_not_applicant"
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(accepted_on__isnull=False),
                name="case_due_needs_acceptance",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_known"),
        ]
        # Each list's filter and keyset order (`cases.selectors`, bench/plans/README.md).
        indexes = [
            models.Index(fields=["centre", "status", "due_date"], name="case_inbox_idx"),
            models.Index(fields=["applicant", "-created_at"], name="case_applicant_idx"),
            # The case list, newest first: every case (a superuser, a province's leader)…
            models.Index(fields=["created_at", "id"], name="case_created_idx"),
            # …and one centre's (a window officer, a helper).
            models.Index(fields=["centre", "created_at", "id"], name="case_centre_created_idx"),
            # Overdue and near-due cases: the open ones by due date.
            models.Index(
                fields=["due_date", "id"],
                name="case_open_due_idx",
                condition=Q(status__in=OPEN_STATUS_VALUES),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CaseNumberCounter(models.Model):
    """The last daily sequence used for case numbers of one centre on one day."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("办件编号计数器")
        verbose_name_plural = _("办件编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["centre", "day"], name="case_counter_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}@{self.day}: {self.last}"


class MaterialOrigin(models.TextChoices):
    APPLICANT_UPLOAD = "applicant_upload", _("申请人上传")
    WINDOW_SCAN = "window_scan", _("窗口扫描")
    DATA_SHARING = "data_sharing", _("数据共享获取")
    SUPPLEMENT = "supplement", _("补交材料")


class SubmittedMaterial(models.Model):
    """A file handed in for a case, optionally satisfying one catalogue material."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        Material,
        verbose_name=_("对应材料"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("文件"), upload_to="cases/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    origin = models.CharField(_("来源"), max_length=20, choices=MaterialOrigin.choices)
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("提交材料")
        verbose_name_plural = _("提交材料")
        ordering = ["case_id", "uploaded_at", "id"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="case_material_time_idx")]

    def __str__(self) -> str:
        return self.file.name or str(self.material or self.pk)


class MaterialCommitment(models.Model):
    """容缺受理: the signed promise to supply pendable materials by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="commitments")
    materials = models.ManyToManyField(Material, verbose_name=_("容缺材料"), related_name="+")
    signed_by_name = models.CharField(_("承诺人姓名"), max_length=100)
    signed_by_id_number = models.CharField(_("承诺人证件号码"), max_length=18)
    signed_at = models.DateTimeField(_("签署时间"))
    supply_by = models.DateField(_("补交期限"))
    fulfilled_at = models.DateTimeField(_("履行时间"), null=True, blank=True)
    # Set when the deadline passed without the materials: the applicant is then excluded
    # from further acceptance with pending materials (RULES.md §4).
    broken_at = models.DateTimeField(_("违约时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("容缺承诺")
        verbose_name_plural = _("容缺承诺")
        ordering = ["case_id", "signed_at"]

    def __str__(self) -> str:
        return f"{self.signed_by_name} {self.supply_by}"


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理通知书")
    REFUSAL = "refusal", _("不予受理通知书")
    ONE_TIME = "one_time", _("一次性告知书")
    CORRECTION = "correction", _("补正材料通知书")
    PENDING_MATERIALS = "pending_materials", _("容缺受理通知书")
    SUSPENSION = "suspension", _("暂停计时告知书")
    EXTENSION = "extension", _("延期告知书")


class Notice(models.Model):
    """A dated written notice to the applicant; `body` lists the items it is about."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("类型"), max_length=30, choices=NoticeKind.choices)
    number = models.CharField(_("文书编号"), max_length=80, unique=True)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("告知文书")
        verbose_name_plural = _("告知文书")
        ordering = ["case_id", "issued_at", "id"]

    def __str__(self) -> str:
        return self.number


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("待审")
    APPROVED = "approved", _("同意")
    CORRECTION_REQUESTED = "correction_requested", _("要求补正")
    REJECTED = "rejected", _("不同意")
    CANCELLED = "cancelled", _("已终止")


class StageOutcome(models.TextChoices):
    APPROVED = "approved", _("通过")
    REJECTED = "rejected", _("不通过")
    RETURNED = "returned", _("退回上一环节")
    CANCELLED = "cancelled", _("已终止")


class Stage(models.Model):
    """One stage of a case's review; its tasks run in parallel (联审联办).

    `number` counts the stages of this case (1, 2, …); `template_stage` is the stage of the
    item's process template it runs. They differ once a stage was returned to the previous
    one, which runs that template stage again as a new case stage.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(_("环节序号"))
    template_stage = models.PositiveSmallIntegerField(_("流程环节"))
    name = models.CharField(_("环节名称"), max_length=100)
    started_on = models.DateField(_("开始日期"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=StageOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["case_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="stage_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Task(models.Model):
    """One department's part of a stage."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="tasks")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey(
        Department, verbose_name=_("审批部门"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=30, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    limit_workdays = models.PositiveSmallIntegerField(_("时限（工作日）"))
    started_on = models.DateField(_("开始日期"))
    due_date = models.DateField(_("到期日期"), null=True, blank=True)
    due_provisional = models.BooleanField(_("到期日期为暂定"), default=False)
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deemed_consent = models.BooleanField(_("超时默认同意"), default=False)
    opinion = models.TextField(_("审查意见"), blank=True)

    class Meta:
        verbose_name = _("审批任务")
        verbose_name_plural = _("审批任务")
        ordering = ["stage_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "department"], name="task_unique_department"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="task_decided_has_time",
            ),
        ]
        indexes = [
            # The inbox: a department's tasks in one status, by due date (NULLS LAST, as
            # PostgreSQL orders an ascending index) then id, the keyset order.
            models.Index(
                fields=["department", "status", "due_date", "id"], name="task_inbox_keyset_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.get_status_display()}"


class SuspensionKind(models.TextChoices):
    CORRECTION = "correction", _("补正")
    HEARING = "hearing", _("听证")
    INSPECTION = "inspection", _("现场核查")
    TESTING = "testing", _("检验检测")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    QUARANTINE = "quarantine", _("检疫")
    TENDER = "tender", _("招标")
    AUCTION = "auction", _("拍卖")
    PENDING_MATERIALS = "pending_materials", _("容缺材料逾期未补")


class Suspension(models.Model):
    """A period the clock stops (特别程序, correction, pending materials overdue)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="suspensions"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=SuspensionKind.choices)
    reason = models.TextField(_("原因"))
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    # The status the case goes back to when the suspension ends.
    resume_status = models.CharField(_("恢复后状态"), max_length=30, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("暂停计时")
        verbose_name_plural = _("暂停计时")
        ordering = ["case_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="suspension_start_before_end",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_on__isnull=True),
                name="suspension_one_open_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    CANCELLED = "cancelled", _("办件已结束，申请失效")


class Extension(models.Model):
    """延期: extra working days approved by a leader; the applicant is told in writing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="extensions"
    )
    workdays = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("原因"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.REQUESTED,
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    applicant_notified_at = models.DateTimeField(_("告知申请人时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        ordering = ["case_id", "requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(workdays__gt=0), name="extension_positive"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="requested"),
                name="extension_one_open_request",
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.workdays}"


class Outcome(models.TextChoices):
    APPROVED = "approved", _("准予许可")
    REFUSED = "refused", _("不予许可")


class Decision(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("决定"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"))

    class Meta:
        verbose_name = _("审批决定")
        verbose_name_plural = _("审批决定")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="approved") | ~Q(reason=""),
                name="decision_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()


class Delivery(models.TextChoices):
    PICKUP = "pickup", _("窗口领取")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


class Result(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="result")
    name = models.CharField(_("结果名称"), max_length=200)
    number = models.CharField(_("结果文号"), max_length=100, blank=True)
    delivery = models.CharField(_("送达方式"), max_length=20, choices=Delivery.choices)
    tracking_number = models.CharField(_("快递单号"), max_length=60, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办理结果")
        verbose_name_plural = _("办理结果")
        constraints = [
            models.CheckConstraint(
                condition=~Q(delivery="post") | ~Q(tracking_number="") | Q(delivered_at=None),
                name="result_post_delivered_has_tracking",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CaseEvent(models.Model):
    """One append-only line of a case's history, chained to the previous one by hash."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("序号"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_kind = models.CharField(_("操作人类型"), max_length=20, choices=Actor.choices)
    actor_label = models.CharField(_("操作人"), max_length=200)
    at = models.DateTimeField(_("时间"))
    kind = models.CharField(_("事件"), max_length=50)
    from_status = models.CharField(_("原状态"), max_length=30, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64, blank=True)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("办件事件")
        verbose_name_plural = _("办件事件")
        ordering = ["case_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_unique_seq"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="case_event_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind}"


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` on case submission: a retry answers the first result.

    Unique per user and key, so two concurrent retries cannot both create a case.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("幂等键"), max_length=100)
    request_hash = models.CharField(_("请求摘要"), max_length=64)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    response_status = models.PositiveSmallIntegerField(_("响应状态码"), default=0)
    response_body = models.JSONField(_("响应内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key"),
        ]

    def __str__(self) -> str:
        return self.key
