"""Admin (in Chinese) for accounts and applicants.

Applicant numbers are validated by `identity.validation` through the services; lists show
them masked, and the change form shows them whole only to users allowed to see them
(`identity.access`). A number never changes once the applicant exists.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yichuang.common.admin_helpers import adopt, raise_as_form_error
from yichuang.common.errors import DomainError
from yichuang.common.masking import mask_id_number, mask_phone
from yichuang.identity import services
from yichuang.identity.access import id_number_for
from yichuang.identity.models import Applicant, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("联系信息"), {"fields": ("display_name", "phone")}),
    )
    list_display = ["username", "display_name", "masked_phone", "is_staff", "is_active"]
    search_fields = ["username", "display_name"]

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone)


_DETAIL_FIELDS = [
    "name",
    "phone",
    "legal_representative",
    "legal_representative_id",
    "credit_restricted",
]


class ApplicantCreateForm(forms.ModelForm):
    class Meta:
        model = Applicant
        fields = ["kind", "id_number", *_DETAIL_FIELDS, "user"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            data["id_number"] = services.applicant_check_new(
                kind=data["kind"], id_number=data["id_number"]
            )
        except DomainError as error:
            raise_as_form_error(self, error)
        return data

    def validate_unique(self) -> None:
        """Uniqueness is checked in `clean` through the services."""


class ApplicantChangeForm(forms.ModelForm):
    """The number is shown (masked or whole, per `identity.access`) and never edited."""

    shown_id_number = forms.CharField(label=_("证件号码"), required=False, disabled=True)

    class Meta:
        model = Applicant
        fields = [*_DETAIL_FIELDS, "user"]


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "masked_id_number", "masked_phone", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "=id_number"]
    raw_id_fields = ["user"]

    @admin.display(description=_("证件号码"))
    def masked_id_number(self, obj: Applicant) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Applicant) -> str:
        return mask_phone(obj.phone)

    def get_fields(self, request: HttpRequest, obj: Applicant | None = None):
        if obj is None:
            return ["kind", "id_number", *_DETAIL_FIELDS, "user"]
        return ["kind", "shown_id_number", *_DETAIL_FIELDS, "user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Applicant | None = None):
        return ["kind"] if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Applicant | None = None, **kwargs):
        if obj is None:
            kwargs["form"] = ApplicantCreateForm
            return super().get_form(request, obj, **kwargs)
        shown = id_number_for(request.user, obj.id_number)

        class Form(ApplicantChangeForm):
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                self.fields["shown_id_number"].initial = shown

        kwargs["form"] = Form
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj: Applicant, form: forms.Form, change: bool) -> None:
        data = form.cleaned_data
        details = {k: data.get(k) or "" for k in _DETAIL_FIELDS if k != "credit_restricted"}
        details["credit_restricted"] = bool(data.get("credit_restricted"))
        if change:
            current = Applicant.objects.get(pk=obj.pk)
            saved = services.applicant_update(applicant=current, **details)
            if current.user_id != (data["user"].pk if data.get("user") else None):
                saved.user = data.get("user")
                saved.save(update_fields=["user", "updated_at"])
        else:
            saved = services.applicant_create(
                kind=data["kind"], id_number=data["id_number"], user=data.get("user"), **details
            )
        adopt(obj, saved)
