"""Check-in from several devices, one truth: the services behind the check-in web app's sync.

A device (a staff phone running the check-in web app) scans badges with or without network and
keeps each scan as a queue entry: an id it made up (UUID), the badge token or short badge code,
the device's clock, the entrance label and, at a session's door, the session. When online it sends
its queue to `sync_scans`, which answers each entry:

- **ok**: this scan is the person's check-in (the first of that meeting day, or of that session);
- **again**: someone was checked in earlier, by device time, on this or another device; the
  answer says when and where ("Already checked in at 09:12 at North entrance.");
- **refused**: with a `code` and a message: the entry was altered, the badge is forged, of
  another meeting, expired or cancelled, the person did not sign up for the session, the room is
  full, or the entry is malformed.

Rules:
- *Earliest wins*: the check-in keeps the scan with the earliest device time. A scan synced later
  but recorded earlier takes the check-in over; the other scan becomes "again".
- *Idempotent*: a scan is stored once per entry id (unique). Re-sending an entry writes nothing
  and answers the current truth for it.
- *Bound entries*: each entry carries an HMAC over its fields made with a per-device key that the
  server derived for this meeting and device (`device_key`) and the device holds as a
  non-extractable WebCrypto key. An entry whose token, code, time, entrance or session was
  changed in the device's storage no longer matches and is refused; the badge token is verified
  again here as well. (Someone who can run code in the app on an unlocked staff phone can still
  sign entries with that key: the binding catches altered storage, not a compromised device.)
- Only a meeting's check-in staff (or organisers) may sync for it (the view checks the
  permission); a device key is derived per meeting, so an entry signed for one meeting is refused
  by another.

Refused entries write nothing. Accepted ones write the `Scan`, the check-in and an activity-log
entry together (a savepoint per entry, one commit per batch).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import activity

from . import badge_codes, tokens
from .models import CheckIn, ForumSignup, Meeting, Mode, Registration, Scan, Session, SessionCheckIn

if TYPE_CHECKING:
    from ascnhub.common.models import User

Status = Registration.Status

#: A device clock this far ahead of the server's is refused: a check-in "from the future" would win
#: every earliest-wins comparison it should lose.
MAX_CLOCK_AHEAD = datetime.timedelta(minutes=10)
MAX_BATCH = 500
ENTRANCE_MAX = 80
DEVICE_ID_MAX = 64


@dataclass
class ScanResult:
    """The answer for one queue entry, as the device shows it."""

    id: str
    outcome: str  # ok | again | refused
    message: str
    code: str = ""
    registration: Registration | None = None
    first_at: datetime.datetime | None = None
    first_entrance: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_json(self, meeting: Meeting) -> dict[str, Any]:
        reg = self.registration
        return {
            "id": self.id,
            "outcome": self.outcome,
            "message": self.message,
            "code": self.code,
            "registration": str(reg.public_id) if reg else None,
            "name": reg.badge_name if reg else None,
            "first_at": self.first_at.isoformat() if self.first_at else None,
            "first_time": _local_time(meeting, self.first_at) if self.first_at else None,
            "first_entrance": self.first_entrance,
            "warnings": self.warnings,
        }


class _Refused(Exception):
    def __init__(self, code: str, message: str, registration: Registration | None = None):
        super().__init__(message)
        self.code, self.message, self.registration = code, message, registration


def device_key(meeting: Meeting, device_id: str) -> bytes:
    """The HMAC key that binds a device's queue entries, derived for this meeting and device."""
    root = hmac.new(settings.SECRET_KEY.encode(), b"ascnhub.events.checkin-device", hashlib.sha256).digest()
    return hmac.new(root, f"{meeting.pk}:{device_id}".encode(), hashlib.sha256).digest()


