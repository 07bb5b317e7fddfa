"""Business matchmaking: profiles, suggestions, meeting requests, schedule runs and 1:1 meetings.

A *profile* is who meets: one registered participant, or a delegation (a city with several
officials, a company with several staff). Requests are between profiles; the scheduler places
accepted requests into slots at tables (in person) or video rooms (when anyone is online).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascnhub.registry.countries import country_name
from ascnhub.registry.models import validate_timezone


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")


class Setup(models.Model):
    """The matchmaking set-up of one meeting: rules for requests, and the published schedule."""

    meeting = models.OneToOneField("events.Meeting", on_delete=models.CASCADE, related_name="matchmaking")
    is_open = models.BooleanField(_("requests open"), default=True)
    request_deadline = models.DateTimeField(_("requests close at"), null=True, blank=True)
    max_open_requests = models.PositiveSmallIntegerField(
        _("open requests per participant"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("How many requests one participant may have waiting for an answer at once."),
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("meetings per participant"), default=8, validators=[MinValueValidator(1)]
    )
    auto_accept = models.BooleanField(_("accept requests automatically"), default=False)
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per meeting"), default=20, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    solver_time_limit = models.PositiveSmallIntegerField(
        _("solver time limit (seconds)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    # Bumped by every change that affects the schedule (requests, availability, profiles);
    # a run remembers the version it was built from, so staleness is visible.
    data_version = models.PositiveIntegerField(default=0)
    published_run = models.ForeignKey(
        "ScheduleRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Matchmaking · {self.meeting}"


class Slot(models.Model):
    """A time slot for 1:1 meetings, cut from the agenda's matchmaking blocks."""

    setup = models.ForeignKey(Setup, on_delete=models.CASCADE, related_name="slots")
    code = models.SlugField(max_length=40)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    group = models.CharField(
        max_length=40, help_text=_("Consecutive slots of one block; breaks count inside it.")
    )
    session = models.ForeignKey(
        "events.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["setup", "code"], name="slot_code_unique"),
            models.UniqueConstraint(fields=["setup", "starts_at"], name="slot_start_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.code


class Location(models.Model):
    """A table on site or a video room online."""

    class Kind(models.TextChoices):
        TABLE = "table", _("table")
        VIRTUAL = "virtual", _("video room")

    setup = models.ForeignKey(Setup, on_delete=models.CASCADE, related_name="locations")
    code = models.SlugField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=80, blank=True)
    video_url = models.URLField(
        blank=True, help_text=_("Shown only to the two sides of a meeting in this room.")
    )

    class Meta:
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["setup", "code"], name="location_code_unique")]

    def __str__(self) -> str:
        return self.label or self.code


