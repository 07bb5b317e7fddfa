"""Admin for the secretariat: accounts, the activity log, and a mixin that logs every admin change."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import activity
from .models import ActivityLog, OutgoingEmail, TextEmbedding, User


class ActivityLoggedAdmin(admin.ModelAdmin):
    """Every create, change and delete made in the admin lands in the activity log."""

    def save_model(self, request, obj, form, change):
        before = activity.snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        activity.record(
            request.user, "update" if change else "create", obj, activity.diff(before, activity.snapshot(obj))
        )

    def delete_model(self, request, obj):
        activity.record(request.user, "delete", obj, activity.diff(activity.snapshot(obj), {}))
        super().delete_model(request, obj)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor__email"]
    readonly_fields = [f.name for f in ActivityLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent, what waits, what failed and why."""

    list_display = ["subject", "recipient_list", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "recipients"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["send_again"]

    @admin.display(description="recipients")
    def recipient_list(self, obj):
        return ", ".join(obj.recipients)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected failed messages again")
    def send_again(self, request, queryset):
        from . import mail

        count = mail.retry(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} message(s) queued again")


@admin.register(TextEmbedding)
class TextEmbeddingAdmin(admin.ModelAdmin):
    list_display = ["key", "model", "dim", "created_at"]
    readonly_fields = ["key", "model", "dim", "created_at"]
    exclude = ["vector"]

    def has_add_permission(self, request):
        return False
