"""What came of a meeting: its outcome document, the recommendations in it, the commitments made
under each (by a member state, a city or a partner organisation), their action items, and the
status updates with evidence that show progress; plus the log of reminders sent.

Thin models: fields, constraints, small properties. Every change goes through `services.py`.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascnhub.common import uploads
from ascnhub.common.models import Delivery

EVIDENCE_EXTENSIONS = uploads.EXTENSIONS
# The name migration 0001 refers to; every upload check lives in common.uploads.
validate_evidence_size = uploads.validate_upload
evidence_validators = uploads.upload_validators


class Status(models.TextChoices):
    """Where a commitment stands (and, summed up, a recommendation)."""

    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    DELAYED = "delayed", _("delayed")
    DROPPED = "dropped", _("dropped")


CLOSED_STATUSES = {Status.COMPLETED, Status.DROPPED}


class OutcomeDocument(models.Model):
    """The outcome document (chair's statement, joint statement) adopted at a meeting."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.OneToOneField(
        "events.Meeting", on_delete=models.PROTECT, related_name="outcome_document", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=250)
    adopted_on = models.DateField(_("adopted on"))
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-adopted_on"]
        verbose_name = _("outcome document")
        verbose_name_plural = _("outcome documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("followup:document", args=[self.meeting.slug])

    @property
    def year(self) -> int:
        return self.adopted_on.year


class Recommendation(models.Model):
    """One recommendation of an outcome document; it may carry over an earlier meeting's."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(
        OutcomeDocument,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("outcome document"),
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("short title"), max_length=200)
    text = models.TextField(_("text"))
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_into",
        verbose_name=_("carries over"),
        help_text=_("The same recommendation in an earlier meeting's outcome document."),
    )

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="recommendation_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("followup:recommendation", args=[self.public_id])

    def clean(self):
        if self.carried_from_id and self.document_id:
            earlier = self.carried_from
            if earlier.document_id == self.document_id:
                raise ValidationError(
                    {
                        "carried_from": _(
                            "A recommendation carries over one from an earlier "
                            "meeting, not from the same document."
                        )
                    }
                )
            if earlier.document.adopted_on >= self.document.adopted_on:
                raise ValidationError(
                    {"carried_from": _("The recommendation carried over must come from an earlier meeting.")}
                )


class OutcomeRevision(models.Model):
    """One edited version of an outcome document and its recommendations, on its way through review.

    The live `OutcomeDocument` and `Recommendation` rows are what the public sees; a revision holds
    the secretariat's draft of them and changes them only when a reviewer (another secretariat
    member) approves it. So a published document stays published, unchanged, while its next
    revision is drafted and reviewed. At most one revision per document is open (not yet approved).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        RETURNED = "returned", _("returned with comments")
        APPROVED = "approved", _("approved and published")

    OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.RETURNED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(
        OutcomeDocument,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("outcome document"),
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("title"), max_length=250)
    adopted_on = models.DateField(_("adopted on"))
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source"), blank=True)
    # [{"number": 1, "title": "...", "text": "...", "carried_from": "<public_id>" or ""}], by number.
    recommendations = models.JSONField(_("recommendations"), default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("outcome document revision")
        verbose_name_plural = _("outcome document revisions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="outcome_revision_number_once"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state__in=["draft", "in_review", "returned"]),
                name="outcome_one_open_revision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (r{self.number}, {self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("followup:revision", args=[self.public_id])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class RevisionEvent(models.Model):
    """What happened to a revision, when and by whom: the history of edits and review decisions."""

    class Action(models.TextChoices):
        CREATED = "created", _("drafted")
        EDITED = "edited", _("edited")
        SUBMITTED = "submitted", _("submitted for review")
        RETURNED = "returned", _("returned with comments")
        APPROVED = "approved", _("approved and published")

    revision = models.ForeignKey(OutcomeRevision, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("revision event")
        verbose_name_plural = _("revision events")

    def __str__(self) -> str:
        return f"r{self.revision_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class CommitmentQuerySet(models.QuerySet):
    def open(self) -> CommitmentQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, on: datetime.date | None = None) -> CommitmentQuerySet:
        return self.open().filter(due_date__lt=on or timezone.localdate())

    def for_country(self, state_id: int) -> CommitmentQuerySet:
        """Commitments of a member state or of one of its cities."""
        return self.filter(Q(member_state_id=state_id) | Q(city__country_id=state_id))


class Commitment(models.Model):
    """Who (a member state, a city or a partner organisation) will do what, by when."""

    class PartyKind(models.TextChoices):
        MEMBER_STATE = "member_state", _("member state")
        CITY = "city", _("city")
        ORGANISATION = "organisation", _("partner organisation")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("recommendation")
    )
    party_kind = models.CharField(_("who"), max_length=20, choices=PartyKind.choices)
    member_state = models.ForeignKey(
        "registry.MemberState",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("member state"),
    )
    city = models.ForeignKey(
        "registry.City",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("city"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("organisation"),
    )
    description = models.TextField(_("what"))
    due_date = models.DateField(_("by when"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                name="commitment_one_party",
                condition=(
                    Q(
                        party_kind="member_state",
                        member_state__isnull=False,
                        city__isnull=True,
                        organisation__isnull=True,
                    )
                    | Q(
                        party_kind="city",
                        city__isnull=False,
                        member_state__isnull=True,
                        organisation__isnull=True,
                    )
                    | Q(
                        party_kind="organisation",
                        organisation__isnull=False,
                        member_state__isnull=True,
                        city__isnull=True,
                    )
                ),
            ),
            models.CheckConstraint(name="commitment_progress_percent", condition=Q(progress__lte=100)),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.party}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("followup:commitment", args=[self.public_id])

    def clean(self):
        wanted = {
            "member_state": self.member_state_id,
            "city": self.city_id,
            "organisation": self.organisation_id,
        }
        if not wanted.get(self.party_kind):
            field = self.party_kind if self.party_kind in wanted else "party_kind"
            raise ValidationError({field: _("Choose who makes this commitment.")})
        extra = [k for k, v in wanted.items() if v and k != self.party_kind]
        if extra:
            raise ValidationError({extra[0]: _("A commitment has exactly one party.")})

    @property
    def party(self):
        return self.member_state or self.city or self.organisation

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (on or timezone.localdate())

    @property
    def country_id(self) -> int | None:
        """The member state this commitment counts for (none for a partner organisation)."""
        if self.member_state_id:
            return self.member_state_id
        if self.city_id:
            return self.city.country_id
        return None


class ActionItem(models.Model):
    """A concrete step towards a commitment."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="actions", verbose_name=_("commitment")
    )
    title = models.CharField(_("action"), max_length=250)
    owner = models.CharField(_("who does it"), max_length=200, blank=True)
    due_date = models.DateField(_("by when"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return not self.is_done and self.due_date < (on or timezone.localdate())


class StatusUpdate(models.Model):
    """A dated report on a commitment: its new status and progress, what happened, and evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="updates", verbose_name=_("commitment")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    author_name = models.CharField(_("reported by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    previous_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("what happened"))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="followup/evidence/%Y/", blank=True, validators=evidence_validators
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.get_status_display()} {self.created_at:%Y-%m-%d}"

    @property
    def evidence_filename(self) -> str:
        return self.evidence_file.name.rsplit("/", 1)[-1] if self.evidence_file else ""


class ReminderSent(Delivery):
    """One reminder e-mail: at most one per item, due date, kind and recipient, ever. Planned by
    `services.send_reminders` and handed to the outbox through the durable-delivery channel
    "followup-reminder" (`common.delivery`); `sent_at` is when it went to the outbox."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("gave up")

    item_type = models.CharField(max_length=20)  # "commitment" or "action"
    item_id = models.PositiveBigIntegerField()
    due_date = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    recipient = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8)
    # The day the reminder was planned for: "due in N days" counts from it.
    as_of = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["item_type", "item_id", "due_date", "kind", "recipient"],
                name="reminder_once_per_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_type}#{self.item_id} {self.due_date} → {self.recipient}"
