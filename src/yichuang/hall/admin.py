"""Admin (in Chinese) of the hall: queues and kiosks are configured here; tickets, windows'
sessions, appointments, assistance assignments and home visits are listed read-only for
supervision (they change only through the hall's own pages and services).

A centre admin who is not a superuser sees only their centre's subtree, as in
`orgs.admin` (`CentreScopedAdmin`). Phone numbers are shown masked: supervision needs no
whole number (`identity.access`: leaders and centre admins see them masked).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yichuang.common.admin_helpers import adopt, raise_as_form_error
from yichuang.common.errors import DomainError
from yichuang.common.masking import mask_phone
from yichuang.hall.models import (
    Appointment,
    Assignment,
    HomeVisit,
    Kiosk,
    Queue,
    Ticket,
    TicketEvent,
    WindowSession,
)
from yichuang.hall.services import queues as queue_services
from yichuang.orgs.admin import CentreScopedAdmin, managed_centre_ids
from yichuang.orgs.models import Window


class ReadOnlyMixin:
    """Rows made by the hall's services: the admin only looks."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- queues ------------------------------------------------------------------------------


class QueueForm(forms.ModelForm):
    class Meta:
        model = Queue
        fields = [
            "centre",
            "code",
            "name",
            "description",
            "windows",
            "service_minutes",
            "slot_capacity",
            "sort_order",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        centre = data.get("centre") or self.instance.centre
        try:
            data["code"] = queue_services.check_queue(
                centre=centre,
                code=data["code"],
                name=data["name"],
                windows=data.get("windows", ()),
                queue=self.instance if self.instance.pk else None,
            )
        except DomainError as error:
            raise_as_form_error(self, error)
        return data

    def validate_unique(self) -> None:
        """The letter's uniqueness is checked in `clean` through the service's rules."""


_QUEUE_VALUES = ["name", "description", "service_minutes", "slot_capacity", "sort_order"]


@admin.register(Queue)
class QueueAdmin(CentreScopedAdmin):
    form = QueueForm
    list_display = ["code", "name", "centre", "window_numbers", "slot_capacity", "is_active"]
    list_filter = [("centre", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["centre"]
    filter_horizontal = ["windows"]
    ordering = ["centre", "sort_order", "code"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("windows")

    @admin.display(description=_("服务窗口"))
    def window_numbers(self, obj: Queue) -> str:
        return "、".join(f"{w.number}号" for w in sorted(obj.windows.all(), key=lambda w: w.number))

    def get_readonly_fields(self, request: HttpRequest, obj: Queue | None = None):
        return ["centre"] if obj is not None else []

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model is Window:
            windows = Window.objects.filter(centre_id__in=managed_centre_ids(request))
            queue_id = request.resolver_match.kwargs.get("object_id")
            queue = Queue.objects.filter(pk=queue_id).first() if queue_id else None
            if queue is not None:  # the queue's own centre only
                windows = windows.filter(centre_id=queue.centre_id)
            kwargs["queryset"] = windows.select_related("centre").order_by("centre", "number")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj: Queue, form: forms.Form, change: bool) -> None:
        data = form.cleaned_data
        values = {k: data[k] for k in _QUEUE_VALUES}
        windows = list(data.get("windows", ()))
        if change:
            current = Queue.objects.select_related("centre").get(pk=obj.pk)
            saved = queue_services.queue_update(
                queue=current,
                code=data["code"],
                windows=windows,
                is_active=data["is_active"],
                **values,
            )
        else:
            saved = queue_services.queue_create(
                centre=data["centre"],
                code=data["code"],
                windows=windows,
                is_active=data["is_active"],
                **values,
            )
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change) -> None:
        """The windows were set by the service; only formsets remain."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- kiosks ------------------------------------------------------------------------------


def kiosk_services() -> ModuleType | None:
    """`hall.services.kiosk` (which makes kiosks and their pairing tokens), if installed."""
    try:
        return importlib.import_module("yichuang.hall.services.kiosk")
    except ModuleNotFoundError:
        return None


class KioskCreateForm(forms.ModelForm):
    """A new kiosk through `kiosk_create`, which answers the kiosk and its pairing token."""

    class Meta:
        model = Kiosk
        fields = ["centre", "code", "name", "location"]

    created: tuple[Kiosk, str] | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        service = kiosk_services()
        if service is None:
            raise forms.ValidationError(_("自助终端服务未安装，暂不能新建终端"))
        if Kiosk.objects.filter(code=data["code"]).exists():
            raise forms.ValidationError({"code": _("已有这个编号的自助终端")})
        try:
            self.created = service.kiosk_create(
                centre=data["centre"],
                code=data["code"],
                name=data["name"],
                location=data.get("location", ""),
            )
        except DomainError as error:
            raise_as_form_error(self, error)
        return data

    def validate_unique(self) -> None:
        """The code's uniqueness is checked in `clean`, before the kiosk is made."""


@admin.register(Kiosk)
class KioskAdmin(CentreScopedAdmin):
    list_display = ["code", "name", "centre", "location", "is_active", "created_at"]
    list_filter = [("centre", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ["code", "name", "location"]
    list_select_related = ["centre"]
    readonly_fields = ["centre", "code", "name", "location", "is_active", "created_at"]

    def get_form(self, request: HttpRequest, obj: Kiosk | None = None, **kwargs):
        if obj is None:
            kwargs["form"] = KioskCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Kiosk | None = None):
        return self.readonly_fields if obj is not None else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and kiosk_services() is not None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request, obj: Kiosk, form: forms.Form, change: bool) -> None:
        kiosk, token = form.created
        adopt(obj, kiosk)
        self.message_user(
            request,
            _("自助终端“%(name)s”的配对令牌：%(token)s（只显示这一次，请立即在终端上录入）")
            % {"name": kiosk.name, "token": token},
            level=messages.WARNING,
        )


# --- read-only supervision ---------------------------------------------------------------


class TicketEventInline(ReadOnlyMixin, admin.TabularInline):
    model = TicketEvent
    fields = ["at", "kind", "window", "staff", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["id"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyMixin, CentreScopedAdmin):
    list_display = [
        "number",
        "day",
        "queue",
        "status",
        "priority",
        "taken_via",
        "taken_at",
        "window",
        "first_called_at",
        "finished_at",
    ]
    list_filter = ["status", "taken_via", "priority", ("queue", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number"]
    date_hierarchy = "day"
    list_select_related = ["queue", "window"]
    exclude = ["applicant"]
    readonly_fields = ["applicant_name"]
    inlines = [TicketEventInline]

    @admin.display(description=_("申请人"))
    def applicant_name(self, obj: Ticket) -> str:
        return obj.applicant.name if obj.applicant_id else "—"


@admin.register(WindowSession)
class WindowSessionAdmin(ReadOnlyMixin, CentreScopedAdmin):
    list_display = ["window", "staff", "started_at", "ended_at", "paused", "current_ticket"]
    list_filter = ["paused", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["staff__name"]
    date_hierarchy = "started_at"
    list_select_related = ["window", "staff", "current_ticket"]

    def centre_id_of(self, obj: WindowSession) -> int | None:
        return obj.window.centre_id

    def scope(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        return queryset.filter(window__centre_id__in=managed_centre_ids(request))


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyMixin, CentreScopedAdmin):
    list_display = ["code", "day", "slot", "queue", "applicant", "status", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["code", "applicant__name"]
    date_hierarchy = "day"
    list_select_related = ["slot__queue", "applicant"]
    exclude = ["phone"]
    readonly_fields = ["masked_phone"]

    @admin.display(description=_("队列"))
    def queue(self, obj: Appointment) -> str:
        return str(obj.slot.queue)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Appointment) -> str:
        return mask_phone(obj.phone)

    def centre_id_of(self, obj: Appointment) -> int | None:
        return obj.slot.queue.centre_id

    def scope(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        return queryset.filter(slot__queue__centre_id__in=managed_centre_ids(request))


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyMixin, CentreScopedAdmin):
    list_display = ["helper", "applicant", "case", "status", "authorised_at", "created_at"]
    list_filter = ["status", ("centre", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["helper__name", "applicant__name", "case__number"]
    list_select_related = ["helper", "applicant", "case"]


@admin.register(HomeVisit)
class HomeVisitAdmin(ReadOnlyMixin, CentreScopedAdmin):
    list_display = ["applicant", "reason", "status", "scheduled_for", "visited_at", "case"]
    list_filter = ["status", "reason", ("centre", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["applicant__name", "case__number"]
    list_select_related = ["applicant", "case"]
    exclude = ["contact_phone"]
    readonly_fields = ["masked_phone"]

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: HomeVisit) -> str:
        return mask_phone(obj.contact_phone)
