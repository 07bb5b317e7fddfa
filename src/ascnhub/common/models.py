"""Accounts and the activity log: the pieces every app shares."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
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


class Delivery(models.Model):
    """What every durably delivered row carries (see `common.delivery`): its state, the attempts
    made, when the next one is due, and the claim (lease) of the worker making one now.

    Abstract, so each kind of delivery keeps its own table with its own payload, foreign keys and
    unique constraints (a webhook delivery goes with its endpoint; a reminder is unique per item,
    due date and recipient), while the claim, back-off and sweep are written once. A concrete
    model names its finished state in `DONE` and the field stamped then in `DONE_AT`, and declares
    `status` with its own choices (pending, failed and its DONE value).
    """

    PENDING = "pending"
    FAILED = "failed"
    DONE = "sent"
    DONE_AT = "sent_at"

    status = models.CharField(max_length=10, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set by a worker's claim and cleared when it records the outcome: a row still claimed after
    # the channel's lease belongs to a worker that died, and is taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class OutgoingEmail(Delivery):
    """One e-mail in the outbox. It is stored in the same transaction as the change that caused
    it, so a notification exists exactly when its cause does; it is marked sent only after the
    mail server accepted it, so a failure or a crash leaves it to be sent again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("gave up")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    subject = models.CharField(max_length=998)
    recipients = models.JSONField(default=list)  # every envelope recipient: to + cc + bcc
    message = models.JSONField()  # the EmailMessage's parts, see common.mail.serialise
    sent_at = models.DateTimeField(null=True, blank=True)

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


class ContentTranslation(models.Model):
    """One language version of a piece of content (a project, a need, a chapter …), and the
    translation request that produces it.

    Generic over the content's model (content type + primary key), so every app's content shares
    one workflow, one queue and one label; what may be translated is declared with
    `common.translations.register`. `status` says what the reader gets (`fields`): a human
    translation, a machine translation, or an outdated one (the original changed after it, which
    `source_hash` detects); `state` is where the request stands in the workflow.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("not translated yet")
        HUMAN = "human", _("human translation")
        MACHINE = "machine", _("machine translation")
        OUTDATED = "outdated", _("outdated translation")

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ASSIGNED = "assigned", _("assigned")
        SUBMITTED = "submitted", _("submitted for review")
        REJECTED = "rejected", _("changes requested")
        APPROVED = "approved", _("approved")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN_STATES = (State.REQUESTED, State.ASSIGNED, State.SUBMITTED, State.REJECTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    state = models.CharField(_("request"), max_length=10, choices=State.choices, default=State.REQUESTED)
    #: Who made the text in `fields` (human or machine): an outdated version whose original is
    #: changed back to the text it was made from gets this status again.
    origin = models.CharField(max_length=10, blank=True)
    #: What readers see: {"title": …, "description": …}, the content's translatable fields.
    fields = models.JSONField(default=dict, blank=True)
    #: The translator's submitted text, waiting for review; it becomes `fields` when approved.
    draft = models.JSONField(default=dict, blank=True)
    #: Hash of the original's translatable fields that `fields` (and `draft`) were made from.
    source_hash = models.CharField(max_length=64, blank=True)
    draft_source_hash = models.CharField(max_length=64, blank=True)
    outdated_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Who assigned the translator: told when the text is submitted, as the likely reviewer.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("reason"), blank=True)
    #: Why the last machine translation failed (the stored text is left as it was).
    machine_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("content translation")
        verbose_name_plural = _("content translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="content_translation_one_per_language"
            )
        ]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.language} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class SearchDocument(models.Model):
    """One entry of the search index: a searchable object's text in one language and its vector.

    Filled by `common.search_index` from the kinds the apps register; one row per (kind, object,
    language) — a project with an Indonesian translation has two. `text_hash` is the embedding cache
    key of the passage text, so an unchanged text is never embedded again.
    """

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8, blank=True)
    title = models.CharField(max_length=300)
    text_hash = models.CharField(max_length=64)
    embedding = models.ForeignKey(
        TextEmbedding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="search_document_unique_version"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} [{self.language}]"
