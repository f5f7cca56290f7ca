"""The service catalogue: items (stable identity) and their versions (the rules).

A case will point at the exact published `ServiceItemVersion` it was opened under.
A published version is never edited: `catalog.services.item_draft_create` copies it into a
new draft, and `item_version_publish` checks the provincial consistency rules
(`catalog.rules`) and archives the version it replaces.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yichuang.common.models import TimeStampedModel
from yichuang.orgs.models import Centre, Department, Window


class ItemType(models.TextChoices):
    LICENCE = "licence", _("行政许可")
    PAYMENT = "payment", _("行政给付")
    CONFIRMATION = "confirmation", _("行政确认")
    ADJUDICATION = "adjudication", _("行政裁决")
    REWARD = "reward", _("行政奖励")
    PENALTY = "penalty", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")
    LEVY = "levy", _("行政征收")
    INSPECTION = "inspection", _("行政检查")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")
    VILLAGE = "village", _("村级")


class HandlingKind(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    PROMISED = "promised", _("承诺件")


class LimitUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("工作日")
    NATURAL_DAY = "natural_day", _("自然日")


class OnlineDepth(models.IntegerChoices):
    """Online depth levels of the implementation list; an item has any subset of them."""

    CONSULTATION = 1, _("在线咨询")
    ONLINE_INTAKE = 2, _("网上收件")
    ONLINE_PRE_REVIEW = 3, _("网上预审")
    ONLINE_ACCEPTANCE = 4, _("网上受理")
    ONLINE_HANDLING = 5, _("网上办理")
    ONLINE_RESULT_FEEDBACK = 6, _("网上反馈结果")
    E_CERTIFICATE = 7, _("电子证照结果")
    OTHER = 8, _("其他")


def depth_mask(levels) -> int:
    """Bit mask of online-depth levels (bit n-1 for level n), as stored in `online_depth`."""
    mask = 0
    for level in levels:
        mask |= 1 << (int(level) - 1)
    return mask


def depth_levels(mask: int) -> list[int]:
    return [level for level in OnlineDepth.values if mask & (1 << (level - 1))]


class CrossRegionScope(models.TextChoices):
    NONE = "none", _("不支持通办")
    CITY = "city", _("全市通办")
    PROVINCE = "province", _("全区通办")
    NATIONAL = "national", _("跨省通办")


class ResultType(models.TextChoices):
    CERTIFICATE = "certificate", _("证照")
    APPROVAL_DOCUMENT = "approval_document", _("批文")
    FILING = "filing", _("备案凭证")
    OTHER = "other", _("其他")


class RejectionPolicy(models.TextChoices):
    """What a department's rejection in a review stage does to the case."""

    REFUSE = "refuse", _("作出不予许可决定")
    RETURN_TO_PREVIOUS_STAGE = "return_previous", _("退回上一环节重新审查")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    ARCHIVED = "archived", _("已归档")


class ServiceItem(TimeStampedModel):
    """The stable identity of a service item (政务服务事项) at one implementing body.

    The implementation code (实施编码, 31 characters: the implementing body's USCC + level
    digit + base code) is the item's public identifier; codes are opaque strings.
    """

    centre = models.ForeignKey(
        Centre, verbose_name=_("服务中心"), on_delete=models.PROTECT, related_name="items"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="items"
    )
    implementation_code = models.CharField(_("实施编码"), max_length=40, unique=True)
    base_code = models.CharField(_("基本编码"), max_length=20)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["implementation_code"]

    def __str__(self) -> str:
        return self.implementation_code


