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

from ascnhub.common.models import Delivery
from ascnhub.registry.countries import country_name
from ascnhub.registry.models import validate_timezone


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")


def validate_video_link_template(value: str) -> None:
    """See `hybrid.validate_video_link_template` (imported late: hybrid imports these models)."""
    from .hybrid import validate_video_link_template as validate

    validate(value)


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
    request_expiry_days = models.PositiveSmallIntegerField(
        _("requests expire after (days)"),
        null=True,
        blank=True,
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A request nobody answered by then expires and both sides are told. Empty: never."),
    )
    video_link_template = models.CharField(
        _("video link template"),
        max_length=300,
        blank=True,
        validators=[validate_video_link_template],
        help_text=_(
            "An https address with {room} in it, e.g. https://meet.jit.si/{room}: each online 1:1 "
            "gets its own room. Empty: the video rooms' fixed links."
        ),
    )
    survey_after_months = models.PositiveSmallIntegerField(
        _("follow-up survey after (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Both sides of each held meeting are asked then what came of it."),
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
    # Contact details shown to the other side of an accepted request, each only by consent.
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_handle = models.CharField(
        _("messaging handle"),
        max_length=100,
        blank=True,
        help_text=_("For example “LINE: tanaka-k” or “WhatsApp: +84 90 123 4567”."),
    )
    share_email = models.BooleanField(_("share my e-mail"), default=False)
    share_phone = models.BooleanField(_("share my phone"), default=False)
    share_position = models.BooleanField(_("share my position"), default=False)
    share_handle = models.BooleanField(_("share my messaging handle"), default=False)
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
        EXPIRED = "expired", _("expired without an answer")

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
    # The SEQUENCE of the meeting's calendar event (its UID comes from `public_id`, so it lives as
    # long as the request): bumped whenever its slot, location or status changes, so calendars
    # replace the event instead of adding a duplicate. See calendar_feed.bump_calendar_sequence.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    # The colleague who goes to the meeting for each side (empty: the delegation as a whole);
    # only they get the calendar event and the reminders, and only their forums block a slot.
    requester_attendee = models.ForeignKey(
        "events.Registration", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_attendee = models.ForeignKey(
        "events.Registration", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        """How much holding this meeting is worth to the scheduler (a meeting the organiser set is
        not weighted up: it is `required`, a hard constraint)."""
        return 3 if self.priority == self.Priority.MUST else 1

    @property
    def required(self) -> bool:
        """A meeting the organiser set must happen: the scheduler may not leave it out."""
        return self.locked


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
    # Solved without keeping the published meetings in place (the organiser's explicit exception).
    from_scratch = models.BooleanField(default=False)
    # A rollback: this run republishes the placement of an earlier run.
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
    def known_bound(self) -> float | None:
        """The proven bound on the held weight, once the solver has one (never below the best)."""
        if self.bound is None or self.best is None or self.bound < self.best:
            return None
        return self.bound

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
        NOT_HELD = "not_held", _("did not happen")
        DISPUTED = "disputed", _("disputed: the two sides disagree")

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
    # Raised by every move: an organiser who moves a meeting someone else has just moved is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["slot__starts_at", "location__code"]
        constraints = [
            # A table or video room holds one meeting per slot ...
            models.UniqueConstraint(fields=["run", "slot", "location"], name="meeting_location_slot_unique"),
            models.UniqueConstraint(fields=["run", "request"], name="meeting_request_once_per_run"),
        ]


class Pin(models.Model):
    """The organiser fixed a meeting to a slot and a table or video room: every later run keeps it there."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="pin")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Two meetings pinned to one table in one slot can never both be kept.
            models.UniqueConstraint(fields=["slot", "location"], name="pin_one_per_location_slot")
        ]

    def __str__(self) -> str:
        return f"pin {self.request_id} at {self.slot} {self.location}"


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


class MeetingReminder(Delivery):
    """The reminder of one scheduled meeting, sent to both sides shortly before it starts, through
    the durable-delivery channel "meeting-reminder" (`common.delivery`). One per meeting row; once
    it is sent the meeting's `reminded_at` is stamped in the same transaction, and a republished
    schedule carries that stamp over to an unchanged meeting, which is then not reminded again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("gave up")

    meeting = models.OneToOneField(ScheduledMeeting, on_delete=models.CASCADE, related_name="reminder")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")

    def __str__(self) -> str:
        return f"reminder of meeting {self.meeting_id} ({self.status})"


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


class CalendarFeed(models.Model):
    """A participant's personal calendar subscription: their 1:1 meetings and forum sessions.

    Whoever knows the token can read the feed, so it is long and random; revoking deletes the row
    and regenerating replaces the token, so old URLs stop working at once.
    """

    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed · {self.registration}"


class AttendanceReport(models.Model):
    """After the slot, what one side says happened: held, did not happen, or the other side did
    not come. Kept per request (the meeting's whole life), one per side; when the two sides
    disagree the meeting is disputed."""

    class Outcome(models.TextChoices):
        HELD = "held", _("the meeting was held")
        NOT_HELD = "not_held", _("the meeting did not happen")
        NO_SHOW = "no_show", _("the other side did not come")

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="attendance")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("what happened"), max_length=10, choices=Outcome.choices)
    reported_at = models.DateTimeField(auto_now=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "profile"], name="attendance_once_per_side")
        ]


