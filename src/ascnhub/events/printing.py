"""The badge print queue: batches of badges on A4 sheets, recorded so a reprint is deliberate.

Every batch is a `BadgeBatch` row with the registrations printed in it (`BadgePrint`, in sheet
order), who made it and when. A badge printed before is only printed again when the organiser
gives a reason; the reason is stored on the batch and in the activity log. Downloading a batch's
PDF again prints nothing new: it is the same batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from ascnhub.common import activity

from . import badge_codes
from .models import BadgeBatch, BadgePrint, Meeting, Mode, Registration, RegistrationCategory
from .services import EventsError

if TYPE_CHECKING:
    from ascnhub.common.models import User

Status = Registration.Status
MAX_BATCH = 400  # 100 A4 sheets: one PDF a printer takes in one go


def printable(meeting: Meeting) -> QuerySet[Registration]:
    """Registrations that get a badge: approved, in person."""
    return Registration.objects.filter(meeting=meeting, status=Status.APPROVED, mode=Mode.IN_PERSON)


def unprinted(meeting: Meeting, category: RegistrationCategory | None = None) -> QuerySet[Registration]:
    regs = printable(meeting).filter(badge_prints__isnull=True)
    if category is not None:
        regs = regs.filter(category=category)
    return regs.order_by("category__order", "name", "id")


def category_figures(meeting: Meeting) -> list[RegistrationCategory]:
    """Each category with `n_badges` (approved, in person) and `n_unprinted` (one query)."""
    in_scope = Q(registrations__status=Status.APPROVED, registrations__mode=Mode.IN_PERSON)
    return list(
        RegistrationCategory.objects.filter(meeting=meeting).annotate(
            n_badges=Count("registrations", filter=in_scope, distinct=True),
            n_unprinted=Count(
                "registrations", filter=in_scope & Q(registrations__badge_prints__isnull=True), distinct=True
            ),
        )
    )


def find_listed(meeting: Meeting, lines: Iterable[str]) -> list[Registration]:
    """The registrations named by a pasted list: one e-mail address or badge code per line.

    Raises EventsError (field `people`) naming every line that matches no badge of this meeting.
    """
    wanted = [" ".join(line.split()) for line in lines]
    wanted = [w for w in wanted if w]
    if not wanted:
        raise EventsError("empty", _("List at least one e-mail address or badge code."), "people")
    regs = list(printable(meeting).select_related("category"))
    by_email = {r.email.lower(): r for r in regs}
    by_code = {r.badge_code: r for r in regs if r.badge_code}
    found: list[Registration] = []
    missing = []
    for line in wanted:
        code = badge_codes.normalise(line)
        reg = by_email.get(line.lower()) or (by_code.get(code) if code else None)
        if reg is None:
            missing.append(line)
        elif reg not in found:
            found.append(reg)
    if missing:
        raise EventsError(
            "unknown",
            _("No approved in-person registration of this meeting for: %(lines)s.")
            % {"lines": ", ".join(missing)},
            "people",
        )
    return found


@transaction.atomic
def make_batch(
    actor: User | None,
    meeting: Meeting,
    registrations: list[Registration],
    description: str,
    reprint_reason: str = "",
) -> BadgeBatch:
    """Record a batch of badges to print, in the given order; refuse unexplained reprints.

    Refused (EventsError, nothing written): an empty batch, more than MAX_BATCH badges, a
    registration that does not get a badge, or one printed before when no reason is given.
    """
    reprint_reason = " ".join((reprint_reason or "").split())
    if not registrations:
        raise EventsError("empty", _("There are no badges to print in this batch."), "people")
    if len(registrations) > MAX_BATCH:
        raise EventsError(
            "too_many",
            _("At most %(n)d badges a batch: print the rest in another.") % {"n": MAX_BATCH},
            "people",
        )
    ids = [r.pk for r in registrations]
    allowed = set(printable(meeting).filter(pk__in=ids).values_list("pk", flat=True))
    refused = [r.name for r in registrations if r.pk not in allowed]
    if refused:
        raise EventsError(
            "not_printable",
            _("Only approved in-person participants get a badge: %(names)s.") % {"names": ", ".join(refused)},
            "people",
        )
    printed_before = list(
        Registration.objects.filter(pk__in=ids, badge_prints__isnull=False)
        .distinct()
        .values_list("name", flat=True)
    )
    if printed_before and not reprint_reason:
        raise EventsError(
            "reprint",
            _("Already printed: %(names)s. Give a reason to print them again (e.g. a misspelt name).")
            % {"names": ", ".join(sorted(printed_before))},
            "reprint_reason",
        )
    batch = BadgeBatch.objects.create(
        meeting=meeting,
        by=actor if getattr(actor, "is_authenticated", False) else None,
        description=description[:250],
        reprint_reason=reprint_reason[:250] if printed_before else "",
    )
    BadgePrint.objects.bulk_create(
        BadgePrint(batch=batch, registration_id=pk, position=i) for i, pk in enumerate(ids)
    )
    activity.record(
        actor,
        "badges_printed",
        meeting,
        {
            "batch": [None, f"{batch.description}: {len(ids)}"],
            **(
                {"reprint": [None, f"{', '.join(sorted(printed_before))}: {reprint_reason}"]}
                if printed_before
                else {}
            ),
        },
    )
    return batch


def batch_registrations(batch: BadgeBatch) -> list[Registration]:
    return [
        p.registration
        for p in batch.prints.select_related("registration__category", "registration__meeting").order_by(
            "position"
        )
    ]
