"""The notification centre: what a user is told in the platform, and how they want to be told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notice is about. Security messages (sign-in, MFA, password) are not notices: they are
    always e-mailed, whatever the preferences say."""

    REQUEST_RECEIVED = "request_received", _("Meeting request received")
    REQUEST_ANSWERED = "request_answered", _("Meeting request answered")
    REQUEST_EXPIRED = "request_expired", _("Meeting request expired")
    SCHEDULE_CHANGED = "schedule_changed", _("Meeting schedule published or changed")
    REQUEST_UNPLACED = "request_unplaced", _("Accepted meeting without a slot")
    AGENDA_CHANGED = "agenda_changed", _("Programme changed")
    REPORT_REVIEWED = "report_reviewed", _("Progress report reviewed")
    COMMITMENT_DUE = "commitment_due", _("Commitment due")
    REMINDER = "reminder", _("Reminders")
    MAILING = "mailing", _("Messages from organisers")
    TRANSLATION = "translation", _("Translations")
    OUTCOME_REVIEW = "outcome_review", _("Outcome document review")


class Delivery(models.TextChoices):
    IN_APP = "in_app", _("In the platform only")
    EMAIL = "email", _("E-mail at once")
    DIGEST = "digest", _("Daily digest e-mail")


#: Without a stored preference a notice is e-mailed at once, as every notice was before the centre.
DEFAULT_DELIVERY = Delivery.EMAIL


class Notification(models.Model):
    """One notice to one user. Unread while `read_at` is empty; `emailed_at` is stamped when it
    went out by e-mail (at once or in a digest), so a digest never repeats it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        # The bell's count on every page: unread notices of one user.
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text[:60]}"


class Preference(models.Model):
    """How one user wants notices of one kind: in the platform only, e-mailed at once, or in a
    daily digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"
