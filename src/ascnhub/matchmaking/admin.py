from django import forms
from django.contrib import admin, messages

from ascnhub.common.admin import ActivityLoggedAdmin, DeliveryAdmin

from . import moves
from .errors import MatchmakingError
from .models import (
    Lead,
    Location,
    MeetingReminder,
    MeetingRequest,
    Profile,
    ScheduledMeeting,
    ScheduleRun,
    Setup,
    Slot,
)


@admin.register(Setup)
class SetupAdmin(ActivityLoggedAdmin):
    list_display = [
        "meeting",
        "is_open",
        "request_deadline",
        "max_open_requests",
        "auto_accept",
        "published_run",
    ]
    # Publishing another run goes through the run page or `ascnhub matchmaking rollback` (checked).
    readonly_fields = ["published_run", "data_version"]


@admin.register(Profile)
class ProfileAdmin(ActivityLoggedAdmin):
    list_display = ["name", "kind", "country", "mode", "setup"]
    list_filter = ["kind", "mode", "setup"]
    search_fields = ["name"]
    raw_id_fields = ["owner", "members", "needs", "offers", "unavailable", "organisation", "city"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ActivityLoggedAdmin):
    list_display = ["requester", "recipient", "priority", "status", "locked", "created_at"]
    list_filter = ["status", "priority", "locked"]
    raw_id_fields = ["requester", "recipient"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = [
        "setup",
        "number",
        "status",
        "is_reschedule",
        "best",
        "bound",
        "created_at",
        "published_at",
    ]
    exclude = ["instance", "result"]

    # Runs are written by the scheduler and the publishing service only: read-only here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScheduledMeetingForm(forms.ModelForm):
    """Only the place can change here, and only through `moves.move_meeting` (with its checks)."""

    class Meta:
        model = ScheduledMeeting
        fields = ["slot", "location"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("slot") and data.get("location"):
            problems = moves.check_move(self.instance, slot=data["slot"], location=data["location"])
            if problems:
                raise forms.ValidationError("; ".join(problems))
        return data


@admin.register(ScheduledMeeting)
class ScheduledMeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "slot", "location", "status", "version"]
    list_filter = ["status"]
    form = ScheduledMeetingForm
    raw_id_fields = ["slot", "location"]
    readonly_fields = ["request", "run", "status", "version"]

    def has_add_permission(self, request):
        return False  # meetings come from publishing a run

    def save_model(self, request, obj, form, change):
        # The move service writes the row (and its bookings, pin and notifications), not the admin.
        try:
            moves.move_meeting(
                request.user,
                obj,
                slot=form.cleaned_data["slot"],
                location=form.cleaned_data["location"],
                version=ScheduledMeeting.objects.get(pk=obj.pk).version,
            )
        except MatchmakingError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)


admin.site.register(Slot)
admin.site.register(Location)
admin.site.register(Lead)


@admin.register(MeetingReminder)
class MeetingReminderAdmin(DeliveryAdmin):
    list_display_extra = ["meeting", "sent_at"]
