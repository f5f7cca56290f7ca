"""Forms of the public portal. Bad input is dropped field by field, never an error page."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from yichuang.catalog.models import HandlingKind, ItemType, OnlineDepth
from yichuang.orgs.models import Department
from yichuang.web.selectors import ItemFilters

ANY = [("", _("不限"))]
SERVICE_OBJECTS = [("natural", _("个人（自然人）")), ("legal", _("法人和其他组织"))]
TRIPS = [("0", _("零跑动")), ("1", _("最多跑一次")), ("2", _("跑动两次"))]


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100, strip=True)
    object = forms.ChoiceField(label=_("服务对象"), required=False, choices=ANY + SERVICE_OBJECTS)
    department = forms.TypedChoiceField(
        label=_("实施部门"), required=False, coerce=int, empty_value=None
    )
    item_type = forms.ChoiceField(
        label=_("事项类型"), required=False, choices=ANY + ItemType.choices
    )
    online_depth = forms.TypedChoiceField(
        label=_("网办深度"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=ANY + [(str(v), label) for v, label in OnlineDepth.choices],
    )
    handling_kind = forms.ChoiceField(
        label=_("办件类型"), required=False, choices=ANY + HandlingKind.choices
    )
    trips = forms.TypedChoiceField(
        label=_("跑动次数"), required=False, coerce=int, empty_value=None, choices=ANY + TRIPS
    )
    fully_online = forms.BooleanField(label=_("只看全程网办"), required=False)

    def __init__(self, *args, departments: Sequence[Department] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = ANY + [
            (str(d.pk), d.short_name or d.name) for d in departments
        ]

    def filters(self) -> ItemFilters:
        """The valid part of the input; an invalid field counts as not given."""
        self.is_valid()
        data = self.cleaned_data
        return ItemFilters(
            q=data.get("q") or "",
            department_id=data.get("department"),
            item_type=data.get("item_type") or None,
            online_depth=data.get("online_depth"),
            service_object=data.get("object") or None,
            handling_kind=data.get("handling_kind") or None,
            fully_online=bool(data.get("fully_online")),
            trips=data.get("trips"),
        )
