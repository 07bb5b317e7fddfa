"""Every change to outcomes goes through here: validate, lock, write, log — in one transaction.
Also the status roll-up shown by the tracker, and the reminders.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascnhub.common import activity, delivery
from ascnhub.common.errors import DomainError
from ascnhub.notices.services import notify
from ascnhub.registry.models import Person, Role

from .models import (
    CLOSED_STATUSES,
    ActionItem,
    Commitment,
    Recommendation,
    ReminderSent,
    Status,
    StatusUpdate,
)

if TYPE_CHECKING:
    from ascnhub.common.models import User

log = logging.getLogger(__name__)


class FollowupError(DomainError):
    """A refused change to an outcome document, recommendation, commitment or status update."""


# --- status roll-up ------------------------------------------------------------------------------


class Rollup:
    """What the tracker shows for a set of commitments: a status and the counts behind it."""

    NO_COMMITMENTS = "none"
    OVERDUE = "overdue"
    LABELS = {
        "none": gettext_lazy("no commitments yet"),
        "overdue": gettext_lazy("overdue"),
        **{s.value: s.label for s in Status},
    }

    def __init__(self, commitments: Iterable[Commitment], today: datetime.date | None = None):
        today = today or timezone.localdate()
        items = list(commitments)
        self.total = len(items)
        self.counts = Counter(c.status for c in items)
        self.overdue = sum(1 for c in items if c.is_overdue(today))
        self.completed = self.counts[Status.COMPLETED]
        self.progress = round(sum(c.progress for c in items) / self.total) if self.total else 0
        self.status = self._status()

    def _status(self) -> str:
        if not self.total:
            return self.NO_COMMITMENTS
        if self.overdue:
            return self.OVERDUE
        live = self.total - self.counts[Status.DROPPED]
        if live and self.completed == live:
            return Status.COMPLETED
        if self.counts[Status.DELAYED]:
            return Status.DELAYED
        if self.counts[Status.IN_PROGRESS] or self.completed:
            return Status.IN_PROGRESS
        if not live:
            return Status.DROPPED
        return Status.PLANNED

    @property
    def label(self) -> str:
        return str(self.LABELS[self.status])


def recommendation_chain(rec: Recommendation) -> list[Recommendation]:
    """The recommendation across years: earliest first, following carry-overs both ways."""
    earlier: list[Recommendation] = []
    seen = {rec.pk}
    cur = rec
    while cur.carried_from_id and cur.carried_from_id not in seen:
        cur = Recommendation.objects.select_related("document__meeting").get(pk=cur.carried_from_id)
        seen.add(cur.pk)
        earlier.append(cur)
    later: list[Recommendation] = []
    cur = rec
    while True:
        nxt = (
            Recommendation.objects.select_related("document__meeting")
            .filter(carried_from=cur)
            .exclude(pk__in=seen)
            .order_by("document__adopted_on")
            .first()
        )
        if nxt is None:
            break
        seen.add(nxt.pk)
        later.append(nxt)
        cur = nxt
    return [*reversed(earlier), rec, *later]


# --- changes -------------------------------------------------------------------------------------

COMMITMENT_FIELDS = [
    "party_kind",
    "member_state",
    "city",
    "organisation",
    "description",
    "due_date",
    "status",
    "progress",
]


@transaction.atomic
def create_commitment(
    actor: User,
    recommendation: Recommendation,
    *,
    party_kind: str,
    description: str,
    due_date: datetime.date,
    member_state=None,
    city=None,
    organisation=None,
    is_demo: bool = False,
) -> Commitment:
    """Record who commits to what, by when, under a recommendation."""
    commitment = Commitment(
        recommendation=recommendation,
        party_kind=party_kind,
        member_state=member_state,
        city=city,
        organisation=organisation,
        description=description.strip(),
        due_date=due_date,
        is_demo=is_demo,
    )
    commitment.full_clean()
    commitment.save()
    activity.record(
        actor, "create", commitment, activity.diff({}, activity.snapshot(commitment, COMMITMENT_FIELDS))
    )
    return commitment


@transaction.atomic
def post_status_update(
    actor: User,
    commitment: Commitment,
    *,
    status: str,
    progress: int,
    note: str,
    evidence_url: str = "",
    evidence_file=None,
    at: datetime.datetime | None = None,
) -> StatusUpdate:
    """Report on a commitment: its new status and progress, what happened, with evidence.

    The commitment row is locked so two reports at once are recorded one after the other, each
    with the status it changed. A commitment reported as completed is at 100 %.
    """
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what happened.")})
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == Status.COMPLETED:
        progress = 100
    before = activity.snapshot(locked, ["status", "progress"])
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    update = StatusUpdate(
        commitment=locked,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=(person.name if person else getattr(actor, "email", "")) or "",
        status=status,
        previous_status=locked.status,
        progress=progress,
        note=note,
        evidence_url=evidence_url or "",
        created_at=at or timezone.now(),
    )
    if evidence_file:
        update.evidence_file = evidence_file
    update.full_clean()
    update.save()
    locked.status, locked.progress = status, progress
    locked.save(update_fields=["status", "progress", "updated_at"])
    changes = activity.diff(before, activity.snapshot(locked, ["status", "progress"]))
    changes["note"] = [None, note[:200]]
    activity.record(actor, "status_update", locked, changes)
    commitment.status, commitment.progress = status, progress
    return update


@transaction.atomic
def add_action_item(
    actor: User, commitment: Commitment, *, title: str, due_date: datetime.date, owner: str = ""
) -> ActionItem:
    item = ActionItem(commitment=commitment, title=title.strip(), due_date=due_date, owner=owner.strip())
    item.full_clean()
    item.save()
    activity.record(
        actor, "add_action", commitment, {"action": [None, f"{item.title} ({due_date.isoformat()})"]}
    )
    return item


@transaction.atomic
def set_action_done(actor: User, item: ActionItem, done: bool, on: datetime.date | None = None) -> ActionItem:
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    before = locked.done_on
    locked.done_on = (on or timezone.localdate()) if done else None
    if before == locked.done_on or (before and done):
        return locked
    locked.save(update_fields=["done_on"])
    activity.record(
        actor,
        "action_done" if done else "action_reopened",
        locked.commitment,
        {locked.title[:80]: [before and before.isoformat(), locked.done_on and locked.done_on.isoformat()]},
    )
    return locked


# --- reminders -----------------------------------------------------------------------------------

#: Days before a due date when the reminder goes out (environment: ASCNHUB_FOLLOWUP_REMINDER_DAYS).
REMINDER_DAYS = int(os.environ.get("ASCNHUB_FOLLOWUP_REMINDER_DAYS", "14"))


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str


def responsible_people(commitment: Commitment, today: datetime.date | None = None) -> list[Recipient]:
    """Who answers for a commitment: the country's NR, the city's officer, or the partner's staff."""
    roles = Role.objects.current(today).filter(person__isnull=False).select_related("person")
    if commitment.member_state_id:
        people = [
            r.person
            for r in roles.filter(
                kind=Role.Kind.NATIONAL_REPRESENTATIVE, member_state_id=commitment.member_state_id
            )
        ]
    elif commitment.city_id:
        people = [r.person for r in roles.filter(kind=Role.Kind.CSCO, city_id=commitment.city_id)]
    elif commitment.organisation_id:
        people = list(Person.objects.filter(organisation_id=commitment.organisation_id, user__isnull=False))
    else:  # a commitment with no one named answers to no one (the tracker shows it as unowned)
        people = []
    seen, out = set(), []
    for p in people:
        if p.email and p.email not in seen:
            seen.add(p.email)
            out.append(Recipient(p.email, p.name, p.preferred_language or settings.LANGUAGE_CODE))
    return out