class ServiceItemVersion(TimeStampedModel):
    """One version of an item's rules and guide. Only drafts may be edited."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Identity
    name = models.CharField(_("事项名称"), max_length=200)
    business_code = models.CharField(_("业务办理项编码"), max_length=60, blank=True)
    item_type = models.CharField(_("事项类型"), max_length=20, choices=ItemType.choices)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True)
    # Authority
    level = models.CharField(_("行使层级"), max_length=20, choices=Level.choices)
    source_of_authority = models.CharField(_("权力来源"), max_length=100, blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    # How
    for_natural_persons = models.BooleanField(_("服务对象：自然人"), default=True)
    for_legal_persons = models.BooleanField(_("服务对象：法人"), default=False)
    conditions = models.TextField(_("受理条件"), blank=True)
    process_description = models.TextField(_("办理流程"), blank=True)
    handled_at_window = models.BooleanField(_("窗口办理"), default=True)
    handled_online = models.BooleanField(_("网上办理"), default=False)
    handled_by_post = models.BooleanField(_("快递申请"), default=False)
    place = models.CharField(_("办理地点"), max_length=300, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    consultation_phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=60, blank=True)
    windows = models.ManyToManyField(
        Window, verbose_name=_("办理窗口"), blank=True, related_name="item_versions"
    )
    # Time
    handling_kind = models.CharField(
        _("办件类型"), max_length=20, choices=HandlingKind.choices, default=HandlingKind.PROMISED
    )
    statutory_limit = models.PositiveIntegerField(_("法定办结时限"), default=20)
    statutory_limit_unit = models.CharField(
        _("法定时限单位"), max_length=20, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY
    )
    statutory_limit_note = models.CharField(_("法定时限说明"), max_length=300, blank=True)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"), default=0)
    promised_limit_unit = models.CharField(
        _("承诺时限单位"), max_length=20, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY
    )
    promised_limit_note = models.CharField(_("承诺时限说明"), max_length=300, blank=True)
    special_procedures = models.TextField(_("特别程序"), blank=True)
    rejection_policy = models.CharField(
        _("审查不通过时"),
        max_length=20,
        choices=RejectionPolicy.choices,
        default=RejectionPolicy.REFUSE,
    )
    # Trips
    trips = models.PositiveSmallIntegerField(
        _("到办事现场次数"), choices=[(0, "0"), (1, "1"), (2, "2")], default=1
    )
    # Fees
    fee_charged = models.BooleanField(_("是否收费"), default=False)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    fee_standard = models.TextField(_("收费标准"), blank=True)
    fee_waiver = models.TextField(_("减免政策"), blank=True)
    # Online
    online_depth = models.PositiveSmallIntegerField(
        _("网办深度"), default=0, help_text=_("各级网办深度的位掩码，见 OnlineDepth")
    )
    fully_online = models.BooleanField(_("全程网办"), default=False)
    booking_supported = models.BooleanField(_("支持预约"), default=False)
    online_payment = models.BooleanField(_("支持网上支付"), default=False)
    courier_delivery = models.BooleanField(_("支持物流快递"), default=False)
    kiosk_handling = models.BooleanField(_("支持自助终端"), default=False)
    cross_region_scope = models.CharField(
        _("通办范围"),
        max_length=20,
        choices=CrossRegionScope.choices,
        default=CrossRegionScope.NONE,
    )
    # Results
    result_name = models.CharField(_("审批结果名称"), max_length=200, blank=True)
    result_type = models.CharField(
        _("审批结果类型"), max_length=30, choices=ResultType.choices, default=ResultType.OTHER
    )
    # Search helpers, written by the catalogue service from name and keywords.
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="item_version_unique"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status="published"),
                name="item_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="draft"), name="item_one_draft_version"
            ),
            models.CheckConstraint(condition=Q(trips__lte=2), name="item_version_trips_0_to_2"),
        ]
        indexes = [models.Index(fields=["status", "item"], name="item_version_status_idx")]

    def __str__(self) -> str:
        return f"{self.name}（v{self.version}）"

    @property
    def online_depth_levels(self) -> list[int]:
        return depth_levels(self.online_depth)


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    OTHER_BODY = "other_body", _("其他部门核发")
    DATA_SHARING = "data_sharing", _("数据共享获取（免提交）")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ORIGINAL_AND_COPY = "original_and_copy", _("原件和复印件")
    ELECTRONIC = "electronic", _("电子材料")


class Material(models.Model):
    """A material the applicant supplies (or the platform obtains) for one item version."""

    version = models.ForeignKey(
        ServiceItemVersion,
        verbose_name=_("事项版本"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必要"), default=True)
    pendable = models.BooleanField(_("可容缺"), default=False)
    source = models.CharField(
        _("来源渠道"),
        max_length=20,
        choices=MaterialSource.choices,
        default=MaterialSource.APPLICANT,
    )
    issuing_body = models.CharField(_("出具单位"), max_length=200, blank=True)
    form = models.CharField(
        _("材料形式"), max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    template = models.FileField(_("空白表格"), upload_to="catalog/templates/", blank=True)
    sample = models.FileField(_("示例样表"), upload_to="catalog/samples/", blank=True)
    acceptance_standard = models.TextField(_("受理标准"), blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["version_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="material_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ProcessStageTask(models.Model):
    """One department's part of one stage of an item's process template.

    Rows with the same `stage` number form one stage; several departments in a stage review
    in parallel (联审联办), each within its own working-day limit.
    """

    version = models.ForeignKey(
        ServiceItemVersion,
        verbose_name=_("事项版本"),
        on_delete=models.CASCADE,
        related_name="stage_tasks",
    )
    stage = models.PositiveSmallIntegerField(_("环节序号"))
    stage_name = models.CharField(_("环节名称"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("审批部门"), on_delete=models.PROTECT, related_name="+"
    )
    limit_workdays = models.PositiveSmallIntegerField(_("时限（工作日）"))
    deemed_consent_on_timeout = models.BooleanField(_("超时默认同意"), default=False)

    class Meta:
        verbose_name = _("流程环节")
        verbose_name_plural = _("流程环节")
        ordering = ["version_id", "stage", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "stage", "department"], name="stage_task_unique_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage}. {self.stage_name}"


class Bundle(TimeStampedModel):
    """一件事一次办: one application that covers several items."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("服务中心"), on_delete=models.PROTECT, related_name="bundles"
    )
    code = models.SlugField(_("代码"), max_length=60)
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    is_published = models.BooleanField(_("已发布"), default=False)
    items = models.ManyToManyField(
        ServiceItem, verbose_name=_("包含事项"), through="BundleItem", related_name="bundles"
    )

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="bundle_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="bundle_items")
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=1)

    class Meta:
        verbose_name = _("一件事包含事项")
        verbose_name_plural = _("一件事包含事项")
        ordering = ["bundle_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.item}"