def entry_message(entry: dict[str, Any]) -> bytes:
    """The bytes an entry's MAC covers: its fields, as sent, one per line (the app builds the same)."""
    parts = [
        entry.get("id"),
        entry.get("device"),
        entry.get("token") or "",
        entry.get("code") or "",
        entry.get("at"),
        entry.get("entrance") or "",
        entry.get("session") or "",
    ]
    return "\n".join(str(p if p is not None else "") for p in parts).encode()


def sign_entry(meeting: Meeting, entry: dict[str, Any]) -> str:
    """The MAC (lowercase hex) a device with this meeting's key puts on `entry`."""
    return hmac.new(
        device_key(meeting, str(entry.get("device", ""))), entry_message(entry), hashlib.sha256
    ).hexdigest()


def _local_time(meeting: Meeting, when: datetime.datetime) -> str:
    return timezone.localtime(when, meeting.tz).strftime("%H:%M")


def _again_message(meeting: Meeting, when: datetime.datetime, entrance: str) -> str:
    if entrance:
        return _("Already checked in at %(time)s at %(entrance)s.") % {
            "time": _local_time(meeting, when),
            "entrance": entrance,
        }
    return _("Already checked in at %(time)s.") % {"time": _local_time(meeting, when)}


def _warnings(reg: Registration) -> list[str]:
    warnings = []
    if reg.status != Status.APPROVED:
        warnings.append(_("Registration status: %(status)s.") % {"status": reg.get_status_display()})
    if reg.mode == Mode.ONLINE:
        warnings.append(_("Registered to take part online, not in person."))
    return warnings


def _parse(meeting: Meeting, entry: Any, now: datetime.datetime) -> dict[str, Any]:
    """Check an entry's shape and MAC; return its parsed fields or raise _Refused (nothing written)."""
    if not isinstance(entry, dict):
        raise _Refused("malformed", _("The entry is not an object."))
    try:
        entry_id = uuid.UUID(str(entry.get("id", "")))
    except ValueError:
        raise _Refused("malformed", _("id: not a UUID.")) from None
    device = str(entry.get("device") or "")
    if not device or len(device) > DEVICE_ID_MAX:
        raise _Refused(
            "malformed", _("device: missing or longer than %(n)d characters.") % {"n": DEVICE_ID_MAX}
        )
    token, code = entry.get("token") or "", entry.get("code") or ""
    if not isinstance(token, str) or not isinstance(code, str) or bool(token) == bool(code):
        raise _Refused("malformed", _("token or code: give exactly one of them."))
    entrance = entry.get("entrance") or ""
    if not isinstance(entrance, str) or len(entrance) > ENTRANCE_MAX:
        raise _Refused("malformed", _("entrance: longer than %(n)d characters.") % {"n": ENTRANCE_MAX})
    try:
        at = datetime.datetime.fromisoformat(str(entry.get("at", "")))
    except ValueError:
        raise _Refused("malformed", _("at: not a date and time (ISO 8601).")) from None
    if at.tzinfo is None:
        raise _Refused("malformed", _("at: the time zone is missing."))
    session_id = None
    if entry.get("session"):
        try:
            session_id = uuid.UUID(str(entry["session"]))
        except ValueError:
            raise _Refused("malformed", _("session: not a UUID.")) from None
    mac = entry.get("mac")
    if not isinstance(mac, str) or not hmac.compare_digest(mac.lower(), sign_entry(meeting, entry)):
        raise _Refused(
            "tampered",
            _("This entry was altered on the device (or signed for another meeting): it is not accepted."),
        )
    if at > now + MAX_CLOCK_AHEAD:
        raise _Refused("clock", _("The device's clock is ahead of the server's: set the device's time."))
    return {
        "id": entry_id,
        "device": device,
        "token": token.strip(),
        "code": code,
        "at": at,
        "entrance": " ".join(entrance.split()),
        "session": session_id,
    }


