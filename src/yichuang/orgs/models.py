from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yichuang.common.models import TimeStampedModel


class CentreLevel(models.TextChoices):
    """Levels from the top of a province-wide hierarchy down to a village station."""

    LEAGUE_CITY = "league_city", _("盟市级")
    COUNTY = "county", _("旗县区级")
    TOWNSHIP = "township", _("苏木乡镇（街道）级")
    VILLAGE = "village", _("嘎查村（社区）站")


# A child sits strictly below its parent: rank grows downwards.
CENTRE_LEVEL_RANK = {
    CentreLevel.LEAGUE_CITY: 1,
    CentreLevel.COUNTY: 2,
    CentreLevel.TOWNSHIP: 3,
    CentreLevel.VILLAGE: 4,
}


class Centre(TimeStampedModel):
    """A government service centre (政务服务中心) or a station below one.

    `path` is a materialised path of primary keys ("/1/4/9/") so that a subtree is one
    indexed prefix query; it is written only by `orgs.services.centre_create` / `centre_move`.
    """

    name = models.CharField(_("名称"), max_length=200)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    level = models.CharField(_("层级"), max_length=20, choices=CentreLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级中心"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("层级路径"), max_length=255, editable=False, db_index=True)
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=40, blank=True)
    opening_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务中心")
        verbose_name_plural = _("服务中心")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Department(TimeStampedModel):
    """A back-office unit stationed in (or serving) a centre that reviews cases."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["centre_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="department_unique_name"),
            models.UniqueConstraint(fields=["centre", "uscc"], name="department_unique_uscc"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合受理窗口")
    SPECIALIST = "specialist", _("专业窗口")
    RESULT = "result", _("出件窗口")


class Window(TimeStampedModel):
    """A counter in the hall. Comprehensive windows accept any item (无差别综合受理)."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="windows"
    )
    number = models.PositiveSmallIntegerField(_("窗口号"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=WindowKind.choices)
    departments = models.ManyToManyField(
        Department, verbose_name=_("进驻部门"), blank=True, related_name="windows"
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["centre_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="window_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}号窗口 {self.name}"


class Role(models.TextChoices):
    WINDOW_OFFICER = "window_officer", _("综合受理窗口人员")
    REVIEWER = "reviewer", _("部门审批人员")
    HELPER = "helper", _("帮办代办员")
    CENTRE_ADMIN = "centre_admin", _("中心管理员")
    LEADER = "leader", _("中心领导")


class Staff(TimeStampedModel):
    """A staff member of a centre, with one or more roles.

    A reviewer belongs to a department; the other roles act for the whole centre (and,
    for admins and leaders, the centres below it).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.CASCADE,
        related_name="staff",
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="staff"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    name = models.CharField(_("姓名"), max_length=100)
    employee_number = models.CharField(_("工号"), max_length=40, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    is_party_member = models.BooleanField(_("党员"), default=False)
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["centre_id", "name"]

    def __str__(self) -> str:
        return self.name

    def role_set(self) -> set[str]:
        """The staff member's roles (uses a prefetched `roles` when present)."""
        return {r.role for r in self.roles.all()}


class StaffRole(models.Model):
    staff = models.ForeignKey(
        Staff, verbose_name=_("工作人员"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["staff", "role"], name="staff_role_unique"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()
