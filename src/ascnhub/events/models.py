"""Meetings, their programme (rooms, sessions, agenda versions), registration and on-site records.

Thin models: fields, constraints and small properties. Every state change lives in services.py.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ascnhub.registry.countries import COUNTRY_CHOICES, country_name
from ascnhub.registry.models import Organisation, Person, validate_timezone

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #0b4f8a."))


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")


def _new_secret() -> str:
    return secrets.token_urlsafe(24)


def new_badge_code() -> str:
    from .badge_codes import new_code

    return new_code()


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("ASCN annual meeting")
        PARTNER_HLM = "partner_hlm", _("partner high-level meeting")
        WORKSHOP = "workshop", _("workshop")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("registration open")
        CLOSED = "closed", _("registration closed")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PARTNER_HLM)
    host = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
        verbose_name=_("host"),
    )
    co_chairs = models.ManyToManyField(
        Organisation, blank=True, related_name="co_chaired_meetings", verbose_name=_("co-chairs")
    )
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("City and country."))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Tokyo", validators=[validate_timezone]
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.HYBRID)
    theme = models.TextField(_("theme"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=100,
        default="en",
        help_text=_("Language codes, separated by commas, e.g. en,ja."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_meetings", verbose_name=_("organisers")
    )
    check_in_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="check_in_meetings",
        verbose_name=_("check-in staff"),
    )
    badge_valid_days = models.PositiveSmallIntegerField(
        _("badge validity after the last day (days)"), default=2
    )
    cloned_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cloned from"),
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                name="meeting_ends_after_start", condition=Q(end_date__gte=models.F("start_date"))
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def days(self) -> list[datetime.date]:
        n = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=i) for i in range(n)]


class Room(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    online_only = models.BooleanField(_("online only"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        CEREMONY = "ceremony", _("ceremony")
        PANEL = "panel", _("panel discussion")
        FORUM = "forum", _("forum")
        MATCHMAKING = "matchmaking", _("business matchmaking")
        BREAK = "break", _("break")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("room"),
    )
    track = models.CharField(_("track"), max_length=60, blank=True)
    theme = models.CharField(_("theme"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    interpretation = models.CharField(
        _("interpretation languages"),
        max_length=60,
        blank=True,
        help_text=_("Language codes, separated by commas."),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to approved online participants; never exported."),
    )
    signup_required = models.BooleanField(_("sign-up required"), default=False)
    capacity = models.PositiveIntegerField(
        _("sign-up capacity"), null=True, blank=True, help_text=_("Empty: the room's capacity.")
    )
    speakers = models.ManyToManyField(Person, through="SessionSpeaker", related_name="sessions", blank=True)

    class Meta:
        ordering = ["starts_at", "track", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def interpretation_list(self) -> list[str]:
        return [c.strip() for c in self.interpretation.split(",") if c.strip()]

    @property
    def seat_limit(self) -> int | None:
        if self.capacity is not None:
            return self.capacity
        return self.room.capacity if self.room_id else None


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("speaker")
        MODERATOR = "moderator", _("moderator")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speaker_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="speaker_links")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="speaker_once_per_session")]


class AgendaVersion(models.Model):
    """A published state of the agenda and what changed since the previous one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    snapshot = models.JSONField(default=dict)
    changes = models.JSONField(default=list)  # [{"kind": "added"|"removed"|"changed", "title", "detail"}]

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_version_unique")]

    def __str__(self) -> str:
        return f"{self.meeting} agenda v{self.number}"


