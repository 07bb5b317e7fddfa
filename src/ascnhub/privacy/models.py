"""Personal data: consent records, erasure requests and the record that an erasure happened."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    PARTICIPANT_LIST = "participant_list", _("Appear in a meeting's participant list")
    MATCHMAKING_CONTACT = "matchmaking_contact", _("Share my contact with matchmaking partners")
    NEWSLETTER = "newsletter", _("Receive the network's newsletter")


#: The version of the consent texts shown now; a change of wording gets a new version, so each
#: record says which words the person agreed to.
TEXT_VERSION = "2026-12"


class ConsentRecord(models.Model):
    """One consent: for what, to which text version, when given and (if so) when withdrawn."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    scope = models.CharField(max_length=120, blank=True)  # e.g. "meeting:<slug>"
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {self.text_version}"


class ErasureRequest(models.Model):
    """A person asked to have their account deleted: the secretariat approves it, or it is carried
    out once the grace period (`ASCNHUB_ERASURE_GRACE_DAYS`) has passed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("carried out")
        CANCELLED = "cancelled", _("cancelled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="erasure_requests"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_erasure_per_user"
            )
        ]


class Erasure(models.Model):
    """That someone was erased, without saying who: a keyed hash of the e-mail only, so erasing the
    same address again is answered "already erased" and the database keeps no trace of it."""

    email_digest = models.CharField(max_length=64, unique=True)
    erased_at = models.DateTimeField(auto_now_add=True)
    rows = models.JSONField(default=dict)  # {"events.registration": 2, ...}: what was anonymised

    class Meta:
        ordering = ["-erased_at"]


class RetentionRule(models.Model):
    """How long a meeting's registrations keep their personal data after the meeting ends."""

    meeting = models.OneToOneField("events.Meeting", on_delete=models.CASCADE, related_name="retention_rule")
    months = models.PositiveSmallIntegerField(_("months after the meeting ends"))

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.months} months"
