"""Read-only admin of messages and reminders: they are written by the notification hooks."""

from __future__ import annotations

from django.contrib import admin

from yichuang.notifications.models import Message, Reminder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "case", "kind", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "recipient__username", "case__number")
    list_select_related = ("recipient", "case")
    date_hierarchy = "created_at"
    readonly_fields = ("recipient", "case", "kind", "title", "body", "created_at", "read_at")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("key", "case", "event", "sent_at")
    search_fields = ("key", "case__number")
    list_select_related = ("case",)
    readonly_fields = ("key", "case", "event", "sent_at")
