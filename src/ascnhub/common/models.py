"""Accounts and the activity log: the pieces every app shares."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountManager(UserManager):
    """Users are identified by e-mail; the username is an internal detail."""

    def create_user(self, username=None, email=None, password=None, **extra):  # type: ignore[override]
        return super().create_user(username or uuid.uuid4().hex[:30], email, password, **extra)

    def create_superuser(self, username=None, email=None, password=None, **extra):  # type: ignore[override]
        return super().create_superuser(username or uuid.uuid4().hex[:30], email, password, **extra)


class User(AbstractUser):
    """A sign-in account. What the person is and does lives in registry.Person and its roles."""

    email = models.EmailField(_("e-mail"), unique=True)

    objects = AccountManager()

    REQUIRED_FIELDS = ["email"]

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        """The person's name if the account has one, else the e-mail (never the internal username)."""
        try:
            name = self.person.name  # registry.Person, linked to the account (reverse one-to-one)
        except ObjectDoesNotExist:
            name = ""
        return name or " ".join(p for p in (self.first_name, self.last_name) if p) or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()

    def save(self, *args, **kwargs):
        if not self.username:
            self.username = uuid.uuid4().hex[:30]
        if self.email:
            self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class ActivityLog(models.Model):
    """One change made by a person: who, what, when, and the fields before and after."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)  # create, update, delete, assign_role, end_role, ...
    object_type = models.CharField(max_length=80)  # "registry.city"
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, blank=True)  # {"field": [before, after]}

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OutgoingEmail(models.Model):
    """One e-mail in the outbox. It is stored in the same transaction as the change that caused
    it, so a notification exists exactly when its cause does; it is marked sent only after the
    mail server accepted it, so a failure or a crash leaves it to be sent again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("gave up")

    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    subject = models.CharField(max_length=998)
    recipients = models.JSONField(default=list)  # every envelope recipient: to + cc + bcc
    message = models.JSONField()  # the EmailMessage's parts, see common.mail.serialise
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)} ({self.status})"


class TextEmbedding(models.Model):
    """One cached vector of the matching engine: keyed by the content hash of (model, side, text)."""

    key = models.CharField(max_length=64, unique=True)
    model = models.CharField(max_length=120)
    dim = models.PositiveIntegerField()
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("text embedding")
        verbose_name_plural = _("text embeddings")

    def __str__(self) -> str:
        return f"{self.model} {self.key[:12]}"
