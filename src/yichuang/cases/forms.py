"""Forms of the staff pages (window desk, department inbox, leader overview).

Every form validates its own input and shows Chinese errors; the rules of the case engine
stay in the services, whose errors the views put back on the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from yichuang.cases.errors import CaseError
from yichuang.cases.models import Delivery, Outcome, SuspensionKind
from yichuang.cases.services.materials import upload_size_check
from yichuang.catalog.models import Material, ServiceItemVersion
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.identity.errors import IdentityValidationError
from yichuang.identity.models import ApplicantKind
from yichuang.identity.services import applicant_number_normalize
from yichuang.identity.validation import validate_resident_id

# Kinds of special procedure (特别程序) a reviewer may start; corrections and overdue
# pending materials have their own paths.
SPECIAL_PROCEDURES = [
    (value, label)
    for value, label in SuspensionKind.choices
    if value not in {SuspensionKind.CORRECTION, SuspensionKind.PENDING_MATERIALS}
]


def error_to_form(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the form: on its field when the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class ItemSearchForm(forms.Form):
    q = forms.CharField(label=_("搜索事项"), required=False, max_length=100, strip=True)


class OpenCaseForm(forms.Form):
    """A case for the person at the window: item, applicant, optional agent."""

    item_version = forms.ModelChoiceField(
        label=_("办理事项"),
        queryset=ServiceItemVersion.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("请先选择办理事项"),
            "invalid_choice": _("该事项不可在本中心受理"),
        },
    )
    kind = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantKind.choices, initial=ApplicantKind.NATURAL_PERSON
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=30,
        help_text=_("自然人填写居民身份证号码，法人填写统一社会信用代码"),
        error_messages={"required": _("请填写证件号码")},
    )
    name = forms.CharField(
        label=_("申请人名称"), max_length=200, error_messages={"required": _("请填写申请人名称")}
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    agent_id_number = forms.CharField(label=_("代办人身份证号码"), max_length=30, required=False)
    agent_name = forms.CharField(label=_("代办人姓名"), max_length=100, required=False)
    power_of_attorney = forms.BooleanField(label=_("已提交授权委托书"), required=False)

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item_version"].queryset = versions

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, number = data.get("kind"), data.get("id_number")
        if kind and number:
            try:
                data["id_number"] = applicant_number_normalize(kind=kind, id_number=number)
            except IdentityValidationError as error:
                self.add_error("id_number", error.message)
        agent_number = data.get("agent_id_number", "")
        if agent_number or data.get("agent_name"):
            self._clean_agent(data, agent_number)
        return data

    def _clean_agent(self, data: dict[str, Any], agent_number: str) -> None:
        if not agent_number:
            self.add_error("agent_id_number", _("请填写代办人身份证号码"))
            return
        try:
            data["agent_id_number"] = validate_resident_id(agent_number, today=clock.today()).number
        except IdentityValidationError as error:
            self.add_error("agent_id_number", error.message)
            return
        if not data.get("agent_name"):
            self.add_error("agent_name", _("请填写代办人姓名"))
        if not data.get("power_of_attorney"):
            self.add_error("power_of_attorney", _("代办须提交授权委托书"))
        if data["agent_id_number"] == data.get("id_number"):
            self.add_error("agent_id_number", _("代办人不能是申请人本人"))


class MaterialUploadForm(forms.Form):
    material = forms.ModelChoiceField(
        label=_("材料"),
        queryset=Material.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("该材料不属于本事项")},
    )
    file = forms.FileField(
        label=_("文件"),
        error_messages={"required": _("请选择要上传的文件"), "empty": _("文件为空")},
    )

    def __init__(self, *args: Any, materials: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = materials

    def clean_file(self) -> Any:
        """Refuse an oversized file before it is read into memory (the service checks too)."""
        upload = self.cleaned_data["file"]
        try:
            upload_size_check(size=upload.size)
        except CaseError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class OneTimeNoticeForm(forms.Form):
    """一次性告知: every missing material is listed by the service; the officer adds the
    defects of handed-in materials (one optional note per material)."""

    def __init__(self, *args: Any, handed_in: Sequence[Material], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handed_in = list(handed_in)
        for material in self.handed_in:
            self.fields[f"defect_{material.pk}"] = forms.CharField(
                label=material.name, max_length=500, required=False
            )

    def defects(self) -> list[tuple[Material, str]]:
        return [
            (m, self.cleaned_data[f"defect_{m.pk}"])
            for m in self.handed_in
            if self.cleaned_data.get(f"defect_{m.pk}", "").strip()
        ]

    def defect_fields(self) -> list[forms.BoundField]:
        return [self[f"defect_{m.pk}"] for m in self.handed_in]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写理由")},
    )


class PendingAcceptForm(forms.Form):
    """容缺受理: the pendable materials still missing, the signed commitment, the date."""

    pending = forms.ModelMultipleChoiceField(
        label=_("容缺材料"),
        queryset=Material.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请勾选容缺的材料"),
            "invalid_choice": _("所选材料不可容缺"),
            "invalid_pk_value": _("所选材料不可容缺"),
        },
    )
    signed_by_name = forms.CharField(
        label=_("承诺人姓名"), max_length=100, error_messages={"required": _("请填写承诺人姓名")}
    )
    signed_by_id_number = forms.CharField(
        label=_("承诺人身份证号码"),
        max_length=30,
        error_messages={"required": _("请填写承诺人身份证号码")},
    )
    supply_by = forms.DateField(
        label=_("补交期限"),
        required=False,
        help_text=_("留空则为承诺办结日期；不能晚于承诺办结日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效的日期")},
    )

    def __init__(self, *args: Any, pendable: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pending"].queryset = pendable

    def clean_signed_by_id_number(self) -> str:
        try:
            return validate_resident_id(
                self.cleaned_data["signed_by_id_number"], today=clock.today()
            ).number
        except IdentityValidationError as error:
            raise forms.ValidationError(error.message) from None

    def clean_supply_by(self) -> Any:
        value = self.cleaned_data["supply_by"]
        if value is not None and value < clock.today():
            raise forms.ValidationError(_("补交期限不能早于今天"))
        return value


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("审查意见"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2})
    )


class CorrectionForm(forms.Form):
    """补正 (online pre-review at the window, or a department in review): what to correct,
    one note per material and a general note."""

    note = forms.CharField(
        label=_("其他补正要求"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, materials: Sequence[Material], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        for material in self.materials:
            self.fields[f"item_{material.pk}"] = forms.CharField(
                label=material.name, max_length=500, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.items():
            raise forms.ValidationError(_("请至少填写一项补正要求"))
        return data

    def items(self) -> list[tuple[Material | None, str]]:
        data = getattr(self, "cleaned_data", {})
        items: list[tuple[Material | None, str]] = [
            (m, data[f"item_{m.pk}"].strip())
            for m in self.materials
            if data.get(f"item_{m.pk}", "").strip()
        ]
        if data.get("note", "").strip():
            items.append((None, data["note"].strip()))
        return items

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{m.pk}"] for m in self.materials]


class SuspendForm(forms.Form):
    kind = forms.ChoiceField(label=_("特别程序"), choices=SPECIAL_PROCEDURES)
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("请填写理由")},
    )


class ExtensionRequestForm(forms.Form):
    workdays = forms.IntegerField(
        label=_("延长工作日"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        error_messages={
            "required": _("请填写延长的工作日数"),
            "invalid": _("请填写整数"),
            "min_value": _("延长工作日至少为 1 天"),
            "max_value": _("延长工作日不能超过 60 天"),
        },
    )
    reason = forms.CharField(
        label=_("延期理由"),
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("请填写延期理由")},
    )


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("1", _("批准")), ("0", _("不批准"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("请选择是否批准")},
    )
    note = forms.CharField(label=_("审批意见"), max_length=2000, required=False)


class ResumeForm(forms.Form):
    """恢复计时: ends the running special procedure; nothing to fill in."""


class DecideForm(forms.Form):
    """作出决定: 准予许可, or 不予许可 with the reason the applicant is given in writing."""

    outcome = forms.ChoiceField(
        label=_("决定"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择决定"), "invalid_choice": _("请选择决定")},
    )
    reason = forms.CharField(
        label=_("理由（不予许可时必填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == Outcome.REFUSED and not data.get("reason", "").strip():
            self.add_error("reason", _("请填写不予许可的理由"))
        return data


class ConcludeForm(forms.Form):
    """出具结果并办结: the result's name and number, and how it reaches the applicant."""

    result_name = forms.CharField(label=_("结果名称"), max_length=200, required=False)
    result_number = forms.CharField(label=_("结果文号"), max_length=100, required=False)
    delivery = forms.ChoiceField(
        label=_("送达方式"),
        choices=Delivery.choices,
        initial=Delivery.PICKUP,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择送达方式"), "invalid_choice": _("送达方式无效")},
    )
    tracking_number = forms.CharField(
        label=_("快递单号（邮寄送达时必填）"), max_length=60, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("delivery") == Delivery.POST and not data.get("tracking_number", "").strip():
            self.add_error("tracking_number", _("邮寄送达须填写快递单号"))
        return data