def _registration(meeting: Meeting, parsed: dict[str, Any]) -> Registration:
    """The registration a badge token or short code names; refuse forged, foreign or cancelled ones."""
    if parsed["token"]:
        try:
            claim = tokens.verify(parsed["token"], meeting_id=meeting.pk, now=parsed["at"])
        except tokens.TokenError as exc:
            raise _Refused(exc.code, str(exc)) from None
        reg = Registration.objects.select_related("category").filter(public_id=claim.registration).first()
        if reg is None or reg.meeting_id != meeting.pk:
            raise _Refused("unknown", _("No registration matches this badge."))
    else:
        code = badge_codes.normalise(parsed["code"])
        if code is None:
            raise _Refused("malformed", _("This is not a badge code: check the ten characters."))
        reg = Registration.objects.select_related("category").filter(badge_code=code).first()
        if reg is None:
            raise _Refused("unknown", _("No registration matches this badge."))
        if reg.meeting_id != meeting.pk:
            raise _Refused("other_meeting", str(tokens.TokenError.MESSAGES["other_meeting"]))
    if reg.status in (Status.CANCELLED, Status.REJECTED):
        raise _Refused(
            "cancelled",
            _("This registration is %(status)s: do not admit.") % {"status": reg.get_status_display()},
            reg,
        )
    return reg


def _session(meeting: Meeting, session_id: uuid.UUID | None) -> Session | None:
    if session_id is None:
        return None
    session = Session.objects.select_related("room").filter(meeting=meeting, public_id=session_id).first()
    if session is None:
        raise _Refused("malformed", _("session: no such session in this meeting."))
    return session


def _current_answer(meeting: Meeting, scan: Scan) -> ScanResult:
    """What a stored scan amounts to now (after later syncs may have found an earlier scan)."""
    rid = str(scan.entry_id)
    if scan.session_id:
        first: CheckIn | SessionCheckIn | None = SessionCheckIn.objects.filter(
            session_id=scan.session_id, registration_id=scan.registration_id
        ).first()
    else:
        day = timezone.localtime(scan.scanned_at, meeting.tz).date()
        first = CheckIn.objects.filter(registration_id=scan.registration_id, day=day).first()
    reg = scan.registration
    if first is None:  # the check-in was removed by an organiser since
        return ScanResult(rid, "refused", _("This check-in was removed by the organisers."), "removed", reg)
    when = first.when if isinstance(first, CheckIn) else first.scanned_at
    if first.scan_id == scan.pk:
        return ScanResult(rid, "ok", _("Checked in."), "", reg, when, first.entrance, _warnings(reg))
    return ScanResult(
        rid,
        "again",
        _again_message(meeting, when, first.entrance),
        "",
        reg,
        when,
        first.entrance,
        _warnings(reg),
    )


def _day_check_in(actor: User | None, meeting: Meeting, reg: Registration, scan: Scan) -> None:
    day = timezone.localtime(scan.scanned_at, meeting.tz).date()
    fields = {
        "scanned_at": scan.scanned_at,
        "entrance": scan.entrance,
        "device_id": scan.device_id,
        "scan": scan,
        "by": scan.by,
    }
    existing = CheckIn.objects.select_for_update().filter(registration=reg, day=day).first()
    if existing is None:
        try:
            with transaction.atomic():
                CheckIn.objects.create(registration=reg, day=day, method="scan", **fields)
        except IntegrityError:  # another device's sync created it a moment ago
            existing = CheckIn.objects.select_for_update().get(registration=reg, day=day)
        else:
            activity.record(
                actor, "check_in", reg, {"day": [None, day.isoformat()], "entrance": [None, scan.entrance]}
            )
            return
    if scan.scanned_at < existing.when:
        before = _local_time(meeting, existing.when)
        for name, value in {**fields, "method": "scan"}.items():
            setattr(existing, name, value)
        existing.save(update_fields=[*fields, "method"])
        activity.record(
            actor, "check_in_earlier", reg, {"time": [before, _local_time(meeting, scan.scanned_at)]}
        )


