"""Personal data: consent records, "download my data", erasure that anonymises in place, and the
secretariat's requests and grace period.

Erasure keeps the numbers: a registration, a matchmaking profile, a held meeting and a published
schedule stay where they are (counts, check-ins, meeting figures and the schedule's document are
unchanged), but every name, e-mail address and free text that identified the person is replaced,
so the other party of a meeting sees "A participant who left". After the domain rows, a sweep over
every text and JSON column of every model replaces what is left of the person's names and
addresses (the activity log, other people's e-mails in the outbox, the scheduling documents), so a
full `dumpdata` holds no trace of them.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common.models import OutgoingEmail
from ascnhub.common.models import User as UserModel
from ascnhub.events.models import Registration
from ascnhub.matchmaking.models import Feedback, MeetingRequest, Profile, ScheduledMeeting
from ascnhub.notices.models import Notification, Preference
from ascnhub.registry.models import Person

from .errors import PrivacyError
from .models import TEXT_VERSION, ConsentRecord, Erasure, ErasureRequest, Purpose, RetentionRule

if TYPE_CHECKING:
    from ascnhub.common.models import User

#: What the other party and every list shows in place of an erased person's name.
LEFT = "A participant who left"
ERASED_DOMAIN = "erased.invalid"
# Names shorter than this are not swept from free text: "Li" would rewrite "policy".
_MIN_SWEEP_LENGTH = 4


def give_consent(user: User, purpose: str, *, scope: str = "") -> ConsentRecord:
    """Record that `user` consented to `purpose` under the current text version."""
    if purpose not in Purpose.values:
        raise PrivacyError(
            "unknown_purpose", _("“%(p)s” is not a purpose of consent.") % {"p": purpose}, "purpose"
        )
    return ConsentRecord.objects.create(user=user, purpose=purpose, text_version=TEXT_VERSION, scope=scope)


def withdraw_consent(user: User, purpose: str, *, scope: str = "") -> int:
    """Withdraw the user's standing consents to `purpose` (in `scope`); returns how many."""
    if purpose not in Purpose.values:
        raise PrivacyError(
            "unknown_purpose", _("“%(p)s” is not a purpose of consent.") % {"p": purpose}, "purpose"
        )
    return ConsentRecord.objects.filter(user=user, purpose=purpose, scope=scope, withdrawn_at=None).update(
        withdrawn_at=timezone.now()
    )


# --- what is stored about someone -------------------------------------------------------------


@dataclass
class Holdings:
    """Every row that is about one person, found from their e-mail address."""

    email: str
    user: Any = None
    person: Any = None
    registrations: list[Any] = field(default_factory=list)
    profiles: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.user is None and self.person is None and not self.registrations

    def names(self) -> set[str]:
        found = set()
        if self.user is not None:
            found.add(" ".join(p for p in (self.user.first_name, self.user.last_name) if p))
        if self.person is not None:
            found.add(self.person.name)
        for reg in self.registrations:
            found.update((reg.name, reg.name_on_badge))
        return {n.strip() for n in found if n and n.strip() and n.strip() != LEFT}

    def emails(self) -> set[str]:
        found = {self.email}
        if self.user is not None:
            found.add(self.user.email)
        if self.person is not None:
            found.add(self.person.email)
        found.update(reg.email for reg in self.registrations)
        return {e.lower() for e in found if e and not e.endswith("@" + ERASED_DOMAIN)}


def holdings_of(email: str) -> Holdings:
    """Find the account, person, registrations and matchmaking profiles behind an e-mail address."""
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise PrivacyError("bad_email", _("“%(e)s” is not an e-mail address.") % {"e": email}, "email")
    user = UserModel.objects.filter(email__iexact=email).first()
    person = Person.objects.filter(
        Q(email__iexact=email) | Q(user=user) if user else Q(email__iexact=email)
    ).first()
    match = Q(email__iexact=email)
    if user is not None:
        match |= Q(user=user)
    if person is not None:
        match |= Q(person=person)
    registrations = list(Registration.objects.filter(match).select_related("meeting", "category"))
    profiles = list(
        Profile.objects.filter(Q(owner__in=registrations) | Q(members__in=registrations))
        .distinct()
        .order_by("pk")
    )
    return Holdings(email, user, person, registrations, profiles)


