"""Admin (in Chinese) for centres, departments, windows and staff.

Every write goes through `orgs.services`; the forms run the same checks first so that a
broken rule is shown next to the field. A centre admin who is not a superuser sees and
changes only their centre's subtree (`orgs.selectors.centres_managed_by`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yichuang.common.admin_helpers import adopt, raise_as_form_error
from yichuang.common.errors import DomainError
from yichuang.orgs import services
from yichuang.orgs.models import Centre, Department, Role, Staff, Window
from yichuang.orgs.selectors import centres_managed_by, staff_for_user

_MANAGED_CACHE = "_yichuang_managed_centre_ids"


def managed_centre_ids(request: HttpRequest) -> set[int]:
    """Primary keys of the centres the requesting user manages (cached per request)."""
    if not hasattr(request, _MANAGED_CACHE):
        ids = set(centres_managed_by(request.user).values_list("pk", flat=True))
        setattr(request, _MANAGED_CACHE, ids)
    return getattr(request, _MANAGED_CACHE)


class CentreScopedAdmin(admin.ModelAdmin):
    """Rows limited to the centres the user manages; foreign keys to centres likewise."""

    def centre_id_of(self, obj: Any) -> int | None:
        return obj.centre_id

    def scope(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        return queryset.filter(centre_id__in=managed_centre_ids(request))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope(queryset, request)

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        return request.user.is_superuser or self.centre_id_of(obj) in managed_centre_ids(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and bool(managed_centre_ids(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self._in_scope(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._in_scope(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._in_scope(request, obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and bool(managed_centre_ids(request))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model is Centre:
            kwargs["queryset"] = Centre.objects.filter(pk__in=managed_centre_ids(request))
        elif db_field.related_model is Department:
            kwargs["queryset"] = Department.objects.filter(
                centre_id__in=managed_centre_ids(request)
            ).select_related("centre")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model is Department:
            kwargs["queryset"] = Department.objects.filter(
                centre_id__in=managed_centre_ids(request)
            ).select_related("centre")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# --- centres ----------------------------------------------------------------------------


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = [
            "name",
            "code",
            "level",
            "parent",
            "region_code",
            "address",
            "phone",
            "complaint_phone",
            "opening_hours",
            "is_active",
        ]

    request: HttpRequest | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        instance = self.instance if self.instance.pk else None
        parent = data.get("parent") if "parent" in self.fields else instance.parent
        level = data.get("level") if "level" in self.fields else instance.level
        user = getattr(self.request, "user", None)
        if "parent" in self.fields and parent is None and not getattr(user, "is_superuser", 0):
            raise forms.ValidationError({"parent": _("请选择上级中心")})
        try:
            services.check_centre_placement(level=level, parent=parent, centre=instance)
            services.check_centre_code(code=data["code"], centre=instance)
        except DomainError as error:
            raise_as_form_error(self, error)
        return data


@admin.register(Centre)
class CentreAdmin(CentreScopedAdmin):
    form = CentreForm
    list_display = ["tree_name", "code", "level", "phone", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["path"]

    @admin.display(description=_("名称"), ordering="path")
    def tree_name(self, obj: Centre) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return format_html(
            '<span style="padding-left:{}em">{}{}</span>',
            depth * 1.5,
            "└ " if depth else "",
            obj.name,
        )

    def centre_id_of(self, obj: Centre) -> int | None:
        return obj.pk

    def scope(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        return queryset.filter(pk__in=managed_centre_ids(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Centre | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        member = staff_for_user(request.user)
        own_root = obj is not None and member is not None and member.centre_id == obj.pk
        if own_root and not request.user.is_superuser:
            readonly += ["parent", "level"]
        return readonly

    def get_form(self, request: HttpRequest, obj: Centre | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def save_model(self, request: HttpRequest, obj: Centre, form: forms.Form, change: bool):
        data = form.cleaned_data
        if not change:
            fields = {k: data[k] for k in CentreForm.Meta.fields}
            adopt(obj, services.centre_create(**fields))
            return
        current = Centre.objects.get(pk=obj.pk)
        if "parent" in data and data["parent"] != current.parent:
            current = services.centre_move(centre=current, parent=data["parent"])
        changes = {
            k: data[k]
            for k in CentreForm.Meta.fields
            if k != "parent" and k in data and data[k] != getattr(current, k)
        }
        if changes:
            current = services.centre_update(centre=current, changes=changes)
        adopt(obj, current)


# --- departments and windows ------------------------------------------------------------


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["centre", "name", "short_name", "uscc", "phone", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        centre = data.get("centre") or self.instance.centre
        instance = self.instance if self.instance.pk else None
        try:
            data["uscc"] = services.check_department(
                centre=centre, name=data["name"], uscc=data["uscc"], department=instance
            )
        except DomainError as error:
            raise_as_form_error(self, error)
        return data

    def validate_unique(self) -> None:
        """Uniqueness is checked in `clean` through the service's rules."""


