from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from yichuang.common.models import TimeStampedModel


class User(AbstractUser):
    """A login: a staff member (see orgs.Staff) or an applicant (see Applicant)."""

    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.display_name or self.username


class ApplicantKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")


class Applicant(TimeStampedModel):
    """A natural person (resident ID) or a legal person (USCC) who applies for services.

    The identity number is validated by `identity.validation` before a row is written and
    stored normalised (upper-case, no spaces); (kind, id_number) is unique.
    """

    kind = models.CharField(_("类型"), max_length=20, choices=ApplicantKind.choices)
    id_number = models.CharField(_("证件号码"), max_length=18)
    name = models.CharField(_("名称"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)
    legal_representative_id = models.CharField(_("法定代表人身份证号"), max_length=18, blank=True)
    # 失信联合惩戒: excluded from acceptance with pending materials (RULES.md §4).
    credit_restricted = models.BooleanField(_("失信限制（不适用容缺受理）"), default=False)
    user = models.OneToOneField(
        User,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applicant",
    )

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        constraints = [
            models.UniqueConstraint(fields=["kind", "id_number"], name="applicant_unique_number"),
        ]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(_("令牌哈希"), max_length=64, unique=True)
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        indexes = [models.Index(fields=["user", "expires_at"], name="api_token_user_idx")]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class LoginThrottle(models.Model):
    """Failed logins per user name; the name is locked for a while after too many."""

    username = models.CharField(_("用户名"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"