class Profile(models.Model):
    """Who meets: a participant or a delegation, with what it looks for and offers."""

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        GOVERNMENT = "government", _("national government")
        COMPANY = "company", _("company")
        PARTNER = "partner", _("partner organisation")
        OTHER = "other", _("other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    setup = models.ForeignKey(Setup, on_delete=models.CASCADE, related_name="profiles")
    owner = models.ForeignKey(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="matchmaking_profiles",
        help_text=_("The registration that manages this profile."),
    )
    members = models.ManyToManyField(
        "events.Registration",
        blank=True,
        related_name="delegations",
        help_text=_("Other registered people who attend its meetings."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    city = models.ForeignKey(
        "registry.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.CharField(_("country"), max_length=2)
    looking_for = models.TextField(_("what we look for"), blank=True)
    offering = models.TextField(_("what we offer"), blank=True)
    language = models.CharField(_("language of these texts"), max_length=8, default="en")
    languages_spoken = models.CharField(_("languages we can meet in"), max_length=100, default="en")
    focus_areas = models.JSONField(default=list, blank=True)
    needs = models.ManyToManyField("projects.Need", blank=True, related_name="+")
    offers = models.ManyToManyField("projects.Offer", blank=True, related_name="+")
    mode = models.CharField(_("how we meet"), max_length=12, choices=Mode.choices)
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    unavailable = models.ManyToManyField(Slot, blank=True, related_name="+", verbose_name=_("not available"))
    home_location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An exhibitor's own table."),
    )
    visible = models.BooleanField(_("visible to other participants"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["setup", "owner"], name="profile_one_per_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:profile", args=[self.setup.meeting.slug, self.public_id])


class Suggestion(models.Model):
    """A ranked partner suggestion from the matching engine, with reasons shown to the participant."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="suggestions")
    other = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profile", "rank"]
        constraints = [models.UniqueConstraint(fields=["profile", "other"], name="suggestion_unique_pair")]


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("cancelled")

    class Priority(models.TextChoices):
        MUST = "must", _("must meet")
        WOULD_LIKE = "would_like", _("would like to meet")

    ACTIVE = (Status.PENDING, Status.ACCEPTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    setup = models.ForeignKey(Setup, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="received_requests")
    # The pair in a fixed order, so A→B and B→A count as the same meeting.
    pair_low = models.PositiveBigIntegerField(editable=False)
    pair_high = models.PositiveBigIntegerField(editable=False)
    message = models.TextField(_("message"), blank=True, max_length=1000)
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, default=Priority.WOULD_LIKE
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    locked = models.BooleanField(
        _("set by the organiser"),
        default=False,
        help_text=_("Added by the organiser; must be scheduled; the sides cannot cancel it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("recipient")), name="request_not_to_oneself"),
            models.UniqueConstraint(
                fields=["setup", "pair_low", "pair_high"],
                condition=Q(status__in=["pending", "accepted"]),
                name="request_one_active_per_pair",
            ),
        ]

    def save(self, *args, **kwargs):
        self.pair_low, self.pair_high = sorted([self.requester_id, self.recipient_id])
        super().save(*args, **kwargs)

    def other_side(self, profile: Profile) -> Profile:
        return self.recipient if profile.pk == self.requester_id else self.requester

    @property
    def weight(self) -> int:
        """How much holding this meeting is worth to the scheduler."""
        if self.locked:
            return 10
        return 3 if self.priority == self.Priority.MUST else 1


class ScheduleRun(models.Model):
    """One scheduler run: the instance it solved, its progress and its result (a draft until published)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("draft ready")
        FAILED = "failed", _("failed")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    setup = models.ForeignKey(Setup, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField()
    is_reschedule = models.BooleanField(default=False)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data_version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    time_limit = models.PositiveSmallIntegerField(default=30)
    instance = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    best = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    elapsed = models.FloatField(default=0)
    step_times = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    moved = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker took the run; with the time limit it tells a slow run from an abandoned one.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["setup", "number"], name="run_number_unique")]

    def __str__(self) -> str:
        return f"run {self.number} ({self.status})"

    @property
    def progress_fraction(self) -> float:
        """Share of the time limit used, for the progress bar."""
        if self.status in (
            self.Status.DONE,
            self.Status.PUBLISHED,
            self.Status.SUPERSEDED,
            self.Status.FAILED,
        ):
            return 1.0
        return min(1.0, self.elapsed / max(1, self.time_limit))


class ScheduledMeeting(models.Model):
    """A 1:1 meeting of a published schedule."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        NO_SHOW = "no_show", _("no-show")
        CANCELLED = "cancelled", _("cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="meetings")
    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="scheduled")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    requester_confirmed_at = models.DateTimeField(null=True, blank=True)
    recipient_confirmed_at = models.DateTimeField(null=True, blank=True)
    no_show = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "location__code"]
        constraints = [
            # A table or video room holds one meeting per slot ...
            models.UniqueConstraint(fields=["run", "slot", "location"], name="meeting_location_slot_unique"),
            models.UniqueConstraint(fields=["run", "request"], name="meeting_request_once_per_run"),
        ]


class SlotBooking(models.Model):
    """... and a profile is in one meeting per slot: one row per side, unique per run, slot and profile.

    This is the database's guarantee against double booking, whatever the code above it does.
    """

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="bookings")
    meeting = models.ForeignKey(ScheduledMeeting, on_delete=models.CASCADE, related_name="bookings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "slot", "profile"], name="booking_one_per_slot")
        ]


class Feedback(models.Model):
    """After a meeting, each side rates it and says whether to follow up."""

    meeting = models.ForeignKey(ScheduledMeeting, on_delete=models.CASCADE, related_name="feedback")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    follow_up = models.BooleanField(_("we want to follow up"), default=False)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "profile"], name="feedback_once_per_side")]


class Lead(models.Model):
    """A possible partnership born in a matchmaking meeting, tracked until it becomes one (or not)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PARTNERSHIP = "partnership", _("became a partnership")
        DROPPED = "dropped", _("dropped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.OneToOneField(ScheduledMeeting, on_delete=models.CASCADE, related_name="lead")
    city = models.ForeignKey(
        "registry.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    need = models.ForeignKey(
        "projects.Need",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked need"),
        help_text=_("The city's need this lead may answer (and through it, the project)."),
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True)
    partnership = models.ForeignKey(
        "projects.Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"Lead · {self.city or '-'} · {self.organisation or '-'}"

    def sides(self) -> tuple[Profile, Profile]:
        """(the city's side, the counterpart) of the meeting the lead came from.

        Needs `meeting__request__requester` and `__recipient` loaded to avoid queries."""
        a, b = self.meeting.request.requester, self.meeting.request.recipient
        if self.city_id and b.city_id == self.city_id and a.city_id != self.city_id:
            return b, a
        return a, b
