"""Every change to meetings and registrations goes through here: validate, lock, write, log, notify.

Locking rules (so capacities are never exceeded, whatever the number of web processes):
- registering, cancelling, declining and promoting from the waiting list lock the category row
  (`select_for_update`) for the whole transaction; on SQLite the IMMEDIATE transaction holds the
  database's write lock, which serialises writers the same way;
- a forum sign-up locks the session row;
- a check-in relies on the unique (registration, day) constraint, so a second scan is reported,
  never stored twice.
Exceptions are `EventsError` with a machine-readable `code` and a message for people.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import activity
from ascnhub.common.errors import DomainError
from ascnhub.common.timezones import known_timezones

from . import badge_codes, places, signals, tokens
from .models import (
    AgendaVersion,
    CheckIn,
    ForumSignup,
    Meeting,
    Mode,
    OnlineAttendance,
    Registration,
    RegistrationCategory,
    Room,
    Session,
    SessionSpeaker,
)

if TYPE_CHECKING:
    from ascnhub.common.models import User

Status = Registration.Status


class EventsError(DomainError):
    """A refused registration, sign-up, programme or meeting change."""

    conflicts = frozenset({"duplicate_email", "closed"})


def _tasks_in_this_database() -> bool:
    """Whether background jobs are rows in the application's database (django-tasks-db)."""
    from django_tasks_db import DatabaseBackend

    from . import tasks

    return isinstance(tasks.send_registration_email.get_backend(), DatabaseBackend)


def _notify(registration: Registration, event: str, reason: str = "") -> None:
    """Send the registrant an e-mail once the transaction commits (a background task builds it)."""
    from . import tasks

    args = (registration.pk, event, reason) if reason else (registration.pk, event)
    if _tasks_in_this_database():
        # The job row is written in the caller's transaction: it commits (and becomes visible to
        # the worker) with the change, or not at all; no second write after the commit.
        tasks.send_registration_email.enqueue(*args)
    else:
        transaction.on_commit(lambda: tasks.send_registration_email.enqueue(*args))
    # Announced, not called: the api app above turns it into `registration.approved` webhooks in
    # this same transaction.
    signals.registration_changed.send(sender=Registration, registration=registration, event=event)


# --- registration -------------------------------------------------------------------------------

REGISTRATION_FIELDS = [
    "name",
    "name_on_badge",
    "email",
    "organisation_name",
    "job_title",
    "country",
    "language",
    "timezone",
    "mode",
    "answers",
    "consent_list",
]


def _initial_status(category: RegistrationCategory, taken: int) -> str:
    if category.capacity is not None and taken >= category.capacity:
        return Status.WAITLISTED
    if category.approval == RegistrationCategory.Approval.AUTO:
        return Status.APPROVED
    return Status.PENDING