def _reminder_email(
    recipient: Recipient, kind: str, commitment: Commitment, action: ActionItem | None, today: datetime.date
) -> EmailMessage:
    due = action.due_date if action else commitment.due_date
    with translation.override(recipient.language):
        if kind == ReminderSent.Kind.OVERDUE:
            subject = _("Overdue: %(what)s") % {
                "what": (action.title if action else commitment.description)[:70]
            }
        else:
            subject = _("Due on %(date)s: %(what)s") % {
                "date": due.isoformat(),
                "what": (action.title if action else commitment.description)[:70],
            }
        body = render_to_string(
            "followup/email/reminder.txt",
            {
                "recipient": recipient,
                "kind": kind,
                "commitment": commitment,
                "action": action,
                "due": due,
                "days": (due - today).days,
                "overdue_days": (today - due).days,
                "url": settings.SITE_URL + commitment.get_absolute_url(),
                "rec": commitment.recommendation,
                "meeting": commitment.recommendation.document.meeting,
            },
        )
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[recipient.email])


def _item(reminder: ReminderSent) -> tuple[Commitment, ActionItem | None]:
    """The commitment (and action item) a reminder is about, as they are now."""
    related = ("member_state", "city", "organisation", "recommendation__document__meeting")
    if reminder.item_type == "action":
        action = ActionItem.objects.select_related(*[f"commitment__{r}" for r in related]).get(
            pk=reminder.item_id
        )
        return action.commitment, action
    return Commitment.objects.select_related(*related).get(pk=reminder.item_id), None


