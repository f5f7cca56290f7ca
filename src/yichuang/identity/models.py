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
