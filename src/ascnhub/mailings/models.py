"""Organisers' mailings to a meeting's registrants, and who each one went to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mailing(models.Model):
    """A message from a meeting's organisers to its registrants of some categories, statuses and
    countries; one version per language (`versions`: {"en": {"subject", "body"}, "id": …})."""

    meeting = models.ForeignKey("events.Meeting", on_delete=models.CASCADE, related_name="mailings")
    categories = models.ManyToManyField("events.RegistrationCategory", blank=True, related_name="+")
    statuses = models.JSONField(default=list, blank=True)  # empty: approved only
    countries = models.JSONField(default=list, blank=True)  # empty: every country
    versions = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return str(self.versions.get("en", {}).get("subject", f"mailing {self.pk}"))


class MailingRecipient(models.Model):
    """One registrant a mailing went to, in which language, and its message in the outbox (whose
    state gives the mailing's figures: queued, sent, failed)."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    email = models.ForeignKey("common.OutgoingEmail", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailing", "registration"], name="mailing_once_per_registration")
        ]