def _rows(queryset: Any) -> list[dict[str, Any]]:
    """Rows as plain dicts (model fields, primary key first), for both the JSON and the CSV files."""
    out = []
    for item in json.loads(serializers.serialize("json", queryset)):
        out.append({"id": item["pk"], **item["fields"]})
    return out


def export_data(email: str) -> bytes:
    """A zip of everything stored about the person behind `email`: `data.json` with every section,
    and one CSV per section (account, person, registrations, matchmaking profiles, requests,
    meetings, feedback, consents, notices). Refused when nothing is stored for the address."""
    held = holdings_of(email)
    if held.empty:
        raise PrivacyError("nothing_stored", _("Nothing is stored for %(e)s.") % {"e": held.email}, "email")
    profile_ids = [p.pk for p in held.profiles]
    requests = MeetingRequest.objects.filter(
        Q(requester_id__in=profile_ids) | Q(recipient_id__in=profile_ids)
    )
    user_rows = []
    if held.user is not None:
        u = held.user
        user_rows = [
            {
                "id": u.pk,
                "email": u.email,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "date_joined": u.date_joined.isoformat(),
                "last_login": u.last_login.isoformat() if u.last_login else None,
            }
        ]
    sections: dict[str, list[dict[str, Any]]] = {
        "account": user_rows,
        "person": _rows(Person.objects.filter(pk=held.person.pk)) if held.person else [],
        "registrations": _rows(Registration.objects.filter(pk__in=[r.pk for r in held.registrations])),
        "matchmaking_profiles": _rows(Profile.objects.filter(pk__in=profile_ids)),
        "meeting_requests": _rows(requests),
        # The meetings of the published schedules only: drafts were never anyone's agenda.
        "meetings": _rows(
            ScheduledMeeting.objects.filter(request__in=requests, run_id=F("run__setup__published_run_id"))
        ),
        "feedback": _rows(Feedback.objects.filter(profile_id__in=profile_ids)),
        "consents": _rows(ConsentRecord.objects.filter(user=held.user)) if held.user else [],
        "notices": _rows(Notification.objects.filter(user=held.user)) if held.user else [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                {"email": held.email, "exported_at": timezone.now().isoformat(), **sections},
                indent=2,
                ensure_ascii=False,
                default=str,
            ),
        )
        for name, rows in sections.items():
            text = io.StringIO()
            columns = sorted({key for row in rows for key in row}, key=lambda k: (k != "id", k))
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                        for k, v in row.items()
                    }
                )
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()


# --- erasure ----------------------------------------------------------------------------------


def _digest(email: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _replacer(names: set[str], emails: set[str]) -> tuple[list[str], Any]:
    """The needles to look for and a function that replaces them in a string, longest first."""
    pairs = [(e, f"erased@{ERASED_DOMAIN}") for e in emails] + [
        (n, LEFT) for n in names if len(n) >= _MIN_SWEEP_LENGTH
    ]
    pairs.sort(key=lambda p: -len(p[0]))
    if not pairs:
        return [], lambda s: s
    # Whole words only: erasing "Person 7" leaves "Person 71" alone.
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(p[0])}(?!\w)" for p in pairs), re.IGNORECASE)
    lookup = {p[0].lower(): p[1] for p in pairs}

    def replace(value: str) -> str:
        return pattern.sub(lambda m: lookup[m.group(0).lower()], value)

    return [p[0] for p in pairs], replace


def _walk(value: Any, replace: Any) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_walk(v, replace) for v in value]
    if isinstance(value, dict):
        return {replace(k): _walk(v, replace) for k, v in value.items()}
    return value