def _door_check_in(
    actor: User | None, meeting: Meeting, reg: Registration, session: Session, scan: Scan
) -> None:
    # The session row lock serialises door check-ins of one session, so the room never overfills.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    existing = SessionCheckIn.objects.filter(session=session, registration=reg).first()
    fields = {
        "scanned_at": scan.scanned_at,
        "entrance": scan.entrance,
        "device_id": scan.device_id,
        "scan": scan,
        "by": scan.by,
    }
    if existing is not None:
        if scan.scanned_at < existing.scanned_at:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save(update_fields=list(fields))
        return
    if session.signup_required and not ForumSignup.objects.filter(session=session, registration=reg).exists():
        raise _Refused(
            "not_signed_up",
            _("Not signed up for %(session)s: seats are for those who signed up.")
            % {"session": session.title},
            reg,
        )
    limit = session.seat_limit
    if limit is not None and SessionCheckIn.objects.filter(session=session).count() >= limit:
        raise _Refused(
            "full",
            _("%(session)s is full: %(n)d of %(n)d seats taken.") % {"session": session.title, "n": limit},
            reg,
        )
    SessionCheckIn.objects.create(session=session, registration=reg, **fields)
    activity.record(actor, "session_check_in", reg, {"session": [None, session.title]})


def sync_one(
    actor: User | None, meeting: Meeting, entry: Any, *, now: datetime.datetime | None = None
) -> ScanResult:
    """Apply one queue entry (see the module docstring); writes in one transaction, or nothing."""
    now = now or timezone.now()
    rid = str(entry.get("id", "")) if isinstance(entry, dict) else ""
    try:
        parsed = _parse(meeting, entry, now)
        known = Scan.objects.select_related("registration").filter(entry_id=parsed["id"]).first()
        if known is not None:
            if known.meeting_id != meeting.pk:
                raise _Refused("tampered", _("This entry belongs to another meeting."))
            return _current_answer(meeting, known)
        reg = _registration(meeting, parsed)
        session = _session(meeting, parsed["session"])
        with transaction.atomic():
            try:
                with transaction.atomic():
                    scan = Scan.objects.create(
                        entry_id=parsed["id"],
                        meeting=meeting,
                        registration=reg,
                        session=session,
                        device_id=parsed["device"],
                        entrance=parsed["entrance"],
                        scanned_at=parsed["at"],
                        by=actor if getattr(actor, "is_authenticated", False) else None,
                    )
            except IntegrityError:  # the same entry sent twice at once: the other request stored it
                return _current_answer(meeting, Scan.objects.get(entry_id=parsed["id"]))
            if session is None:
                _day_check_in(actor, meeting, reg, scan)
            else:
                _door_check_in(actor, meeting, reg, session, scan)
        return _current_answer(meeting, scan)
    except _Refused as refusal:
        return ScanResult(rid, "refused", refusal.message, refusal.code, refusal.registration)


def sync_scans(
    actor: User | None, meeting: Meeting, entries: Any, *, now: datetime.datetime | None = None
) -> list[ScanResult]:
    """Apply a device's queue, entry by entry (each accepted or refused on its own), in order.

    Raises ValueError when the batch itself is unusable (not a list, or more than MAX_BATCH).
    """
    if not isinstance(entries, list):
        raise ValueError("entries: a list of scans is expected")
    if len(entries) > MAX_BATCH:
        raise ValueError(f"entries: at most {MAX_BATCH} per request, {len(entries)} given")
    # One commit for the batch (each entry is its own savepoint, accepted or rolled back alone):
    # a commit per entry made a 100-entry sync three times slower on SQLite.
    with transaction.atomic():
        return [sync_one(actor, meeting, entry, now=now) for entry in entries]


# --- what a device downloads, and the live counts ------------------------------------------------


