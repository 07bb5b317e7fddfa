from django.contrib import admin

from ascnhub.common.admin import ActivityLoggedAdmin

from .models import Case, CaseAttachment, Chapter, ChapterComment, ChapterRevision


class CaseAttachmentInline(admin.TabularInline):
    model = CaseAttachment
    extra = 0


@admin.register(Case)
class CaseAdmin(ActivityLoggedAdmin):
    list_display = ["title", "place_name", "country", "focus_area", "language", "published"]
    list_filter = ["focus_area", "language", "country", "published"]
    search_fields = ["title", "problem", "solution", "place"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["city", "partners"]
    filter_horizontal = ["projects", "partnerships"]
    inlines = [CaseAttachmentInline]


class ChapterRevisionInline(admin.TabularInline):
    model = ChapterRevision
    extra = 0
    fields = ["number", "title", "summary", "author", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Chapter)
class ChapterAdmin(ActivityLoggedAdmin):
    """Chapters are written on the site (revisions, review); the admin adds them and orders them."""

    list_display = ["position", "title", "part", "status", "revision_number", "language"]
    list_display_links = ["title"]
    list_filter = ["part", "status"]
    fields = ["title", "slug", "part", "position", "language"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ChapterRevisionInline]


@admin.register(ChapterComment)
class ChapterCommentAdmin(ActivityLoggedAdmin):
    list_display = ["chapter", "kind", "author", "created_at"]
    list_filter = ["kind"]
