"""Admin for the secretariat: accounts, the activity log, and a mixin that logs every admin change."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import activity
from .models import ActivityLog, ContentTranslation, OutgoingEmail, TextEmbedding, User


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


class DeliveryAdmin(admin.ModelAdmin):
    """The one admin of durable deliveries (`common.delivery`), subclassed for each kind: what
    waits, what was done, what failed and why, view only; "send again" gives failed (and waiting)
    rows a fresh set of attempts, due now."""

    list_filter = ["status"]
    actions = ["send_again"]

    #: The kind's own columns, shown before the delivery state.
    list_display_extra: list[str] = ["__str__"]

    def get_list_display(self, request):
        return [*self.list_display_extra, "status", "attempts", "next_attempt_at", "last_attempt_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # View only: saving the form would write back a stale copy of a row a worker may be
        # updating at that moment. "Send again" is the one change, made by the primitive.
        return False

    @admin.action(description=_("Send the selected deliveries again (failed, or waiting for a retry)"))
    def send_again(self, request, queryset):
        from . import delivery

        count = delivery.retry(
            delivery.channel_for(self.model), queryset.values_list("pk", flat=True), include_pending=True
        )
        self.message_user(request, _("%(n)d queued again.") % {"n": count}, messages.SUCCESS)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(DeliveryAdmin):
    """The outbox, read-only: what was sent, what waits, what failed and why."""

    list_display_extra = ["subject", "recipient_list", "sent_at"]
    search_fields = ["subject", "recipients"]

    @admin.display(description="recipients")
    def recipient_list(self, obj):
        return ", ".join(obj.recipients)


@admin.register(TextEmbedding)
class TextEmbeddingAdmin(admin.ModelAdmin):
    list_display = ["key", "model", "dim", "created_at"]
    readonly_fields = ["key", "model", "dim", "created_at"]
    exclude = ["vector"]

    def has_add_permission(self, request):
        return False


@admin.register(ContentTranslation)
class ContentTranslationAdmin(admin.ModelAdmin):
    """View only: versions change through the workflow (common.translations), which checks who
    may act and keeps the status and the hash true."""

    list_display = ["content_type", "object_id", "language", "status", "state", "translator", "updated_at"]
    list_filter = ["status", "state", "language", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
