from django.contrib import admin

from ascnhub.common.admin import ActivityLoggedAdmin, DeliveryAdmin

from .models import ActionItem, Commitment, OutcomeDocument, Recommendation, ReminderSent, StatusUpdate

# Outcome documents and their recommendations are written on the site (/outcomes/drafts/) and
# published only when another secretariat member approves them: the admin shows them read-only,
# so that it cannot be a way round the review.
DOCUMENT_CONTENT = ["meeting", "title", "adopted_on", "summary", "source_url", "published"]
RECOMMENDATION_CONTENT = ["document", "number", "title", "text", "carried_from"]


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ["number", "title", "text", "carried_from"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutcomeDocument)
class OutcomeDocumentAdmin(ActivityLoggedAdmin):
    list_display = ["title", "meeting", "adopted_on", "published"]
    list_filter = ["published"]
    search_fields = ["title", "meeting__title"]
    readonly_fields = DOCUMENT_CONTENT
    inlines = [RecommendationInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = [
        "party_kind",
        "member_state",
        "city",
        "organisation",
        "description",
        "due_date",
        "status",
        "progress",
    ]
    autocomplete_fields = ["city", "organisation"]


@admin.register(Recommendation)
class RecommendationAdmin(ActivityLoggedAdmin):
    list_display = ["__str__", "document"]
    list_filter = ["document"]
    search_fields = ["title", "text"]
    readonly_fields = RECOMMENDATION_CONTENT
    inlines = [CommitmentInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(ActivityLoggedAdmin):
    list_display = ["party", "recommendation", "due_date", "status", "progress"]
    list_filter = ["status", "party_kind", "recommendation__document"]
    search_fields = ["description"]
    autocomplete_fields = ["city", "organisation"]
    inlines = [ActionItemInline]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ActivityLoggedAdmin):
    list_display = ["commitment", "status", "progress", "author_name", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["commitment", "author"]


@admin.register(ReminderSent)
class ReminderSentAdmin(DeliveryAdmin):
    list_display_extra = ["kind", "item_type", "item_id", "due_date", "recipient", "language", "sent_at"]
    list_filter = ["status", "kind", "item_type", "language"]
    search_fields = ["recipient"]
