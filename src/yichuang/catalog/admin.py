"""Admin (in Chinese) of the catalogue: items, their versions, bundles.

Every change goes through `catalog.services`: a new item is created with its draft
version 1; only a draft is editable (materials and stage tasks inline); the actions
"发布" and "创建新草稿" call `item_version_publish` and `item_draft_create`, and a
rejected publish shows every violation. The Excel import and export pages hang off the
item list (`CatalogExcelAdminMixin`). A centre admin sees only their centres' catalogue.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yichuang.catalog import services
from yichuang.catalog.admin_excel import CatalogExcelAdminMixin
from yichuang.catalog.errors import PublishRejected
from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    ItemType,
    Level,
    Material,
    OnlineDepth,
    ProcessStageTask,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
    depth_levels,
    depth_mask,
)
from yichuang.common.admin_helpers import adopt
from yichuang.common.errors import DomainError
from yichuang.orgs.admin import CentreScopedAdmin, managed_centre_ids
from yichuang.orgs.models import Department, Window


def _report(request: HttpRequest, modeladmin: admin.ModelAdmin, error: DomainError) -> None:
    """Show a domain error, and each of its details, as admin error messages."""
    if isinstance(error, PublishRejected):
        modeladmin.message_user(request, gettext("不能发布：请先修正以下问题"), messages.ERROR)
        for detail in error.details or []:
            modeladmin.message_user(request, detail["message"], messages.ERROR)
    else:
        modeladmin.message_user(request, error.message, messages.ERROR)


def _version_publish(request: HttpRequest, modeladmin, version: ServiceItemVersion) -> bool:
    try:
        services.item_version_publish(version=version, actor=request.user)
    except DomainError as error:
        modeladmin.message_user(
            request,
            gettext("“%(name)s”第%(n)d版未发布。") % {"name": version.name, "n": version.version},
            messages.ERROR,
        )
        _report(request, modeladmin, error)
        return False
    modeladmin.message_user(
        request,
        gettext("“%(name)s”第%(n)d版已发布，原发布版本已归档。")
        % {"name": version.name, "n": version.version},
        messages.SUCCESS,
    )
    return True


def _draft_create(request: HttpRequest, modeladmin, item: ServiceItem) -> None:
    try:
        draft = services.item_draft_create(item=item, actor=request.user)
    except DomainError as error:
        _report(request, modeladmin, error)
        return
    url = reverse("admin:catalog_serviceitemversion_change", args=[draft.pk])
    modeladmin.message_user(
        request,
        format_html(
            gettext('已准备草稿：<a href="{}">{}（第{}版）</a>'), url, draft.name, draft.version
        ),
        messages.SUCCESS,
    )


# --- items --------------------------------------------------------------------------------


class ServiceItemCreateForm(forms.ModelForm):
    """A new item: its codes and department, and what its draft version 1 needs."""

    name = forms.CharField(label=_("事项名称"), max_length=200)
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ItemType.choices)
    level = forms.ChoiceField(label=_("行使层级"), choices=Level.choices, initial=Level.COUNTY)

    class Meta:
        model = ServiceItem
        fields = ["centre", "department", "implementation_code", "base_code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        centre, department = data.get("centre"), data.get("department")
        if centre and department:
            try:
                services.check_item_department(centre=centre, department=department)
            except DomainError as error:
                self.add_error(error.field, error.message)
        return data


class VersionInline(admin.TabularInline):
    model = ServiceItemVersion
    fields = ["link", "status", "published_at", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-version"]
    verbose_name = _("版本")
    verbose_name_plural = _("版本")

    @admin.display(description=_("版本"))
    def link(self, obj: ServiceItemVersion) -> str:
        url = reverse("admin:catalog_serviceitemversion_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, str(obj))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _current_name():
    versions = ServiceItemVersion.objects.filter(item=OuterRef("pk")).order_by("-version")
    return Subquery(versions.values("name")[:1])


def _published_number():
    versions = ServiceItemVersion.objects.filter(
        item=OuterRef("pk"), status=VersionStatus.PUBLISHED
    )
    return Subquery(versions.values("version")[:1])


@admin.register(ServiceItem)
class ServiceItemAdmin(CatalogExcelAdminMixin, CentreScopedAdmin):
    list_display = [
        "implementation_code",
        "current_name",
        "department",
        "centre",
        "published_version",
    ]
    list_filter = [("department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["implementation_code", "base_code", "versions__name"]
    list_select_related = ["department", "centre"]
    inlines = [VersionInline]
    actions = ["draft_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(current_name=_current_name(), published_number=_published_number())
        )

    @admin.display(description=_("事项名称"))
    def current_name(self, obj: ServiceItem) -> str:
        return obj.current_name or "—"

    @admin.display(description=_("已发布版本"))
    def published_version(self, obj: ServiceItem) -> str:
        return gettext("第%(n)d版") % {"n": obj.published_number} if obj.published_number else "—"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs):
        if obj is None:
            kwargs["form"] = ServiceItemCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None):
        if obj is None:
            return [
                "centre",
                "department",
                "implementation_code",
                "base_code",
                "name",
                "item_type",
                "level",
            ]
        return ["centre", "department", "implementation_code", "base_code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return self.get_fields(request, obj) if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: Any = None):
        return [VersionInline] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request, obj: ServiceItem, form: forms.Form, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        draft = services.item_create(
            centre=data["centre"],
            department=data["department"],
            implementation_code=data["implementation_code"],
            base_code=data["base_code"],
            actor=request.user,
            name=data["name"],
            item_type=data["item_type"],
            level=data["level"],
        )
        adopt(obj, draft.item)

    def save_related(self, request, form, formsets, change) -> None:
        """Items have nothing related to save here; versions are edited on their own page."""

    def response_add(self, request, obj: ServiceItem, post_url_continue=None):
        draft = obj.versions.get(status=VersionStatus.DRAFT)
        self.message_user(request, gettext("事项已创建，请完善第1版草稿后发布。"), messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:catalog_serviceitemversion_change", args=[draft.pk])
        )

    @admin.action(description=_("创建新草稿"))
    def draft_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        for item in queryset:
            _draft_create(request, self, item)


# --- versions -----------------------------------------------------------------------------


class DraftOnlyInline(admin.TabularInline):
    """Rows of a version, editable only while the version is a draft."""

    extra = 0

    def _editable(self, obj: Any) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class MaterialInline(DraftOnlyInline):
    model = Material
    fields = [
        "position",
        "name",
        "required",
        "pendable",
        "source",
        "issuing_body",
        "form",
        "copies",
        "template",
        "sample",
        "acceptance_standard",
        "note",
    ]


class ProcessStageTaskInline(DraftOnlyInline):
    model = ProcessStageTask
    fields = ["stage", "stage_name", "department", "limit_workdays", "deemed_consent_on_timeout"]

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model is Department and not request.user.is_superuser:
            kwargs["queryset"] = Department.objects.filter(
                centre_id__in=managed_centre_ids(request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ServiceItemVersionForm(forms.ModelForm):
    """The online depth is edited as check boxes and stored as a bit mask."""

    online_depth = forms.TypedMultipleChoiceField(
        label=_("网办深度"),
        choices=OnlineDepth.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ServiceItemVersion
        fields = [*sorted(services.EDITABLE_FIELDS), "windows"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "online_depth" in self.fields and self.instance.pk:
            self.initial["online_depth"] = depth_levels(self.instance.online_depth)

    def clean_online_depth(self) -> int:
        return depth_mask(self.cleaned_data.get("online_depth") or [])


_VERSION_FIELDSETS = [
    (None, {"fields": ["item", "version", "status", "published_at", "published_by"]}),
    (
        _("基本信息"),
        {
            "fields": [
                "name",
                "business_code",
                "item_type",
                "keywords",
                "level",
                "source_of_authority",
                "legal_basis",
            ]
        },
    ),
    (
        _("办理方式"),
        {
            "fields": [
                ("for_natural_persons", "for_legal_persons"),
                "conditions",
                "process_description",
                ("handled_at_window", "handled_online", "handled_by_post"),
                "place",
                "hours",
                ("consultation_phone", "complaint_phone"),
                "windows",
            ]
        },
    ),
    (
        _("办理时限"),
        {
            "fields": [
                "handling_kind",
                ("statutory_limit", "statutory_limit_unit"),
                "statutory_limit_note",
                ("promised_limit", "promised_limit_unit"),
                "promised_limit_note",
                "special_procedures",
                "rejection_policy",
                "trips",
            ]
        },
    ),
    (_("收费"), {"fields": ["fee_charged", "fee_basis", "fee_standard", "fee_waiver"]}),
    (
        _("网上办理"),
        {
            "fields": [
                "online_depth",
                "fully_online",
                ("booking_supported", "online_payment", "courier_delivery", "kiosk_handling"),
                "cross_region_scope",
            ]
        },
    ),
    (_("办理结果"), {"fields": ["result_name", "result_type"]}),
]
_ALWAYS_READONLY = ["item", "version", "status", "published_at", "published_by"]


def _readonly_fieldsets():
    """The fieldsets of a published or archived version: depth shown by level names."""
    return [
        (
            title,
            {
                "fields": [
                    "online_depth_names" if entry == "online_depth" else entry
                    for entry in options["fields"]
                ]
            },
        )
        for title, options in _VERSION_FIELDSETS
    ]


def _flat(fieldsets) -> list[str]:
    names: list[str] = []
    for _title, options in fieldsets:
        for entry in options["fields"]:
            names.extend(entry if isinstance(entry, tuple) else [entry])
    return names


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(CentreScopedAdmin):
    form = ServiceItemVersionForm
    fieldsets = _VERSION_FIELDSETS
    inlines = [MaterialInline, ProcessStageTaskInline]
    list_display = [
        "name",
        "item_code",
        "version",
        "status",
        "item_type",
        "handling_kind",
        "department",
        "published_at",
    ]
    list_filter = [
        "status",
        "item_type",
        "handling_kind",
        "fully_online",
        ("item__department", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "search_text", "item__implementation_code", "item__base_code"]
    list_select_related = ["item", "item__department"]
    filter_horizontal = ["windows"]
    actions = ["publish_selected", "draft_selected"]
    change_form_template = "admin/catalog/serviceitemversion/change_form.html"

    def centre_id_of(self, obj: ServiceItemVersion) -> int | None:
        return obj.item.centre_id

    def scope(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        return queryset.filter(item__centre_id__in=managed_centre_ids(request))

    @admin.display(description=_("实施编码"), ordering="item__implementation_code")
    def item_code(self, obj: ServiceItemVersion) -> str:
        return obj.item.implementation_code

    @admin.display(description=_("实施主体"), ordering="item__department__name")
    def department(self, obj: ServiceItemVersion) -> str:
        return str(obj.item.department)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None):
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return _readonly_fieldsets()
        return _VERSION_FIELDSETS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return _flat(_readonly_fieldsets())
        return _ALWAYS_READONLY

    @admin.display(description=_("网办深度"))
    def online_depth_names(self, obj: ServiceItemVersion) -> str:
        names = [str(OnlineDepth(level).label) for level in obj.online_depth_levels]
        return "、".join(names) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == VersionStatus.DRAFT)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model is Window and not request.user.is_superuser:
            kwargs["queryset"] = Window.objects.filter(centre_id__in=managed_centre_ids(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj: ServiceItemVersion, form: forms.Form, change: bool):
        names = [
            name
            for name in form.changed_data
            if name in services.EDITABLE_FIELDS or name == "windows"
        ]
        current = ServiceItemVersion.objects.select_related("item").get(pk=obj.pk)
        if current.status != VersionStatus.DRAFT:
            return  # everything is read-only: nothing was edited
        saved = services.item_version_update(
            version=current,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in names},
        )
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change) -> None:
        """The windows were set by the service; only the inlines remain."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_change(self, request: HttpRequest, obj: ServiceItemVersion):
        if "_publish" in request.POST:
            _version_publish(request, self, obj)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = obj is not None and obj.status == VersionStatus.DRAFT
        context["can_draft"] = obj is not None and obj.status != VersionStatus.DRAFT
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_new_draft" in request.POST and object_id:
            obj = self.get_object(request, object_id)
            if obj is not None and self.has_change_permission(request, obj):
                _draft_create(request, self, obj.item)
                return HttpResponseRedirect(request.path)
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("发布"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        for version in queryset.select_related("item"):
            _version_publish(request, self, version)

    @admin.action(description=_("创建新草稿"))
    def draft_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        for item in ServiceItem.objects.filter(pk__in=queryset.values("item_id")).order_by("pk"):
            _draft_create(request, self, item)


# --- bundles ------------------------------------------------------------------------------


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    fields = ["position", "item"]
    autocomplete_fields = ["item"]
    extra = 0


@admin.register(Bundle)
class BundleAdmin(CentreScopedAdmin):
    list_display = ["name", "code", "centre", "is_published"]
    list_filter = ["is_published", ("centre", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]
    list_select_related = ["centre"]
    inlines = [BundleItemInline]