class Dismissal(models.Model):
    """A participant said "not interested" to a suggested partner: hidden from their suggestions,
    and partners like it are ranked lower (see `suggestions.apply_dismissals`)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="dismissals")
    other = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "other"], name="dismissal_once")]


def _survey_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class FollowUpSurvey(models.Model):
    """Months after a held meeting, one side is asked what came of it (a link with a secret token)."""

    class Result(models.TextChoices):
        PARTNERSHIP = "partnership", _("a partnership")
        PROJECT = "project", _("a joint project")
        MOU = "mou", _("a memorandum of understanding")
        TALKING = "talking", _("we are still talking")
        NOTHING = "nothing", _("nothing came of it")

    LED_TO_SOMETHING = (Result.PARTNERSHIP, Result.PROJECT, Result.MOU)

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="surveys")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40, unique=True, default=_survey_token, editable=False)
    sent_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(
        _("what came of the meeting"), max_length=12, choices=Result.choices, blank=True
    )
    note = models.TextField(_("anything to add"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "profile"], name="survey_once_per_side")]


class UnplacedRequest(models.Model):
    """An accepted request that the published schedule does not hold, and why (see `unplaced.py`).

    Written when a run is published; gone again once the meeting is placed (by a later run or by
    hand) or the request is cancelled. `told_at` makes the notice to both sides a one-time thing:
    publishing again with the request still unplaced tells nobody twice."""

    class Reason(models.TextChoices):
        NO_COMMON_SLOT = "no_common_slot", _("no common free slot")
        MEETING_LIMIT = "meeting_limit", _("meeting limit")
        ROOM_CAPACITY = "room_capacity", _("room capacity")
        ONLINE_HOURS = "online_hours", _("online hours")
        NOT_FITTED = "not_fitted", _("not fitted in this run")

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="unplaced")
    run = models.ForeignKey(ScheduleRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("why it has no slot"), max_length=20, choices=Reason.choices)
    # The side whose limit or whose night hours it is (meeting limit, online hours).
    side = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    told_at = models.DateTimeField(null=True, blank=True)
    # A side chose to meet online instead, outside the schedule, in the meeting's own video room.
    online_at = models.DateTimeField(null=True, blank=True)
    online_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("accepted request without a slot")
        verbose_name_plural = _("accepted requests without a slot")

    def __str__(self) -> str:
        return f"unplaced {self.request_id} ({self.reason})"

    @property
    def explanation(self) -> str:
        """Why, in words, in the active language (needs request__requester/recipient and side)."""
        from .unplaced import explain

        return explain(self)
