from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import PrivacyError
from .models import ConsentRecord, ErasureRequest, RetentionRule


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ("user", "purpose", "scope", "text_version", "given_at", "withdrawn_at")
    list_filter = ("purpose", "text_version")
    raw_id_fields = ("user",)


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "requested_at", "due_at", "status", "decided_at", "decided_by")
    list_filter = ("status",)
    readonly_fields = ("user", "requested_at", "due_at", "status", "decided_at", "decided_by")
    actions = ["approve"]

    @admin.action(description=_("Approve: erase these people now"))
    def approve(self, request, queryset):
        done = 0
        for erasure in queryset.select_related("user"):
            try:
                services.approve_erasure(request.user, erasure)
                done += 1
            except PrivacyError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(request, _("%(n)d person(s) erased.") % {"n": done})


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("meeting", "months")
