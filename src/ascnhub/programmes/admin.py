"""The secretariat's admin for programmes, studies, agreements, councils and action plans (logged)."""

from __future__ import annotations

from django.contrib import admin

from ascnhub.common.admin import ActivityLoggedAdmin

from . import models


class StudyDocumentInline(admin.TabularInline):
    model = models.StudyDocument
    extra = 0


class CooperationItemInline(admin.TabularInline):
    model = models.CooperationItem
    extra = 0
    fields = ["number", "title", "status"]
    # The status follows the item's updates (services.add_item_update); it is shown, not edited here.
    readonly_fields = ["status"]


class CouncilMemberInline(admin.TabularInline):
    model = models.CouncilMember
    extra = 0
    autocomplete_fields = ["organisation", "person"]


class MeetingDocumentInline(admin.TabularInline):
    model = models.MeetingDocument
    extra = 0


@admin.register(models.Programme)
class ProgrammeAdmin(ActivityLoggedAdmin):
    list_display = ["name", "funder", "published", "is_demo"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Study)
class StudyAdmin(ActivityLoggedAdmin):
    list_display = ["title", "programme", "fiscal_year", "published", "is_demo"]
    list_filter = ["programme", "fiscal_year"]
    search_fields = ["title", "theme"]
    filter_horizontal = ["cities", "consortium", "projects"]
    inlines = [StudyDocumentInline]


@admin.register(models.Agreement)
class AgreementAdmin(ActivityLoggedAdmin):
    list_display = ["title", "kind", "signed_on", "published", "is_demo"]
    filter_horizontal = ["cities", "organisations"]
    inlines = [CooperationItemInline]


@admin.register(models.Council)
class CouncilAdmin(ActivityLoggedAdmin):
    list_display = ["name", "city", "established_on", "published"]
    inlines = [CouncilMemberInline]


@admin.register(models.CouncilMeeting)
class CouncilMeetingAdmin(ActivityLoggedAdmin):
    list_display = ["title", "council", "date"]
    inlines = [MeetingDocumentInline]


@admin.register(models.ActionPlanItem)
class ActionPlanItemAdmin(ActivityLoggedAdmin):
    list_display = ["code", "title", "city"]
    list_filter = ["city__country"]
    filter_horizontal = ["projects"]