@admin.register(Department)
class DepartmentAdmin(CentreScopedAdmin):
    form = DepartmentForm
    list_display = ["name", "short_name", "centre", "uscc", "phone", "is_active"]
    list_filter = [("centre", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ["name", "short_name", "uscc"]
    list_select_related = ["centre"]

    def get_readonly_fields(self, request: HttpRequest, obj: Department | None = None):
        return ["centre"] if obj is not None else []

    def save_model(self, request, obj: Department, form: forms.Form, change: bool) -> None:
        data = form.cleaned_data
        values = {k: data[k] for k in ["name", "short_name", "uscc", "phone", "is_active"]}
        if change:
            current = Department.objects.select_related("centre").get(pk=obj.pk)
            adopt(obj, services.department_update(department=current, **values))
        else:
            adopt(obj, services.department_create(centre=data["centre"], **values))


class WindowForm(forms.ModelForm):
    class Meta:
        model = Window
        fields = ["centre", "number", "name", "kind", "departments", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        centre = data.get("centre") or self.instance.centre
        try:
            services.check_window(
                centre=centre,
                number=data["number"],
                kind=data["kind"],
                departments=data.get("departments", ()),
                window=self.instance if self.instance.pk else None,
            )
        except DomainError as error:
            raise_as_form_error(self, error)
        return data

    def validate_unique(self) -> None:
        """Uniqueness is checked in `clean` through the service's rules."""


@admin.register(Window)
class WindowAdmin(CentreScopedAdmin):
    form = WindowForm
    list_display = ["number", "name", "kind", "centre", "is_active"]
    list_filter = [("centre", admin.RelatedOnlyFieldListFilter), "kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["departments"]
    list_select_related = ["centre"]

    def get_readonly_fields(self, request: HttpRequest, obj: Window | None = None):
        return ["centre"] if obj is not None else []

    def save_model(self, request, obj: Window, form: forms.Form, change: bool) -> None:
        data = form.cleaned_data
        values = {k: data[k] for k in ["number", "name", "kind", "departments", "is_active"]}
        if change:
            current = Window.objects.select_related("centre").get(pk=obj.pk)
            adopt(obj, services.window_update(window=current, **values))
        else:
            adopt(obj, services.window_create(centre=data["centre"], **values))

    def save_related(self, request, form, formsets, change) -> None:
        """The departments were set by the service; only formsets remain."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- staff ------------------------------------------------------------------------------


class StaffForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Staff
        fields = [
            "name",
            "centre",
            "department",
            "employee_number",
            "phone",
            "is_party_member",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.role_set())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            services.check_staff_assignment(
                centre=data["centre"], department=data.get("department"), roles=data["roles"]
            )
            self.check_login(data)
        except DomainError as error:
            raise_as_form_error(self, error)
        return data

    def check_login(self, data: dict[str, Any]) -> None:
        """Only the creation form has a login to check."""


class StaffCreateForm(StaffForm):
    username = forms.CharField(label=_("登录名"), max_length=150)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def check_login(self, data: dict[str, Any]) -> None:
        if data["password1"] != data["password2"]:
            raise forms.ValidationError({"password2": _("两次输入的密码不一致")})
        try:
            services.check_new_login(
                username=data["username"], password=data["password1"], name=data.get("name", "")
            )
        except DomainError as error:
            field = "password1" if error.field == "password" else error.field
            raise forms.ValidationError({field: error.message}) from None


@admin.register(Staff)
class StaffAdmin(CentreScopedAdmin):
    list_display = ["name", "username", "centre", "department", "role_names", "is_active"]
    list_filter = [("centre", admin.RelatedOnlyFieldListFilter), "roles__role", "is_active"]
    search_fields = ["name", "employee_number", "user__username"]
    list_select_related = ["centre", "department", "user"]

    _fields = [
        "name",
        "centre",
        "department",
        "roles",
        "employee_number",
        "phone",
        "is_party_member",
        "is_active",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("roles")

    def get_form(self, request: HttpRequest, obj: Staff | None = None, **kwargs):
        kwargs["form"] = StaffForm if obj is not None else StaffCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Staff | None = None):
        if obj is None:
            return ["username", "password1", "password2", *self._fields]
        return self._fields

    @admin.display(description=_("登录名"), ordering="user__username")
    def username(self, obj: Staff) -> str:
        return obj.user.username

    @admin.display(description=_("角色"))
    def role_names(self, obj: Staff) -> str:
        return "、".join(str(Role(r.role).label) for r in obj.roles.all())

    def save_model(self, request, obj: Staff, form: forms.Form, change: bool) -> None:
        data = form.cleaned_data
        common = {
            "name": data["name"],
            "centre": data["centre"],
            "department": data.get("department"),
            "roles": data["roles"],
            "employee_number": data.get("employee_number", ""),
            "phone": data.get("phone", ""),
            "is_party_member": data.get("is_party_member", False),
        }
        if change:
            current = Staff.objects.select_related("user").get(pk=obj.pk)
            saved = services.staff_update(
                staff=current, is_active=data.get("is_active", True), **common
            )
        else:
            saved = services.staff_create(
                username=data["username"], password=data["password1"], **common
            )
        adopt(obj, saved)