def _sweep(needles: list[str], replace: Any) -> dict[str, int]:
    """Replace the needles in every text and JSON column of every model; returns rows changed per
    model. JSON is matched on its text (with non-ASCII escaped as the database stores it)."""
    changed: dict[str, int] = {}
    if not needles:
        return changed
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or model is Erasure:
            continue
        for f in meta.concrete_fields:
            if isinstance(f, models.JSONField):
                alias = f"_privacy_{f.attname}"
                text_variants = set(needles) | {json.dumps(n)[1:-1] for n in needles}
                condition = Q()
                for variant in text_variants:
                    condition |= Q(**{f"{alias}__icontains": variant})
                rows = model._default_manager.annotate(**{alias: Cast(f.attname, models.TextField())}).filter(
                    condition
                )
                for pk, value in rows.values_list("pk", f.attname):
                    new = _walk(value, replace)
                    if new != value:
                        model._default_manager.filter(pk=pk).update(**{f.attname: new})
                        changed[meta.label_lower] = changed.get(meta.label_lower, 0) + 1
            elif isinstance(f, models.CharField | models.TextField) and not f.choices:
                condition = Q()
                for needle in needles:
                    condition |= Q(**{f"{f.attname}__icontains": needle})
                for pk, value in model._default_manager.filter(condition).values_list("pk", f.attname):
                    new = replace(value)
                    if new != value:
                        model._default_manager.filter(pk=pk).update(**{f.attname: new})
                        changed[meta.label_lower] = changed.get(meta.label_lower, 0) + 1
    return changed


def erase(actor: User | None, email: str) -> dict[str, int]:
    """Anonymise in place everything stored about the person behind `email`; returns the rows
    changed per model. An unknown address, or one already erased, is refused and nothing changes.

    The account is kept but cannot sign in (its sessions end with the password), its e-mail
    addresses, authenticators, notices and preferences are deleted; the person and registrations
    keep their place, counts and check-ins with "A participant who left" as their name; the
    e-mails addressed to them are removed from the outbox.
    """
    address = (email or "").strip().lower()
    if Erasure.objects.filter(email_digest=_digest(address)).exists():
        raise PrivacyError("already_erased", _("%(e)s was already erased.") % {"e": address}, "email")
    held = holdings_of(address)
    if held.empty:
        raise PrivacyError(
            "unknown_email", _("No one with the e-mail %(e)s is stored.") % {"e": address}, "email"
        )
    names, emails = held.names(), held.emails()
    counts: dict[str, int] = {}
    with transaction.atomic():
        for reg in held.registrations:
            Registration.objects.filter(pk=reg.pk).update(
                name=LEFT,
                name_on_badge="",
                email=f"registration-{reg.public_id.hex}@{ERASED_DOMAIN}",
                job_title="",
                answers={},
                consent_list=False,
            )
        counts["events.registration"] = len(held.registrations)
        for profile in held.profiles:
            if profile.owner_id in {r.pk for r in held.registrations} and any(
                n.lower() in profile.name.lower() for n in names
            ):
                Profile.objects.filter(pk=profile.pk).update(name=LEFT)
        if held.person is not None:
            Person.objects.filter(pk=held.person.pk).update(
                name=LEFT, email=f"person-{held.person.public_id.hex}@{ERASED_DOMAIN}", title=""
            )
            counts["registry.person"] = 1
        if held.user is not None:
            user = held.user
            user.email = f"account-{user.pk}@{ERASED_DOMAIN}"
            user.first_name = user.last_name = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            for label in ("account.emailaddress", "mfa.authenticator", "socialaccount.socialaccount"):
                try:
                    apps.get_model(label).objects.filter(user=user).delete()
                except LookupError:  # that allauth part is not installed
                    pass
            Notification.objects.filter(user=user).delete()
            Preference.objects.filter(user=user).delete()
            ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).update(
                status=ErasureRequest.Status.DONE, decided_at=timezone.now(), decided_by=actor
            )
            counts["common.user"] = 1
        mine = OutgoingEmail.objects.annotate(_to=Cast("recipients", models.TextField())).filter(
            _reduce_or([Q(_to__icontains=e) for e in emails])
        )
        counts["common.outgoingemail (deleted)"] = mine.delete()[0]
        needles, replace = _replacer(names, emails)
        for label, n in _sweep(needles, replace).items():
            counts[label] = counts.get(label, 0) + n
        Erasure.objects.create(email_digest=_digest(address), rows=counts)
    return counts


