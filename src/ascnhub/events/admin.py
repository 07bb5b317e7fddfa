"""Admin for organisers on the secretariat: meetings with their rooms, categories and sessions."""

from __future__ import annotations

from django.contrib import admin

from ascnhub.common.admin import ActivityLoggedAdmin

from .models import AgendaVersion, Meeting, Registration, RegistrationCategory, Room, Session, SessionSpeaker


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class CategoryInline(admin.TabularInline):
    model = RegistrationCategory
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "kind",
        "colour",
        "capacity",
        "approval",
        "default_mode",
        "mode_choice",
        "is_public",
        "questions",
    ]


@admin.register(Meeting)
class MeetingAdmin(ActivityLoggedAdmin):
    list_display = ["title", "start_date", "place", "format", "status"]
    list_filter = ["status", "kind", "format"]
    search_fields = ["title", "slug", "place"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["co_chairs", "organisers", "check_in_staff"]
    autocomplete_fields = ["host"]
    inlines = [RoomInline, CategoryInline]


class SpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(Session)
class SessionAdmin(ActivityLoggedAdmin):
    list_display = ["title", "meeting", "kind", "starts_at", "ends_at", "room", "track"]
    list_filter = ["meeting", "kind"]
    search_fields = ["title"]
    inlines = [SpeakerInline]


@admin.register(Registration)
class RegistrationAdmin(ActivityLoggedAdmin):
    list_display = ["name", "meeting", "category", "country", "mode", "status", "created_at"]
    list_filter = ["meeting", "status", "mode", "category__kind"]
    search_fields = ["name", "email", "organisation_name"]
    readonly_fields = ["public_id", "created_at", "decided_at", "decided_by", "user", "person"]
    list_select_related = ["meeting", "category"]


@admin.register(AgendaVersion)
class AgendaVersionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "published_at", "published_by"]
    readonly_fields = [f.name for f in AgendaVersion._meta.fields]

    def has_add_permission(self, request):
        return False
