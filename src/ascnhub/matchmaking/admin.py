from django.contrib import admin

from ascnhub.common.admin import ActivityLoggedAdmin, DeliveryAdmin

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


@admin.register(ScheduledMeeting)
class ScheduledMeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "slot", "location", "status"]
    list_filter = ["status"]
    raw_id_fields = ["request", "run", "slot", "location", "no_show"]


admin.site.register(Slot)
admin.site.register(Location)
admin.site.register(Lead)


@admin.register(MeetingReminder)
class MeetingReminderAdmin(DeliveryAdmin):
    list_display_extra = ["meeting", "sent_at"]