class RegistrationCategory(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("government delegation")
        CITY = "city", _("city delegation")
        PRIVATE = "private", _("private sector")
        PARTNER = "partner", _("partner")
        MEDIA = "media", _("media")
        ORGANISER = "organiser", _("organiser")

    class Approval(models.TextChoices):
        AUTO = "auto", _("automatic")
        ORGANISER = "organiser", _("by the organisers")
        NATIONAL_REPRESENTATIVE = "nr", _("by the country's National Representative")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    colour = models.CharField(_("badge colour"), max_length=7, default="#0b4f8a", validators=[hex_colour])
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    approval = models.CharField(_("approval"), max_length=12, choices=Approval.choices, default=Approval.AUTO)
    default_mode = models.CharField(
        _("participation"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON
    )
    mode_choice = models.BooleanField(_("registrant may choose in person or online"), default=True)
    is_public = models.BooleanField(_("open for self-registration"), default=True)
    questions = models.JSONField(
        _("extra questions"),
        default=list,
        blank=True,
        help_text=_(
            'A list like [{"name": "passport", "label": "Passport number", "type": "text", '
            '"required": true}]; types: text, choice (with "choices"), boolean.'
        ),
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'The name in other languages, like {"id": "Sektor swasta", "ja": "民間企業"}. A question is '
            'translated in its own "translations": {"ja": {"label": "…", "choices": {"Water": "水"}}}.'
        ),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("registration category")
        verbose_name_plural = _("registration categories")
        constraints = [models.UniqueConstraint(fields=["meeting", "code"], name="category_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the active language where the organisers gave one, else as written."""
        return (self.translations or {}).get(translation.get_language() or "en") or self.name


def question_text(question: dict, text: str, kind: str = "label") -> str:
    """A question's label (kind "label" or "help") or one of its choices (kind "choices") in the
    active language, from the question's own "translations"; as written where none is given."""
    local = (question.get("translations") or {}).get(translation.get_language() or "en") or {}
    if kind == "choices":
        return (local.get("choices") or {}).get(text) or text
    return local.get(kind) or text


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        WAITLISTED = "waitlisted", _("on the waiting list")
        REJECTED = "rejected", _("declined")
        CANCELLED = "cancelled", _("cancelled")

    # Statuses that hold a place in the category's capacity.
    HOLDS_PLACE = (Status.PENDING, Status.APPROVED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    secret = models.CharField(max_length=40, default=_new_secret, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    category = models.ForeignKey(
        RegistrationCategory,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("category"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    name = models.CharField(_("full name"), max_length=200)
    name_on_badge = models.CharField(_("name on badge"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    organisation_name = models.CharField(_("organisation"), max_length=200)
    job_title = models.CharField(_("position"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    language = models.CharField(
        _("language for e-mails"), max_length=8, choices=settings.ASCNHUB_PERSON_LANGUAGES, default="en"
    )
    timezone = models.CharField(
        _("your time zone"), max_length=64, default="Asia/Jakarta", validators=[validate_timezone]
    )
    mode = models.CharField(_("participation"), max_length=12, choices=Mode.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    answers = models.JSONField(default=dict, blank=True)
    consent_list = models.BooleanField(_("appear in the participant list"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission_key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    # The short code printed under the QR (see badge_codes.py), typed at check-in when a QR won't scan.
    badge_code = models.CharField(
        max_length=10, unique=True, null=True, blank=True, editable=False, default=new_badge_code
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(status="cancelled"),
                name="registration_one_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "category", "status"]),
            models.Index(fields=["meeting", "name"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.meeting.slug if self.meeting_id else '-'})"

    @property
    def badge_name(self) -> str:
        return self.name_on_badge or self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def is_online(self) -> bool:
        return self.mode == Mode.ONLINE

    @property
    def answer_items(self) -> list[tuple[str, str]]:
        """The answers to the category's questions as (question, answer) a person can read."""
        questions = {q["name"]: q for q in self.category.questions or []}
        items = []
        for name, value in (self.answers or {}).items():
            question = questions.get(name, {"name": name})
            if isinstance(value, bool):
                value = _("yes") if value else _("no")
            elif isinstance(value, str) and value:
                value = question_text(question, value, "choices")
            label = question_text(question, question.get("label", name))
            items.append((label, "" if value is None else str(value)))
        return items

    def get_absolute_url(self) -> str:
        url = reverse("events:registration", args=[self.meeting.slug, self.public_id])
        return url + f"?key={self.secret}"


class ForumSignup(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="signups")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "session"], name="signup_once")]


class CheckIn(models.Model):
    """An in-person arrival, once per registration and meeting day."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="check_ins")
    day = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=10, default="token")  # token | search | code
    # When the scanning device recorded it (its clock): the earliest scan of the day wins.
    scanned_at = models.DateTimeField(null=True, blank=True)
    entrance = models.CharField(max_length=80, blank=True)
    device_id = models.CharField(max_length=64, blank=True)
    scan = models.ForeignKey("Scan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["registration", "day"], name="check_in_once_a_day")]

    @property
    def when(self) -> datetime.datetime:
        return self.scanned_at or self.at


class Scan(models.Model):
    """A scan a check-in device sent (synced), kept once per device entry id: re-sending changes nothing."""

    entry_id = models.UUIDField(unique=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="scans")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="scans")
    session = models.ForeignKey(
        "Session", null=True, blank=True, on_delete=models.CASCADE, related_name="scans"
    )
    device_id = models.CharField(max_length=64)
    entrance = models.CharField(max_length=80, blank=True)
    scanned_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scanned_at", "id"]


class SessionCheckIn(models.Model):
    """A person let in at a session's door (once per session; the earliest scan wins)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="door_check_ins")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="session_check_ins")
    scanned_at = models.DateTimeField()
    entrance = models.CharField(max_length=80, blank=True)
    device_id = models.CharField(max_length=64, blank=True)
    scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scanned_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="session_check_in_once")
        ]


class BadgeBatch(models.Model):
    """A print job of badges: what was printed, by whom, and why when it was a reprint."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="badge_batches")
    created_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.CharField(max_length=250)
    reprint_reason = models.CharField(max_length=250, blank=True)
    registrations = models.ManyToManyField(Registration, through="BadgePrint", related_name="badge_batches")

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_reprint(self) -> bool:
        return bool(self.reprint_reason)


class BadgePrint(models.Model):
    batch = models.ForeignKey(BadgeBatch, on_delete=models.CASCADE, related_name="prints")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="badge_prints")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["batch", "registration"], name="badge_print_once")]


class StreamLink(models.Model):
    """A session's online stream in one interpretation language (shown only to those who may join)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="stream_links")
    language = models.CharField(_("language"), max_length=8)
    url = models.URLField(_("stream link"))

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["session", "language"], name="stream_link_per_language")
        ]


class PresenceSpan(models.Model):
    """An unbroken stretch of online presence in a session, extended by the join page's heartbeat."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="presence_spans")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="presence_spans")
    language = models.CharField(max_length=8, blank=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    left = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at"]
        indexes = [models.Index(fields=["session", "registration", "last_seen_at"])]


class OnlineAttendance(models.Model):
    """A participant opened a session's online link (first and last time, and how often)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="online_visits")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="online_visits")
    first_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField(auto_now=True)
    visits = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "session"], name="online_visit_once")]


class MessageTemplate(models.Model):
    """A meeting's own subject and text for one kind of transactional e-mail in one language
    (`events.message_templates`): used for every such e-mail to a recipient in that language,
    instead of the built-in text; without one, the built-in text goes out."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="message_templates")
    kind = models.CharField(_("kind of e-mail"), max_length=32)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind", "language"], name="message_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"