def _deliver_reminder(reminder: ReminderSent, _session: Any) -> None:
    """The reminder channel's send: write the e-mail to the outbox, in the reminder's transaction
    (the channel is atomic), so it is handed over exactly once; the outbox delivers it."""
    try:
        commitment, action = _item(reminder)
    except (Commitment.DoesNotExist, ActionItem.DoesNotExist):
        raise delivery.GiveUp(f"the {reminder.item_type} no longer exists") from None
    if commitment.status in CLOSED_STATUSES or (action is not None and action.done_on is not None):
        raise delivery.GiveUp(f"the {reminder.item_type} was closed before the reminder went out")
    if (action.due_date if action else commitment.due_date) != reminder.due_date:
        raise delivery.GiveUp(
            f"the {reminder.item_type}'s due date changed; the new one has its own reminder"
        )
    recipient = Recipient(reminder.recipient, reminder.name, reminder.language)
    today = reminder.as_of or timezone.localdate()
    message = _reminder_email(recipient, reminder.kind, commitment, action, today)
    # Someone with an account gets it as a notice: their choice for "commitment due" decides
    # whether it is e-mailed now, in the digest, or only shown in the platform.
    user = get_user_model().objects.filter(email__iexact=recipient.email, is_active=True).first()
    if user is None:
        message.send()
    else:
        notify(user, "commitment_due", str(message.subject), commitment.get_absolute_url(), email=message)


REMINDER_CHANNEL = delivery.register(
    delivery.Channel(
        name="followup-reminder",
        model=ReminderSent,
        send=_deliver_reminder,
        backoff=delivery.Backoff(base=datetime.timedelta(minutes=10), cap=datetime.timedelta(hours=6)),
        max_attempts=lambda: 8,
        lease=datetime.timedelta(minutes=5),
        atomic=True,
    )
)


def send_reminders(today: datetime.date | None = None, days_before: int | None = None) -> dict[str, int]:
    """E-mail those responsible for open commitments and action items due within `days_before` days
    (one reminder per due date) and once more when they become overdue. Safe to run as often as
    you like, from several machines at once.

    Each reminder is a row of the "followup-reminder" delivery channel, unique per item, due date,
    kind and recipient: planned here, then claimed and sent once. A reminder whose attempt failed
    is retried by this run (a run is the reminders' schedule, whatever the back-off says) and by
    `ascnhub deliveries sweep` in between, until the channel's last attempt. Returns counts: `sent`
    now, `skipped` (sent before, being sent by another worker, or given up: see the admin), and
    `failed` attempts.
    """
    today = today or timezone.localdate()
    days_before = REMINDER_DAYS if days_before is None else days_before
    horizon = today + datetime.timedelta(days=days_before)
    sent = skipped = failed = 0
    commitments = (
        Commitment.objects.open()
        .filter(due_date__lte=horizon)
        .filter(recommendation__document__published=True)
        .select_related("member_state", "city", "organisation", "recommendation__document__meeting")
    )
    actions = (
        ActionItem.objects.filter(done_on__isnull=True, due_date__lte=horizon)
        .exclude(commitment__status__in=CLOSED_STATUSES)
        .select_related(
            "commitment__member_state",
            "commitment__city",
            "commitment__organisation",
            "commitment__recommendation__document__meeting",
        )
    )
    work: list[tuple[str, int, Commitment, datetime.date]] = [
        ("commitment", c.pk, c, c.due_date) for c in commitments
    ] + [("action", a.pk, a.commitment, a.due_date) for a in actions]
    for item_type, item_id, commitment, due in work:
        kind = ReminderSent.Kind.OVERDUE if due < today else ReminderSent.Kind.DUE_SOON
        for recipient in responsible_people(commitment, today):
            reminder, _created = ReminderSent.objects.get_or_create(
                item_type=item_type,
                item_id=item_id,
                due_date=due,
                kind=kind,
                recipient=recipient.email,
                defaults={"name": recipient.name, "language": recipient.language, "as_of": today},
            )
            if reminder.status != ReminderSent.Status.PENDING:
                skipped += 1
                continue
            delivery.make_due(REMINDER_CHANNEL, [reminder.pk])
            outcome = delivery.deliver(REMINDER_CHANNEL, reminder.pk)
            if outcome is None:  # another worker holds it
                skipped += 1
            elif outcome.status == ReminderSent.Status.SENT:
                sent += 1
            else:  # one bad address must not stop the others; retried later
                log.warning(
                    "reminder to %s for %s %s failed: %s",
                    recipient.email,
                    item_type,
                    item_id,
                    outcome.last_error,
                )
                failed += 1
    return {"sent": sent, "skipped": skipped, "failed": failed}