def _reduce_or(conditions: list[Q]) -> Q:
    out = Q(pk__in=[])
    for condition in conditions:
        out |= condition
    return out


def grace_period() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "ASCNHUB_ERASURE_GRACE_DAYS", 30)))


def request_erasure(user: User) -> ErasureRequest:
    """The person asks for their account to be deleted: the secretariat approves it, or it is
    carried out once the grace period has passed (`ascnhub privacy erase-due`)."""
    if ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).exists():
        raise PrivacyError("already_requested", _("You have already asked for your account to be deleted."))
    return ErasureRequest.objects.create(user=user, due_at=timezone.now() + grace_period())


def cancel_erasure(user: User) -> int:
    """The person changes their mind before the request is carried out."""
    return ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).update(
        status=ErasureRequest.Status.CANCELLED, decided_at=timezone.now()
    )


def approve_erasure(actor: User, request: ErasureRequest) -> dict[str, int]:
    """The secretariat carries out a pending request now."""
    if request.status != ErasureRequest.Status.PENDING or request.user is None:
        raise PrivacyError("not_pending", _("This request is not waiting any more."))
    return erase(actor, request.user.email)


def erase_due(now: datetime.datetime | None = None) -> int:
    """Carry out every pending request whose grace period has passed; returns how many."""
    now = now or timezone.now()
    done = 0
    for request in ErasureRequest.objects.filter(
        status=ErasureRequest.Status.PENDING, due_at__lte=now
    ).select_related("user"):
        if request.user is not None:
            erase(None, request.user.email)
            done += 1
    return done


# --- retention --------------------------------------------------------------------------------


def _months_after(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):  # the same day, or the month's last day
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def set_retention(meeting: Any, months: int) -> RetentionRule:
    """Keep `meeting`'s registrations' personal data `months` months after it ends (1–120)."""
    if not 1 <= months <= 120:
        raise PrivacyError("bad_months", _("Retention is 1 to 120 months."), "months")
    rule, _created = RetentionRule.objects.update_or_create(meeting=meeting, defaults={"months": months})
    return rule


def apply_retention(
    *, today: datetime.date | None = None, dry_run: bool = True
) -> list[tuple[str, int, str]]:
    """Anonymise the registrations of every meeting whose retention has run out; with `dry_run`,
    only list what would go. Returns (meeting slug, registrations, due date) per meeting.

    A registration keeps its place, category, status, country and check-ins (the meeting's
    figures); its name, badge name, e-mail, position and answers go. The person's account and
    their other meetings are not touched (that is `erase`)."""
    today = today or timezone.localdate()
    out = []
    for rule in RetentionRule.objects.select_related("meeting").order_by("meeting__end_date"):
        due = _months_after(rule.meeting.end_date, rule.months)
        if due > today:
            continue
        regs = Registration.objects.filter(meeting=rule.meeting).exclude(name=LEFT)
        out.append((rule.meeting.slug, regs.count(), due.isoformat()))
        if not dry_run:
            with transaction.atomic():
                for reg in regs.only("pk", "public_id"):
                    Registration.objects.filter(pk=reg.pk).update(
                        name=LEFT,
                        name_on_badge="",
                        email=f"registration-{reg.public_id.hex}@{ERASED_DOMAIN}",
                        job_title="",
                        answers={},
                        consent_list=False,
                    )
    return out
