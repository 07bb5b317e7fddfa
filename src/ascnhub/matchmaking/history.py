"""Runs over time: where a run puts each meeting, what publishing it would change, and rollback.

run_placement(run)        -> request pk -> (slot pk, location pk) of a run's meetings
schedule_diff(setup, run) -> kept, moved, added and dropped meetings against the published
                             schedule, with the people affected (shown before publishing)
rollback(actor, setup, n) -> publish the placement of finished run n again, as a new run
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import activity

from .errors import MatchmakingError
from .models import Location, MeetingRequest, Profile, ScheduledMeeting, ScheduleRun, Setup, Slot

if TYPE_CHECKING:
    from ascnhub.common.models import User

FINISHED = (ScheduleRun.Status.DONE, ScheduleRun.Status.PUBLISHED, ScheduleRun.Status.SUPERSEDED)


def run_placement(run: ScheduleRun) -> dict[int, tuple[int, int]]:
    """Where a run puts each still-accepted meeting: its rows once it has been published (with the
    organiser's moves), else its result."""
    if run.status in (ScheduleRun.Status.PUBLISHED, ScheduleRun.Status.SUPERSEDED):
        return {
            m.request_id: (m.slot_id, m.location_id)
            for m in ScheduledMeeting.objects.filter(
                run=run, request__status=MeetingRequest.Status.ACCEPTED
            ).exclude(status=ScheduledMeeting.Status.CANCELLED)
        }
    if not run.result:
        return {}
    slots = dict(Slot.objects.filter(setup_id=run.setup_id).values_list("code", "pk"))
    locations = dict(Location.objects.filter(setup_id=run.setup_id).values_list("code", "pk"))
    requests = dict(
        MeetingRequest.objects.filter(
            setup_id=run.setup_id,
            status=MeetingRequest.Status.ACCEPTED,
            public_id__in=[a["meeting"] for a in run.result["assignments"]],
        ).values_list("public_id", "pk")
    )
    by_public = {str(k): v for k, v in requests.items()}
    return {
        by_public[a["meeting"]]: (slots[a["slot"]], locations[a["location"]])
        for a in run.result["assignments"]
        if a["meeting"] in by_public
    }


@dataclass
class Change:
    request: MeetingRequest
    before: tuple[Slot, Location] | None
    after: tuple[Slot, Location] | None

    @property
    def people(self) -> list[Profile]:
        return [self.request.requester, self.request.recipient]


@dataclass
class Diff:
    """What publishing a placement changes against the published schedule."""

    kept: list[Change] = field(default_factory=list)
    moved: list[Change] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)

    @property
    def affected(self) -> set[int]:
        """The profiles whose schedule changes: they, and only they, are told."""
        return {
            pid
            for change in (*self.moved, *self.added, *self.dropped)
            for pid in (change.request.requester_id, change.request.recipient_id)
        }

    def counts(self) -> dict[str, int]:
        return {
            "kept": len(self.kept),
            "moved": len(self.moved),
            "added": len(self.added),
            "dropped": len(self.dropped),
            "affected": len(self.affected),
        }


def diff_placements(setup: Setup, after: dict[int, tuple[int, int]]) -> Diff:
    """Compare `after` with the published schedule. A cancelled meeting of the published schedule
    counts as dropped, so both sides hear that it is off."""
    before: dict[int, tuple[int, int]] = {}
    published = Setup.objects.filter(pk=setup.pk).values_list("published_run_id", flat=True).first()
    if published:
        before = {
            m.request_id: (m.slot_id, m.location_id)
            for m in ScheduledMeeting.objects.filter(run_id=published)
        }
    slots = {s.pk: s for s in setup.slots.all()}
    locations = {loc.pk: loc for loc in setup.locations.all()}
    requests = MeetingRequest.objects.filter(pk__in=set(before) | set(after)).select_related(
        "requester__organisation", "recipient__organisation"
    )
    out = Diff()

    def place(p: tuple[int, int] | None) -> tuple[Slot, Location] | None:
        return (slots[p[0]], locations[p[1]]) if p else None

    for r in sorted(requests, key=lambda r: r.pk):
        b, a = before.get(r.pk), after.get(r.pk)
        change = Change(r, place(b), place(a))
        if b and a:
            (out.kept if a == b else out.moved).append(change)
        elif a:
            out.added.append(change)
        else:
            out.dropped.append(change)
    for changes in (out.moved, out.added, out.dropped):
        changes.sort(key=lambda c: ((c.after or c.before)[0].starts_at, c.request.pk))  # type: ignore[index]
    return out


def schedule_diff(setup: Setup, run: ScheduleRun) -> Diff:
    """What publishing `run` (again) would change: the page shows it before the button."""
    return diff_placements(setup, run_placement(run))


def _refuse_target(run: ScheduleRun | None, number: int, setup: Setup) -> ScheduleRun:
    if run is None:
        raise MatchmakingError("no_run", _("There is no run %(number)s.") % {"number": number})
    if run.status not in FINISHED:
        raise MatchmakingError(
            "not_finished",
            _("Run %(number)s is %(status)s: only a finished run can be published again.")
            % {"number": number, "status": run.get_status_display()},
        )
    if run.pk == setup.published_run_id:
        raise MatchmakingError(
            "already_published", _("Run %(number)s is the published schedule already.") % {"number": number}
        )
    if run.result and run.result.get("status") not in ("optimal", "feasible"):
        raise MatchmakingError(
            "no_schedule", _("Run %(number)s found no schedule to publish.") % {"number": number}
        )
    return run


@transaction.atomic
def rollback(actor: User, setup: Setup, number: int, *, notify: bool = True) -> tuple[ScheduleRun, dict]:
    """Publish the placement of an earlier finished run again (with the organiser's moves, when it
    was published before). The history stays whole: a new run records the rollback and becomes the
    published schedule; the people whose meetings change are told once. Refused for a run that
    failed, is queued or running, or is the one already published; and, naming the conflict, when
    the placement no longer fits today's data."""
    from .scheduling import publish_run

    setup = Setup.objects.select_for_update().get(pk=setup.pk)
    target = _refuse_target(ScheduleRun.objects.filter(setup=setup, number=number).first(), number, setup)
    placement = run_placement(target)
    slots = {s.pk: s.code for s in setup.slots.all()}
    locations = {loc.pk: loc.code for loc in setup.locations.all()}
    ids = dict(MeetingRequest.objects.filter(pk__in=list(placement)).values_list("pk", "public_id"))
    result: dict[str, Any] = dict(target.result or {})
    result["assignments"] = [
        {"meeting": str(ids[rid]), "slot": slots[s], "location": locations[loc]}
        for rid, (s, loc) in sorted(placement.items())
    ]
    result["status"] = result.get("status") or "feasible"
    result["unscheduled"] = [
        m for m in result.get("unscheduled", []) if m not in {str(v) for v in ids.values()}
    ]
    copy = ScheduleRun.objects.create(
        setup=setup,
        number=(setup.runs.aggregate(n=Max("number"))["n"] or 0) + 1,
        data_version=setup.data_version,
        status=ScheduleRun.Status.DONE,
        time_limit=target.time_limit,
        instance=target.instance,
        result=result,
        best=target.best,
        bound=target.bound,
        from_scratch=target.from_scratch,
        restored_from=target,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    activity.record(actor, "rollback_schedule", copy, {"restored_from": [None, target.number]})
    summary = publish_run(actor, copy, notify=notify)
    copy.refresh_from_db()
    return copy, summary