def register(
    meeting: Meeting,
    category: RegistrationCategory,
    data: dict[str, Any],
    *,
    user: Any = None,
    submission_key: str | None = None,
) -> tuple[Registration, bool]:
    """Register someone for a meeting; returns (registration, created).

    `data` holds validated form values (see REGISTRATION_FIELDS). The category's capacity is
    checked under a row lock: a full category puts the registrant on its waiting list. The same
    `submission_key` (a hidden field of the form) returns the first registration again, so a
    double click never registers twice; another registration with the same e-mail is refused.

    Both are caught by unique constraints (`submission_key`; e-mail per meeting unless cancelled)
    rather than by queries before the insert, so the locked part is short: lock, count, insert,
    log, queue the e-mail. Everything that needs no lock (validation) happens before it.
    """
    if category.meeting_id != meeting.pk:
        raise EventsError("category", _("This category does not belong to this meeting."))
    if not meeting.is_open:
        raise EventsError("closed", _("Registration for this meeting is closed."), "meeting")
    unknown = set(data) - set(REGISTRATION_FIELDS)
    if unknown:
        raise ValueError(f"fields not accepted here: {', '.join(sorted(unknown))}")
    email = data["email"].strip().lower()
    mode = data.get("mode") or category.default_mode
    if not category.mode_choice:
        mode = category.default_mode
    if meeting.format == "online":
        mode = Mode.ONLINE
    elif meeting.format == "in_person":
        mode = Mode.IN_PERSON
    signed_in = getattr(user, "is_authenticated", False)
    reg = Registration(
        meeting=meeting,
        category=category,
        **{**data, "email": email, "mode": mode},
        status=Status.PENDING,
        submission_key=submission_key or None,
        user=user if signed_in else None,
        person=getattr(user, "person", None) if signed_in else None,
    )
    if reg.timezone not in known_timezones():
        raise EventsError("timezone", _("“%(value)s” is not a known time zone.") % {"value": reg.timezone})
    # The zone is checked above against a cached list (the field's validator rereads the disk).
    reg.full_clean(
        exclude=["meeting", "category", "user", "person", "timezone", "status"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            try:
                taken = places.lock_and_count(category)
            except RegistrationCategory.DoesNotExist:
                raise EventsError("category", _("This registration category no longer exists.")) from None
            reg.status = _initial_status(category, taken)
            reg.save(force_insert=True)
            activity.record(
                user, "register", reg, {"status": [None, reg.status], "category": [None, category.code]}
            )
            _notify(reg, "received")
    except IntegrityError:
        earlier = (
            Registration.objects.filter(meeting=meeting, submission_key=submission_key).first()
            if submission_key
            else None
        )
        if earlier is not None:
            return earlier, False
        raise EventsError(
            "duplicate_email",
            _("Someone is already registered for this meeting with this e-mail address."),
            "email",
        ) from None
    return reg, True


def _promote_waiting(actor: User, category: RegistrationCategory) -> list[Registration]:
    """Give freed places to the waiting list, oldest first (caller holds the category lock)."""
    if category.capacity is None:
        waiting = list(Registration.objects.filter(category=category, status=Status.WAITLISTED))
    else:
        taken = Registration.objects.filter(category=category, status__in=Registration.HOLDS_PLACE).count()
        free = category.capacity - taken
        waiting = list(
            Registration.objects.filter(category=category, status=Status.WAITLISTED).order_by(
                "created_at", "id"
            )[: max(free, 0)]
        )
    for reg in waiting:
        before = reg.status
        auto = category.approval == RegistrationCategory.Approval.AUTO
        reg.status = Status.APPROVED if auto else Status.PENDING
        reg.save(update_fields=["status"])
        activity.record(actor, "promote", reg, {"status": [before, reg.status]})
        _notify(reg, "promoted")
    return waiting


@transaction.atomic
def decide(actor: User, registration: Registration, approve: bool, reason: str = "") -> Registration:
    """Approve or decline a registration awaiting approval (organiser or the approving NR).

    A reason for declining (optional, at most 500 characters) goes into the activity log and the
    e-mail to the registrant."""
    reason = reason.strip()
    if len(reason) > 500:
        raise EventsError("reason_too_long", _("The reason may be at most 500 characters."), field="reason")
    category = RegistrationCategory.objects.select_for_update().get(pk=registration.category_id)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.status not in (Status.PENDING, Status.WAITLISTED):
        raise EventsError(
            "decided",
            _("This registration has already been decided (%(status)s).")
            % {"status": reg.get_status_display()},
        )
    if approve and reg.status == Status.WAITLISTED and category.capacity is not None:
        taken = Registration.objects.filter(category=category, status__in=Registration.HOLDS_PLACE).count()
        if taken >= category.capacity:
            raise EventsError(
                "full",
                _("The category is full; free a place before approving someone from the waiting list."),
            )
    before = reg.status
    reg.status = Status.APPROVED if approve else Status.REJECTED
    reg.decided_at = timezone.now()
    reg.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    reg.save(update_fields=["status", "decided_at", "decided_by"])
    details: dict[str, Any] = {"status": [before, reg.status]}
    if reason and not approve:
        details["reason"] = reason
    activity.record(actor, "approve" if approve else "decline", reg, details)
    _notify(reg, "approved" if approve else "declined", "" if approve else reason)
    if not approve:
        _promote_waiting(actor, category)
    return reg


def approve_many(actor: User, registrations: list[Registration]) -> tuple[list[Registration], list[str]]:
    """Approve several registrations, each in its own transaction: those approved, and for the
    others a line naming the registration and why it was refused (full category, decided already)."""
    approved, refused = [], []
    for registration in registrations:
        try:
            with transaction.atomic():
                approved.append(decide(actor, registration, True))
        except EventsError as exc:
            refused.append(f"{registration.name}: {exc.message}")
    return approved, refused


@transaction.atomic
def claim_registrations(user: User, email: str) -> int:
    """Link to `user` the registrations made without an account under `email` (call it once the user
    has verified that address): their matchmaking, badges and agenda then follow the account.
    Returns how many were linked; registrations already someone's stay theirs."""
    person = getattr(user, "person", None)
    rows = Registration.objects.filter(user__isnull=True, email__iexact=email.strip())
    linked = 0
    for reg in rows.select_for_update():
        reg.user = user
        if reg.person_id is None and person is not None:
            reg.person = person
        reg.save(update_fields=["user", "person"])
        activity.record(user, "update", reg, {"user": [None, user.pk]})
        linked += 1
    return linked


@transaction.atomic
def cancel(actor: User, registration: Registration) -> Registration:
    """Cancel a registration; its place (and forum seats) go to the waiting list."""
    category = RegistrationCategory.objects.select_for_update().get(pk=registration.category_id)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.status == Status.CANCELLED:
        return reg
    before = reg.status
    reg.status = Status.CANCELLED
    reg.save(update_fields=["status"])
    reg.signups.all().delete()
    activity.record(actor, "cancel", reg, {"status": [before, reg.status]})
    signals.registration_cancelled.send(sender=Registration, registration=reg)
    _promote_waiting(actor, category)
    return reg


@transaction.atomic
def set_mode(actor: User, registration: Registration, mode: str) -> Registration:
    """Override one person's participation mode (in person / online)."""
    if mode not in Mode.values:
        raise EventsError("mode", _("Unknown participation mode."))
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    before = reg.mode
    reg.mode = mode
    reg.save(update_fields=["mode"])
    activity.record(actor, "set_mode", reg, {"mode": [before, mode]})
    return reg


def sign_up(registration: Registration, session: Session, *, actor: User | None = None) -> ForumSignup:
    """Take a seat in a forum with limited places (idempotent: a second sign-up returns the first)."""
    if registration.status != Status.APPROVED:
        raise EventsError("not_approved", _("Only approved participants can sign up for forums."))
    if session.meeting_id != registration.meeting_id or not session.signup_required:
        raise EventsError("no_signup", _("This session takes no sign-ups."))
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).select_related("room").get(pk=session.pk)
        existing = ForumSignup.objects.filter(registration=registration, session=locked).first()
        if existing:
            return existing
        clash = (
            ForumSignup.objects.filter(
                registration=registration,
                session__starts_at__lt=locked.ends_at,
                session__ends_at__gt=locked.starts_at,
            )
            .select_related("session")
            .first()
        )
        if clash:
            raise EventsError(
                "clash",
                _("You are already signed up for “%(title)s” at the same time.")
                % {"title": clash.session.title},
            )
        limit = locked.seat_limit
        if limit is not None and ForumSignup.objects.filter(session=locked).count() >= limit:
            raise EventsError("forum_full", _("“%(title)s” is full.") % {"title": locked.title})
        # Apps above may refuse (a published 1:1 at the same time) by raising a DomainError.
        signals.signup_requested.send(sender=ForumSignup, registration=registration, session=locked)
        signup = ForumSignup.objects.create(registration=registration, session=locked)
        activity.record(actor, "forum_signup", registration, {"session": [None, locked.title]})
        return signup


@transaction.atomic
def withdraw(registration: Registration, session: Session, *, actor: User | None = None) -> None:
    deleted, _n = ForumSignup.objects.filter(registration=registration, session=session).delete()
    if deleted:
        activity.record(actor, "forum_withdraw", registration, {"session": [session.title, None]})


# --- badges and check-in ------------------------------------------------------------------------


def badge_expiry(meeting: Meeting) -> datetime.datetime:
    last = meeting.end_date + datetime.timedelta(days=meeting.badge_valid_days + 1)
    return datetime.datetime.combine(last, datetime.time.min, tzinfo=meeting.tz)


def badge_token(registration: Registration) -> str:
    return tokens.sign(registration.public_id, registration.meeting_id, badge_expiry(registration.meeting))


@dataclass
class CheckInResult:
    """What the check-in desk shows: ok (first arrival today), again (already in), refused."""

    outcome: str
    message: str
    registration: Registration | None = None
    check_in: CheckIn | None = None
    warnings: list[str] = field(default_factory=list)


def _warnings(reg: Registration) -> list[str]:
    warnings = []
    if reg.status != Status.APPROVED:
        warnings.append(_("Registration status: %(status)s.") % {"status": reg.get_status_display()})
    if reg.mode == Mode.ONLINE:
        warnings.append(_("Registered to take part online, not in person."))
    return warnings


def check_in(
    actor: User,
    meeting: Meeting,
    *,
    token: str | None = None,
    registration: Registration | None = None,
    now: datetime.datetime | None = None,
) -> CheckInResult:
    """Check someone in by badge token (scan), short badge code (typed) or a registration found by
    name (search).

    Idempotent: the first check-in of the day is stored; later ones report when it happened.
    A cancelled or declined registration is refused; other problems come back as warnings.
    """
    now = now or timezone.now()
    method = "search"
    short_code = badge_codes.normalise(token) if token and not token.strip().startswith("B1.") else None
    if short_code is not None:
        # The ten-character code printed under the QR, typed when the QR won't scan.
        method = "code"
        registration = (
            Registration.objects.select_related("category", "meeting").filter(badge_code=short_code).first()
        )
        if registration is None:
            return CheckInResult("refused", _("No registration matches this badge."))
        if registration.meeting_id != meeting.pk:
            return CheckInResult("refused", str(tokens.TokenError.MESSAGES["other_meeting"]))
    elif token is not None:
        method = "token"
        try:
            claim = tokens.verify(token, meeting_id=meeting.pk, now=now)
        except tokens.TokenError as exc:
            return CheckInResult("refused", str(exc))
        registration = (
            Registration.objects.select_related("category", "meeting")
            .filter(public_id=claim.registration, meeting=meeting)
            .first()
        )
        if registration is None:
            return CheckInResult("refused", _("No registration matches this badge."))
    if registration is None or registration.meeting_id != meeting.pk:
        return CheckInResult("refused", _("No registration matches this badge."))
    if registration.status in (Status.CANCELLED, Status.REJECTED):
        return CheckInResult(
            "refused",
            _("This registration is %(status)s: do not admit.")
            % {"status": registration.get_status_display()},
            registration,
        )
    day = now.astimezone(meeting.tz).date()
    warnings = _warnings(registration)
    try:
        with transaction.atomic():
            entry = CheckIn.objects.create(
                registration=registration,
                day=day,
                method=method,
                by=actor if getattr(actor, "is_authenticated", False) else None,
                scanned_at=now,  # the desk's clock is the server's: earliest-wins compares it with devices'
            )
            activity.record(actor, "check_in", registration, {"day": [None, day.isoformat()]})
    except IntegrityError:
        earlier = CheckIn.objects.filter(registration=registration, day=day).first()
        # `when`: the device's time for a scan synced from the check-in app, else the desk's.
        local = timezone.localtime(earlier.when, meeting.tz) if earlier else None
        return CheckInResult(
            "again",
            _("Already checked in today at %(time)s.") % {"time": local.strftime("%H:%M") if local else "?"},
            registration,
            earlier,
            warnings,
        )
    return CheckInResult("ok", _("Checked in."), registration, entry, warnings)


def record_online_visit(registration: Registration, session: Session) -> OnlineAttendance:
    """Count a participant opening a session's online link (first time creates, later ones count)."""
    with transaction.atomic():
        visit, created = OnlineAttendance.objects.get_or_create(registration=registration, session=session)
        if not created:
            OnlineAttendance.objects.filter(pk=visit.pk).update(
                visits=visit.visits + 1, last_at=timezone.now()
            )
    return visit


def attendance_counts(meeting: Meeting, day: datetime.date | None = None) -> dict[str, Any]:
    """Live figures for the check-in desk: registered, checked in today, online now."""
    day = day or timezone.now().astimezone(meeting.tz).date()
    regs = Registration.objects.filter(meeting=meeting, status=Status.APPROVED)
    figures = regs.aggregate(
        in_person=Count("id", filter=Q(mode=Mode.IN_PERSON)), online=Count("id", filter=Q(mode=Mode.ONLINE))
    )
    figures["checked_in"] = CheckIn.objects.filter(registration__meeting=meeting, day=day).count()
    figures["checked_in_ever"] = (
        CheckIn.objects.filter(registration__meeting=meeting).values("registration").distinct().count()
    )
    figures["online_attended"] = (
        OnlineAttendance.objects.filter(session__meeting=meeting, session__starts_at__date=day)
        .values("registration")
        .distinct()
        .count()
    )
    figures["day"] = day
    return figures


# --- programme ----------------------------------------------------------------------------------


def agenda_snapshot(meeting: Meeting) -> dict[str, dict[str, Any]]:
    """The public agenda as plain data (no online links), keyed by session UUID."""
    sessions = (
        Session.objects.filter(meeting=meeting)
        .select_related("room")
        .prefetch_related("speaker_links__person")
    )
    return {
        str(s.public_id): {
            "title": s.title,
            "kind": s.kind,
            "starts_at": s.starts_at.isoformat(),
            "ends_at": s.ends_at.isoformat(),
            "room": s.room.name if s.room else "",
            "track": s.track,
            "speakers": [link.person.name for link in s.speaker_links.all()],
        }
        for s in sessions
    }


def agenda_changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """What changed between two snapshots, in words the change log shows."""
    labels = {
        "title": "title",
        "starts_at": "start",
        "ends_at": "end",
        "room": "room",
        "track": "track",
        "speakers": "speakers",
        "kind": "kind",
    }
    changes = []
    for key, item in sorted(new.items(), key=lambda kv: kv[1]["starts_at"]):
        if key not in old:
            changes.append({"kind": "added", "title": item["title"], "detail": ""})
            continue
        fields = [labels[f] for f in labels if old[key].get(f) != item.get(f)]
        if fields:
            changes.append({"kind": "changed", "title": item["title"], "detail": ", ".join(fields)})
    for key, item in old.items():
        if key not in new:
            changes.append({"kind": "removed", "title": item["title"], "detail": ""})
    return changes


def pending_agenda_changes(meeting: Meeting) -> list[dict[str, str]]:
    last = meeting.agenda_versions.order_by("-number").first()
    return agenda_changes(last.snapshot if last else {}, agenda_snapshot(meeting))


@transaction.atomic
def publish_agenda(actor: User, meeting: Meeting, note: str = "") -> AgendaVersion:
    """Publish the agenda as it is now: a new version whose change log lists what changed."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    last = meeting.agenda_versions.order_by("-number").first()
    snap = agenda_snapshot(meeting)
    changes = agenda_changes(last.snapshot if last else {}, snap)
    if last and not changes:
        raise EventsError("unchanged", _("Nothing has changed since version %(n)s.") % {"n": last.number})
    version = AgendaVersion.objects.create(
        meeting=meeting,
        number=(last.number + 1) if last else 1,
        snapshot=snap,
        changes=changes,
        note=note,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    activity.record(
        actor, "publish_agenda", meeting, {"agenda_version": [last.number if last else None, version.number]}
    )
    from .agenda_notices import tell_affected  # the registrants whose sessions changed

    tell_affected(version, last.snapshot if last else {})
    return version


# --- programme editing (organisers, on the site) -------------------------------------------------
# Changes are drafts until `publish_agenda` makes a version: the public agenda and calendars show
# sessions once a first version exists, and every version lists what changed since the last.

SESSION_FIELDS = [
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "room",
    "track",
    "theme",
    "description",
    "interpretation",
    "online_url",
    "signup_required",
    "capacity",
]
ROOM_FIELDS = ["name", "capacity", "online_only"]


def _speaker_list(session: Session) -> list[str]:
    return [f"{link.person.name} ({link.role})" for link in session.speaker_links.select_related("person")]


def _check_session(meeting: Meeting, session: Session, people: list[tuple[Any, str]]) -> list[str]:
    """Refuse what cannot be (EventsError naming the field); return warnings for what may be a slip."""
    if session.ends_at <= session.starts_at:
        raise EventsError("order", _("The session must end after it starts."), "ends_at")
    tz = meeting.tz
    first, last = session.starts_at.astimezone(tz).date(), session.ends_at.astimezone(tz).date()
    if first < meeting.start_date or last > meeting.end_date:
        raise EventsError(
            "dates",
            _("Sessions take place within the meeting's dates, %(start)s to %(end)s (venue time).")
            % {"start": meeting.start_date.isoformat(), "end": meeting.end_date.isoformat()},
            "starts_at",
        )
    room = session.room if session.room_id is not None else None
    if room is not None and room.meeting_id != meeting.pk:
        raise EventsError("room", _("This room belongs to another meeting."), "room")
    overlapping = Session.objects.filter(
        meeting=meeting, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
    ).exclude(pk=session.pk)
    if room is not None:
        clash = overlapping.filter(room_id=room.pk).order_by("starts_at").first()
        if clash is not None:
            local = clash.starts_at.astimezone(tz)
            message = _("%(room)s is already taken by “%(title)s” (%(start)s–%(end)s).") % {
                "room": room.name,
                "title": clash.title,
                "start": local.strftime("%H:%M"),
                "end": clash.ends_at.astimezone(tz).strftime("%H:%M"),
            }
            raise EventsError("room_busy", message, "room")
    ids = [person.pk for person, _role in people]
    if len(ids) != len(set(ids)):
        raise EventsError(
            "speaker_twice",
            _("Each person can be listed once: as a speaker or as a moderator."),
            "moderators",
        )
    warnings = []
    busy = (
        SessionSpeaker.objects.filter(session__in=overlapping, person_id__in=ids)
        .select_related("person", "session")
        .order_by("person__name")
    )
    for link in busy:
        warnings.append(
            _("%(name)s also speaks in “%(title)s” at the same time.")
            % {"name": link.person.name, "title": link.session.title}
        )
    room = session.room if session.room_id is not None else None
    if room is not None and session.capacity is not None and session.capacity > room.capacity:
        warnings.append(
            _("The sign-up capacity (%(n)s) is larger than the room (%(room)s places).")
            % {"n": session.capacity, "room": room.capacity}
        )
    online_only = room is not None and room.online_only
    if online_only and not session.online_url and session.kind != Session.Kind.BREAK:
        warnings.append(_("The room is online only, but the session has no online link yet."))
    return warnings


@transaction.atomic
def save_session(
    actor: User,
    meeting: Meeting,
    values: dict[str, Any],
    people: list[tuple[Any, str]],
    session: Session | None = None,
) -> tuple[Session, list[str]]:
    """Add a session to the programme (`session` None) or change one; returns (session, warnings).

    `values` holds SESSION_FIELDS (times aware; `room` a Room of this meeting or None); `people`
    the speakers and moderators in order, as (Person, "speaker" | "moderator"). Refused (EventsError
    with the field it is about): an end before the start, a time outside the meeting's dates in the
    venue's zone, a room already taken at that time, a person listed twice. Warned, but saved: a
    speaker in two sessions at once, a sign-up capacity above the room's. The meeting row is locked,
    so two organisers saving at once cannot both take the same room.
    """
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"fields not accepted here: {', '.join(sorted(unknown))}")
    if session is None:
        session, before, old_people = Session(meeting=meeting), {}, []
    else:
        session = Session.objects.select_for_update().get(pk=session.pk, meeting=meeting)
        before, old_people = activity.snapshot(session, SESSION_FIELDS), _speaker_list(session)
    for name, value in values.items():
        setattr(session, name, value)
    session.online_url = (session.online_url or "").strip()
    session.full_clean(
        exclude=["meeting", "room", "speakers"], validate_unique=False, validate_constraints=False
    )
    warnings = _check_session(meeting, session, people)
    created = session.pk is None
    session.save()
    session.speaker_links.all().delete()
    SessionSpeaker.objects.bulk_create(
        [
            SessionSpeaker(session=session, person=person, role=role, order=i)
            for i, (person, role) in enumerate(people)
        ]
    )
    changes = activity.diff(before, activity.snapshot(session, SESSION_FIELDS))
    new_people = [f"{person.name} ({role})" for person, role in people]
    if new_people != old_people:
        changes["speakers"] = [old_people, new_people]
    if "online_url" in changes:  # the link is for participants only: the log says that it changed
        changes["online_url"] = [bool(changes["online_url"][0]), bool(changes["online_url"][1])]
    activity.record(actor, "session_add" if created else "session_change", session, changes)
    return session, warnings


@transaction.atomic
def delete_session(actor: User, session: Session) -> None:
    """Take a session out of the programme (its forum sign-ups go with it; the log keeps the count)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    before = activity.snapshot(session, SESSION_FIELDS)
    before["online_url"] = bool(before["online_url"])
    signups = session.signups.count()
    activity.record(
        actor,
        "session_delete",
        session,
        {
            **{k: [v, None] for k, v in before.items() if v not in (None, "", False)},
            "speakers": [_speaker_list(session), None],
            "signups": [signups, None],
        },
    )
    session.delete()


@transaction.atomic
def save_room(actor: User, meeting: Meeting, values: dict[str, Any], room: Room | None = None) -> Room:
    """Add a room to the meeting (`room` None) or change one; names are unique within a meeting."""
    unknown = set(values) - set(ROOM_FIELDS)
    if unknown:
        raise ValueError(f"fields not accepted here: {', '.join(sorted(unknown))}")
    if room is None:
        room, before = Room(meeting=meeting), {}
    else:
        room = Room.objects.select_for_update().get(pk=room.pk, meeting=meeting)
        before = activity.snapshot(room, ROOM_FIELDS)
    for name, value in values.items():
        setattr(room, name, value)
    room.name = " ".join(str(room.name).split())
    room.full_clean(exclude=["meeting"], validate_unique=False, validate_constraints=False)
    if Room.objects.filter(meeting=meeting, name__iexact=room.name).exclude(pk=room.pk).exists():
        raise EventsError(
            "room_name", _("This meeting already has a room called “%(name)s”.") % {"name": room.name}, "name"
        )
    created = room.pk is None
    try:
        with transaction.atomic():
            room.save()
    except IntegrityError:  # the same name saved at the same moment by someone else
        raise EventsError(
            "room_name", _("This meeting already has a room called “%(name)s”.") % {"name": room.name}, "name"
        ) from None
    activity.record(
        actor,
        "room_add" if created else "room_change",
        room,
        activity.diff(before, activity.snapshot(room, ROOM_FIELDS)),
    )
    return room


@transaction.atomic
def delete_room(actor: User, room: Room) -> None:
    """Remove a room that no session uses (move or delete its sessions first)."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    n = room.sessions.count()
    if n:
        raise EventsError(
            "room_in_use",
            _("%(n)s session(s) take place in %(room)s: move or delete them first.")
            % {"n": n, "room": room.name},
        )
    gone = {k: [v, None] for k, v in activity.snapshot(room, ROOM_FIELDS).items()}
    activity.record(actor, "room_delete", room, gone)
    room.delete()


CLONE_PARTS = ("rooms", "categories", "sessions", "organisers")


@transaction.atomic
def clone_meeting(
    actor: User, meeting: Meeting, *, slug: str, title: str, start_date: datetime.date, parts: set[str]
) -> Meeting:
    """Copy a meeting for next year with the chosen parts; session times keep their weekday offset.

    Registrations, check-ins and agenda versions are never copied; the copy starts as a draft.
    """
    unknown = parts - set(CLONE_PARTS)
    if unknown:
        raise ValueError(f"unknown parts: {unknown}")
    if Meeting.objects.filter(slug=slug).exists():
        raise EventsError("slug", _("A meeting with this address already exists."))
    shift = start_date - meeting.start_date
    copy = Meeting.objects.create(
        slug=slug,
        title=title,
        kind=meeting.kind,
        host=meeting.host,
        venue=meeting.venue,
        place=meeting.place,
        timezone=meeting.timezone,
        start_date=start_date,
        end_date=meeting.end_date + shift,
        format=meeting.format,
        theme=meeting.theme,
        languages=meeting.languages,
        status=Meeting.Status.DRAFT,
        cloned_from=meeting,
        badge_valid_days=meeting.badge_valid_days,
    )
    copy.co_chairs.set(meeting.co_chairs.all())
    if "organisers" in parts:
        copy.organisers.set(meeting.organisers.all())
    rooms: dict[int, Room] = {}
    if "rooms" in parts or "sessions" in parts:
        for room in meeting.rooms.all():
            rooms[room.pk] = Room.objects.create(
                meeting=copy, name=room.name, capacity=room.capacity, online_only=room.online_only
            )
    if "categories" in parts:
        for cat in meeting.categories.all():
            RegistrationCategory.objects.create(
                meeting=copy,
                code=cat.code,
                name=cat.name,
                kind=cat.kind,
                colour=cat.colour,
                capacity=cat.capacity,
                approval=cat.approval,
                default_mode=cat.default_mode,
                mode_choice=cat.mode_choice,
                is_public=cat.is_public,
                questions=cat.questions,
                translations=cat.translations,
                order=cat.order,
            )
    if "sessions" in parts:
        tz = meeting.tz
        for s in meeting.sessions.prefetch_related("speaker_links"):
            # Shift in the venue's wall-clock time, so 09:30 stays 09:30 across a DST change.
            start = (s.starts_at.astimezone(tz).replace(tzinfo=None) + shift).replace(tzinfo=tz)
            end = (s.ends_at.astimezone(tz).replace(tzinfo=None) + shift).replace(tzinfo=tz)
            new = Session.objects.create(
                meeting=copy,
                title=s.title,
                kind=s.kind,
                starts_at=start,
                ends_at=end,
                room=rooms.get(s.room_id) if s.room_id is not None else None,
                track=s.track,
                theme=s.theme,
                description=s.description,
                interpretation=s.interpretation,
                signup_required=s.signup_required,
                capacity=s.capacity,
            )
            SessionSpeaker.objects.bulk_create(
                [
                    SessionSpeaker(session=new, person_id=link.person_id, role=link.role, order=link.order)
                    for link in s.speaker_links.all()
                ]
            )
    activity.record(
        actor, "clone", copy, {"cloned_from": [None, meeting.slug], "parts": [None, sorted(parts)]}
    )
    return copy


def find_registration_by_key(meeting: Meeting, public_id: uuid.UUID | str) -> Registration | None:
    return (
        Registration.objects.select_related("category", "meeting")
        .filter(meeting=meeting, public_id=public_id)
        .first()
    )
