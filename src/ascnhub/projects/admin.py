from django.contrib import admin
from import_export.admin import ImportExportMixin

from ascnhub.common.admin import ActivityLoggedAdmin

from .importers import OfferResource, ProjectResource
from .models import (
    Need,
    Offer,
    Partnership,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectParty,
    ReportAttachment,
)


class PartyInline(admin.TabularInline):
    model = ProjectParty
    extra = 0
    autocomplete_fields = ["organisation"]


class DocumentInline(admin.TabularInline):
    model = ProjectDocument
    extra = 0
    exclude = ["public_id"]


class ImportWithUser(ImportExportMixin):
    """Imports run as the signed-in user, so row permissions and the activity log name them."""

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


@admin.register(Project)
class ProjectAdmin(ImportWithUser, ActivityLoggedAdmin):
    resource_classes = [ProjectResource]
    list_display = ["title", "city", "status", "published", "is_demo", "updated_at"]
    list_filter = ["status", "published", "is_demo", "focus_areas", "city__country"]
    list_select_related = ["city"]
    search_fields = ["title", "search_text"]
    autocomplete_fields = ["city"]
    inlines = [PartyInline, DocumentInline]
    exclude = ["created_by"]


@admin.register(Need)
class NeedAdmin(ActivityLoggedAdmin):
    list_display = ["title", "city", "kind", "stage", "is_open", "published"]
    list_filter = ["kind", "stage", "is_open", "published", "focus_areas"]
    list_select_related = ["city"]
    search_fields = ["title", "search_text"]
    autocomplete_fields = ["city", "project"]
    exclude = ["created_by"]


class AttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 0
    exclude = ["public_id"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ActivityLoggedAdmin):
    list_display = ["project", "period_end", "state", "physical_actual", "financial_actual"]
    list_filter = ["state"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    inlines = [AttachmentInline]
    readonly_fields = ["submitted_at", "reviewed_at", "reviewed_by", "created_by"]


@admin.register(Partnership)
class PartnershipAdmin(ActivityLoggedAdmin):
    list_display = ["title", "city", "organisation", "kind", "start_date", "published"]
    list_filter = ["kind", "published"]
    list_select_related = ["city", "organisation"]
    autocomplete_fields = ["city", "organisation", "project"]


@admin.register(Offer)
class OfferAdmin(ImportWithUser, ActivityLoggedAdmin):
    resource_classes = [OfferResource]
    list_display = ["title", "organisation", "language", "published", "is_demo"]
    list_filter = ["published", "is_demo", "focus_areas", "language"]
    list_select_related = ["organisation"]
    search_fields = ["title", "search_text"]
    autocomplete_fields = ["organisation"]
    exclude = ["created_by"]
