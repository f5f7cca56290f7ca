"""Forms of the applicant's case pages and of the public status lookup.

Every form validates on the server with Chinese messages; the pages work without
JavaScript and never answer bad input with an error page.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yichuang.cases.errors import CaseError
from yichuang.cases.selectors import LOOKUP_CHECK_LENGTH
from yichuang.cases.services.materials import upload_size_check
from yichuang.catalog.models import Material
from yichuang.identity import validation
from yichuang.identity.models import ApplicantKind

PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("办件编号"),
        max_length=60,
        strip=True,
        error_messages={"required": _("请输入办件编号")},
    )
    check = forms.CharField(
        label=_("校验码"),
        help_text=_("申请人身份证号码（或统一社会信用代码）或手机号码的后6位"),
        min_length=LOOKUP_CHECK_LENGTH,
        max_length=LOOKUP_CHECK_LENGTH,
        strip=True,
        error_messages={
            "required": _("请输入校验码"),
            "min_length": _("校验码为6位"),
            "max_length": _("校验码为6位"),
        },
    )


class ApplyForm(forms.Form):
    """The online application form of an item: the request itself, contact details and,
    for an agent, the principal (the applicant) they act for under a power of attorney."""

    description = forms.CharField(
        label=_("申请事项说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写申请事项说明")},
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        error_messages={"required": _("请填写联系电话")},
    )
    address = forms.CharField(
        label=_("联系地址"),
        max_length=300,
        error_messages={"required": _("请填写联系地址")},
    )
    on_behalf = forms.BooleanField(label=_("我是代办人，代他人申请"), required=False)
    principal_kind = forms.ChoiceField(
        label=_("申请人类型"),
        choices=ApplicantKind.choices,
        required=False,
        initial=ApplicantKind.NATURAL_PERSON,
    )
    principal_id_number = forms.CharField(
        label=_("申请人证件号码"),
        help_text=_("自然人填写18位身份证号码，法人填写18位统一社会信用代码"),
        max_length=30,
        required=False,
    )
    principal_name = forms.CharField(label=_("申请人姓名或名称"), max_length=200, required=False)
    power_of_attorney = forms.BooleanField(
        label=_("我已取得申请人签署的授权委托书，并将在材料中上传"), required=False
    )

    def clean_phone(self) -> str:
        phone = re.sub(r"\s", "", self.cleaned_data["phone"])
        if not PHONE.match(phone):
            raise forms.ValidationError(_("请填写正确的手机号码或固定电话（如 0476-7812345）"))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("on_behalf"):
            return data
        kind = data.get("principal_kind") or ApplicantKind.NATURAL_PERSON
        number = data.get("principal_id_number") or ""
        if not number.strip():
            self.add_error("principal_id_number", _("请填写申请人证件号码"))
        else:
            check = (
                validation.check_resident_id(number)
                if kind == ApplicantKind.NATURAL_PERSON
                else validation.check_uscc(number)
            )
            if check.valid:
                data["principal_id_number"] = check.normalized
            else:
                self.add_error("principal_id_number", check.message)
        if not (data.get("principal_name") or "").strip():
            self.add_error("principal_name", _("请填写申请人姓名或名称"))
        if not data.get("power_of_attorney"):
            self.add_error("power_of_attorney", _("代他人申请须提交授权委托书"))
        return data

    def form_data(self) -> dict[str, str]:
        """What the case keeps of the form (`Case.form_data`)."""
        return {
            "description": self.cleaned_data["description"],
            "phone": self.cleaned_data["phone"],
            "address": self.cleaned_data["address"],
        }


class MaterialUploadForm(forms.Form):
    """One file for one catalogue material of the case's item (or for none)."""

    material = forms.ModelChoiceField(
        label=_("材料"),
        queryset=Material.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("该材料不属于本事项")},
    )
    file = forms.FileField(
        label=_("选择文件"),
        help_text=_("PDF、JPEG 或 PNG 格式"),
        error_messages={
            "required": _("请选择要上传的文件"),
            "empty": _("文件为空"),
            "invalid": _("未收到文件，请重新选择"),
        },
    )

    def __init__(self, *args, item_version_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = Material.objects.filter(version_id=item_version_id)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            upload_size_check(size=upload.size)
        except CaseError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("我确认撤回该申请，撤回后办件终止"),
        error_messages={"required": _("请勾选确认后再撤回")},
    )
