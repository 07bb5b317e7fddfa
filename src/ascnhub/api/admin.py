from django.contrib import admin

from ascnhub.common.admin import DeliveryAdmin

from .models import ApiToken, WebhookDelivery, WebhookEndpoint


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scopes", "created_at", "expires_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["name", "user__email", "prefix"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        from . import services

        for token in queryset.filter(revoked=False):
            services.revoke_token(request.user, token)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """The secretariat sees every endpoint and can switch one off; deliveries are listed below."""

    list_display = ["url", "owner", "events", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "owner__email", "description"]
    readonly_fields = ["public_id", "secret", "created_at"]
    raw_id_fields = ["owner"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(DeliveryAdmin):
    list_display_extra = ["event", "endpoint", "last_status_code", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["endpoint__url", "public_id"]