def device_state(meeting: Meeting, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Everything a device needs to decide offline: the roster with statuses, sessions, check-ins.

    Cancelled and declined registrations are listed as such, so a device that synced after the
    cancellation refuses the badge with no network. One that has not synced since still accepts
    it on the signature, shows it as "to be confirmed", and learns the refusal at the next sync.
    """
    now = now or timezone.now()
    today = timezone.localtime(now, meeting.tz).date()
    people = {
        str(pid): [name_on_badge or name, cat, status, code or ""]
        for pid, name, name_on_badge, cat, status, code in Registration.objects.filter(meeting=meeting)
        .order_by("id")
        .values_list("public_id", "name", "name_on_badge", "category__name", "status", "badge_code")
    }
    checked_in = {
        str(pid): [when.isoformat(), entrance]
        for pid, when, entrance in CheckIn.objects.filter(
            registration__meeting=meeting, day=today
        ).values_list("registration__public_id", "scanned_at", "entrance")
        if when is not None
    }
    # Desk check-ins made before the app existed have no device time: their server time stands in.
    for pid, at, entrance in CheckIn.objects.filter(
        registration__meeting=meeting, day=today, scanned_at__isnull=True
    ).values_list("registration__public_id", "at", "entrance"):
        checked_in[str(pid)] = [at.isoformat(), entrance]
    signups: dict[int, list[str]] = {}
    for sid, pid in ForumSignup.objects.filter(session__meeting=meeting).values_list(
        "session_id", "registration__public_id"
    ):
        signups.setdefault(sid, []).append(str(pid))
    door: dict[int, dict[str, list[str]]] = {}
    for sid, pid, when, entrance in SessionCheckIn.objects.filter(session__meeting=meeting).values_list(
        "session_id", "registration__public_id", "scanned_at", "entrance"
    ):
        door.setdefault(sid, {})[str(pid)] = [when.isoformat(), entrance]
    sessions = [
        {
            "id": str(s.public_id),
            "title": s.title,
            "starts_at": s.starts_at.isoformat(),
            "time": timezone.localtime(s.starts_at, meeting.tz).strftime("%a %d %b %H:%M"),
            "room": s.room.name if s.room else "",
            "seat_limit": s.seat_limit,
            "signup_required": s.signup_required,
            "signups": signups.get(s.pk, []),
            "checked_in": door.get(s.pk, {}),
        }
        for s in Session.objects.filter(meeting=meeting)
        .exclude(kind=Session.Kind.BREAK)
        .select_related("room")
    ]
    return {
        "meeting_id": meeting.pk,
        "timezone": meeting.timezone,
        "public_key": tokens.public_key_b64(),
        "synced_at": now.isoformat(),
        "today": today.isoformat(),
        "people": people,
        "refused_statuses": [Status.CANCELLED, Status.REJECTED],
        "checked_in": checked_in,
        "sessions": sessions,
    }


def counts(meeting: Meeting) -> dict[str, Any]:
    """Per-day and per-session check-in figures for the app and the organisers (a fixed number of queries)."""
    expected = Registration.objects.filter(
        meeting=meeting, status=Status.APPROVED, mode=Mode.IN_PERSON
    ).count()
    per_day = dict(
        CheckIn.objects.filter(registration__meeting=meeting)
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    # The meeting's days, and any other day someone was checked in (e.g. badge pick-up the day before).
    all_days = sorted(set(meeting.days()) | set(per_day))
    days = [{"day": d.isoformat(), "checked_in": per_day.get(d, 0), "expected": expected} for d in all_days]
    sessions = [
        {
            "id": str(s.public_id),
            "title": s.title,
            "time": timezone.localtime(s.starts_at, meeting.tz).strftime("%a %d %b %H:%M"),
            "checked_in": s.n_door,
            "signups": s.n_signups,
            "seat_limit": s.seat_limit,
        }
        for s in Session.objects.filter(meeting=meeting)
        .exclude(kind=Session.Kind.BREAK)
        .select_related("room")
        .annotate(
            n_door=Count("door_check_ins", distinct=True),
            n_signups=Count(
                "signups", distinct=True, filter=Q(signups__registration__status__in=Registration.HOLDS_PLACE)
            ),
        )
    ]
    return {"days": days, "sessions": sessions}
