"""API tokens (a secret shown once, stored as a hash, with scopes and an expiry), registrations made
through the API, and webhooks (endpoints and their deliveries)."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascnhub.common.models import Delivery


class Scope(models.TextChoices):
    READ_PRIVATE = "read:private", _("read what the token's owner may see")
    WRITE_REGISTRATIONS = "write:registrations", _("register for meetings")
    WRITE_MEETING_REQUESTS = "write:meeting_requests", _("request and answer 1:1 meetings")
    WRITE_PROGRESS_REPORTS = "write:progress_reports", _("file project progress reports")
    MANAGE_WEBHOOKS = "manage:webhooks", _("manage the owner's webhook endpoints")


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)  # shown in lists so owners can tell tokens apart
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return not self.revoked and (self.expires_at is None or self.expires_at > timezone.now())


class SubmittedRegistration(models.Model):
    """Who registered someone through the API: that user (and token) may read the registration's status."""

    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="api_submission"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class WebhookEvent(models.TextChoices):
    REGISTRATION_APPROVED = "registration.approved", _("a registration is approved")
    MEETING_SCHEDULED = "matchmaking.meeting_scheduled", _("a matchmaking schedule is published")
    PING = "ping", _("a test delivery asked for by the endpoint's owner")


def _webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL of an integrator that receives signed POSTs for the events it subscribed to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100, default=_webhook_secret)
    events = models.JSONField(
        _("events"), default=list, help_text=_("Event names, e.g. registration.approved.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(Delivery):
    """One event for one endpoint: created with the event (same transaction), sent and retried until
    done through the durable-delivery channel "webhook" (`common.delivery`)."""

    DONE = "delivered"
    DONE_AT = "delivered_at"

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed for good")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=60, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
