"""Forms of the assistance and home-visit pages (Chinese labels; the services validate the
rules, the forms only the shapes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.catalog.models import ServiceItemVersion
from yichuang.hall.models import HomeVisitReason
from yichuang.identity.models import ApplicantKind
from yichuang.orgs.models import Staff


class AssignForm(forms.Form):
    """Assign a helper to an applicant (by ID number / USCC) or to a case (by number)."""

    helper = forms.ModelChoiceField(
        label=_("帮办代办员"),
        queryset=Staff.objects.none(),
        error_messages={
            "required": _("请选择帮办代办员"),
            "invalid_choice": _("请选择本中心的帮办代办员"),
        },
    )
    kind = forms.ChoiceField(
        label=_("服务对象类型"), choices=ApplicantKind.choices, initial=ApplicantKind.LEGAL_PERSON
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=30,
        required=False,
        help_text=_("企业填写统一社会信用代码，个人填写居民身份证号码"),
    )
    name = forms.CharField(label=_("名称（未登记时填写）"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=_("法定代表人（未登记的企业填写）"), max_length=100, required=False
    )
    case_number = forms.CharField(
        label=_("或指派到办件（办件编号）"), max_length=60, required=False
    )
    note = forms.CharField(label=_("服务内容"), max_length=300, required=False)

    def __init__(self, *args: Any, helpers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helpers

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("id_number") and not data.get("case_number"):
            raise forms.ValidationError(_("请填写服务对象的证件号码或办件编号"))
        return data


class AuthoriseForm(forms.Form):
    scope = forms.CharField(
        label=_("授权范围"), max_length=300, error_messages={"required": _("请填写授权范围")}
    )
    signed_by = forms.CharField(
        label=_("签署人"),
        max_length=100,
        required=False,
        help_text=_("留空即为申请人本人（企业为法定代表人）"),
    )


class VersionChoiceForm(forms.Form):
    """Pick a published item version the centre offers (a simple select)."""

    item_version = forms.ModelChoiceField(
        label=_("办理事项"),
        queryset=ServiceItemVersion.objects.none(),
        error_messages={
            "required": _("请选择办理事项"),
            "invalid_choice": _("该事项不可在本中心受理"),
        },
    )

    def __init__(
        self, *args: Any, versions: Any, offered: list[ServiceItemVersion] | None = None, **kwargs
    ) -> None:
        """`offered`: `versions` already read, shown without reading them again (a page
        with one such form per row)."""
        super().__init__(*args, **kwargs)
        field = self.fields["item_version"]
        field.queryset = versions
        field.label_from_instance = lambda v: v.name
        if offered is not None:
            field.choices = [("", field.empty_label), *((v.pk, v.name) for v in offered)]


class HomeVisitRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("申请原因"), choices=HomeVisitReason.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(
        label=_("上门地址"), max_length=300, error_messages={"required": _("请填写上门地址")}
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, error_messages={"required": _("请填写联系电话")}
    )
    description = forms.CharField(
        label=_("情况说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    item_version = forms.ModelChoiceField(
        label=_("想办理的事项（可选）"),
        queryset=ServiceItemVersion.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("该事项不可在本中心受理")},
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item_version"].queryset = versions
        self.fields["item_version"].label_from_instance = lambda v: v.name


_MAX_ID = 2**31 - 1


class StaffChoiceField(forms.ModelMultipleChoiceField):
    """The staff chosen by ID; an ID no database column can hold is not a choice (the
    lookup would overflow on SQLite instead of finding nothing)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit() and 0 < int(text) <= _MAX_ID):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super()._check_values(value)


class ScheduleForm(forms.Form):
    staff = StaffChoiceField(
        label=_("上门人员"),
        queryset=Staff.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请选择上门人员"),
            "invalid_choice": _("请选择本中心的工作人员"),
            "invalid_pk_value": _("请选择本中心的工作人员"),
        },
    )
    day = forms.DateField(
        label=_("上门日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请选择上门日期"), "invalid": _("日期格式不正确")},
    )
    time = forms.TimeField(
        label=_("上门时间"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("请选择上门时间"), "invalid": _("时间格式不正确")},
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda m: m.name

    def when(self) -> Any:
        import datetime as dt

        return timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class RecordForm(VersionChoiceForm):
    record = forms.CharField(
        label=_("上门记录"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写上门记录")},
    )
