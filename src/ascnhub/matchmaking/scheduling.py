"""From the database to the scheduler and back: instances, runs with live progress, publishing.

    build_instance(setup)   -> an `ascnhub-schedule/1` document (dict) of the accepted requests
    start_run(actor, setup) -> a queued ScheduleRun; the task worker calls execute_run(run id)
    fail_abandoned_runs(setup) -> runs whose worker died are marked failed (start_run calls it)
    execute_run(run_id)     -> solves (reporting progress into the run row) and stores a draft
    publish_run(actor, run) -> the draft becomes the schedule; stale drafts are refused

Publishing writes ScheduledMeeting and SlotBooking rows whose unique constraints make a double
booking impossible at the database level, under the Setup row lock that orders publications.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
import uuid
import zoneinfo
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import activity

from . import calendar_feed, conflicts, history, moves, notifications, signals, unplaced
from .errors import MatchmakingError
from .models import MeetingRequest, Profile, ScheduledMeeting, ScheduleRun, Setup, Slot, SlotBooking

if TYPE_CHECKING:
    from ascnhub.common.models import User

log = logging.getLogger(__name__)

# Online participants are not asked to meet at night in their own time zone.
ONLINE_DAY_START = datetime.time(7, 0)
ONLINE_DAY_END = datetime.time(22, 0)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _night_slots(profile: Profile, slots: list[Slot]) -> set[str]:
    if profile.mode != "online":
        return set()
    tz = zoneinfo.ZoneInfo(profile.timezone)
    night = set()
    for slot in slots:
        start, end = slot.starts_at.astimezone(tz).time(), slot.ends_at.astimezone(tz).time()
        if start < ONLINE_DAY_START or (end > ONLINE_DAY_END or end == datetime.time(0, 0)):
            night.add(slot.code)
    return night


def build_instance(setup: Setup, *, keep_published: bool = True) -> dict[str, Any]:
    """The scheduling instance of a meeting's matchmaking, from the accepted requests.

    Meetings the organiser set are `required`. Pinned meetings are fixed to their slot and table
    (and required); with `keep_published` (every run but a from-scratch one) so is every meeting of
    the published schedule that can still happen there, so a re-run places only new or changed
    requests. A request of a participant who withdrew (registration cancelled) is left out.
    """
    slots = list(setup.slots.all())
    locations = list(setup.locations.all())
    requests = list(
        MeetingRequest.objects.filter(setup=setup, status=MeetingRequest.Status.ACCEPTED)
        .exclude(requester__owner__status="cancelled")
        .exclude(recipient__owner__status="cancelled")
        .order_by("created_at", "pk")
    )
    involved = {r.requester_id for r in requests} | {r.recipient_id for r in requests}
    profiles = list(
        Profile.objects.filter(pk__in=involved)
        .select_related("home_location")
        .prefetch_related("unavailable", "members")
        .order_by("pk")
    )
    busy, busy_people = conflicts.profile_busy(profiles, slots)
    allowed = conflicts.meeting_slots(requests, slots, busy_people)
    slot_order = {slot.code: i for i, slot in enumerate(slots)}
    public_id = {p.pk: str(p.public_id) for p in profiles}
    unavailable = {
        p.pk: {u.code for u in p.unavailable.all()} | _night_slots(p, slots) | busy[p.pk] for p in profiles
    }
    fixed = _fixed_places(setup, requests, {p.pk: p for p in profiles}, unavailable, keep_published)
    return {
        "format": "ascnhub-schedule/1",
        "name": f"{setup.meeting.slug}-matchmaking",
        "timezone": setup.meeting.timezone,
        "slots": [
            {"id": s.code, "start": _iso(s.starts_at), "end": _iso(s.ends_at), "group": s.group}
            for s in slots
        ],
        "locations": [{"id": loc.code, "kind": loc.kind} for loc in locations],
        "participants": [
            {
                "id": str(p.public_id),
                "mode": p.mode,
                "max_meetings": setup.max_meetings,
                "unavailable": sorted(unavailable[p.pk], key=slot_order.__getitem__),
                "home_location": p.home_location.code if p.home_location_id else None,
            }
            for p in profiles
        ],
        "meetings": [
            {
                "id": str(r.public_id),
                "participants": [public_id[r.requester_id], public_id[r.recipient_id]],
                "weight": r.weight,
                "required": r.required or r.pk in fixed,
                # A pinned or kept meeting has its place; otherwise the slots its assigned
                # colleagues are free in (None: any slot).
                "slots": None if r.pk in fixed else allowed[r.pk],
                "fixed_slot": fixed[r.pk][0] if r.pk in fixed else None,
                **({"fixed_location": fixed[r.pk][1]} if r.pk in fixed else {}),
                "after": [],
            }
            for r in requests
        ],
        "objective": {"break_weight": 1, "max_break_spread": None},
    }


def _fixed_places(
    setup: Setup,
    requests: list[MeetingRequest],
    profiles: dict[int, Profile],
    unavailable: dict[int, set[str]],
    keep_published: bool,
) -> dict[int, tuple[str, str]]:
    """request pk -> (slot code, location code) it must keep: its pin, else its published place.

    A published meeting that can no longer happen where it is (a side is now unavailable there,
    changed between online and in person, or got its own table) is not kept: the run re-places it.
    """
    from .models import Pin

    wanted = {r.pk: r for r in requests}
    fixed: dict[int, tuple[str, str]] = {}
    if keep_published and setup.published_run_id:
        rows = (
            ScheduledMeeting.objects.filter(run_id=setup.published_run_id, request_id__in=list(wanted))
            .exclude(status=ScheduledMeeting.Status.CANCELLED)
            .select_related("slot", "location")
        )
        for m in rows:
            r = wanted[m.request_id]
            sides = [profiles[r.requester_id], profiles[r.recipient_id]]
            need = "table" if all(p.mode == "in_person" for p in sides) else "virtual"
            if any(m.slot.code in unavailable[p.pk] for p in sides) or m.location.kind != need:
                continue
            if need == "table" and any(p.home_location_id not in (None, m.location_id) for p in sides):
                continue
            fixed[r.pk] = (m.slot.code, m.location.code)
    for pin in Pin.objects.filter(request_id__in=list(wanted)).select_related("slot", "location"):
        fixed[pin.request_id] = (pin.slot.code, pin.location.code)
    return fixed


@transaction.atomic
def start_run(
    actor: User,
    setup: Setup,
    *,
    reschedule: bool = False,
    enqueue: bool = True,
    from_scratch: bool = False,
    time_limit: int | None = None,
) -> ScheduleRun:
    """Queue a scheduling run (the task worker solves it); returns the run at once.

    The run keeps every published meeting where it is and places only new or changed requests;
    `from_scratch` re-plans everything but the pinned meetings. `time_limit` overrides the
    set-up's solver time limit for this run."""
    setup = Setup.objects.select_for_update().get(pk=setup.pk)
    if not setup.slots.exists():
        raise MatchmakingError(
            "no_slots", _("Set the matchmaking slots first (from the agenda's matchmaking blocks).")
        )
    if not setup.locations.exists():
        raise MatchmakingError("no_locations", _("Add tables and video rooms first."))
    fail_abandoned_runs(setup)
    busy = setup.runs.filter(status__in=[ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING]).first()
    if busy and not reschedule:
        raise MatchmakingError(
            "busy",
            _("Run %(number)s is still %(status)s; wait for it.")
            % {"number": busy.number, "status": busy.get_status_display()},
        )
    number = (setup.runs.aggregate(n=Max("number"))["n"] or 0) + 1
    run = ScheduleRun.objects.create(
        setup=setup,
        number=number,
        is_reschedule=reschedule,
        based_on=setup.published_run if reschedule else None,
        data_version=setup.data_version,
        time_limit=time_limit or setup.solver_time_limit,
        from_scratch=from_scratch,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    activity.record(actor, "start_schedule_run", run, {"number": [None, number]})
    if enqueue:
        from .tasks import run_schedule

        transaction.on_commit(lambda: run_schedule.enqueue(run.pk))
    return run


def request_reschedule(setup: Setup, *, reason: str) -> ScheduleRun | None:
    """After a change to a published schedule, queue a re-scheduling run (one at a time)."""
    if setup.runs.filter(is_reschedule=True, status__in=[ScheduleRun.Status.QUEUED]).exists():
        return None  # the queued run will see this change too: it reads the data when it starts
    log.info("re-scheduling %s: %s", setup.meeting.slug, reason)
    return start_run(None, setup, reschedule=True)


def abandon_grace() -> datetime.timedelta:
    """How long past its time limit a run may still be "running" (building the instance, storing
    the result, publishing a re-schedule) before its worker is taken for dead."""
    return datetime.timedelta(seconds=int(getattr(settings, "ASCNHUB_SCHEDULE_RUN_GRACE", 300)))


def fail_abandoned_runs(setup: Setup, *, now: datetime.datetime | None = None) -> int:
    """Mark as failed the runs whose task worker died mid-run (killed, out of memory, machine
    lost): still "running" well past their time limit. A run writes nothing published until it
    is published, so there is nothing to undo; marking it frees the organiser to start again
    and says why. Returns how many runs were marked."""
    now = now or timezone.now()
    marked = 0
    running = setup.runs.filter(status=ScheduleRun.Status.RUNNING, started_at__isnull=False)
    for run in running.only("pk", "started_at", "time_limit"):
        if run.started_at + datetime.timedelta(seconds=run.time_limit) + abandon_grace() < now:
            marked += ScheduleRun.objects.filter(pk=run.pk, status=ScheduleRun.Status.RUNNING).update(
                status=ScheduleRun.Status.FAILED,
                finished_at=now,
                error="The task worker stopped during this run (it was still running long after its "
                "time limit). Nothing was published or changed; start a new run.",
            )
    if marked:
        log.warning("marked %s abandoned scheduling run(s) of %s as failed", marked, setup.meeting_id)
    return marked


def progress_fields(progress: Any) -> dict[str, float | None]:
    """The run-row fields one solver progress report may set (best, bound, elapsed).

    Only the held-weight phases ("weight", "start", "lns") report a held weight; the "breaks"
    phase reports the number of breaks and its lower bound, which shown as the held weight once
    read "held weight 2.0, bound 0.0". A bound is kept only when it is known and not below the
    held weight (an upper bound below the weight held is no bound at all: CP-SAT reports 0 before
    it has one).
    """
    fields: dict[str, float | None] = {"elapsed": round(progress.elapsed_s, 1)}
    if progress.phase == "breaks" or progress.objective is None:
        return fields
    fields["best"] = progress.objective
    bound = progress.bound
    fields["bound"] = bound if bound is not None and bound >= progress.objective else None
    return fields


class _ProgressWriter:
    """Writes solver progress into the run row, at most once a second (the page polls it).

    The solver calls back from its own thread; Django gives that thread its own database
    connection, which is closed after each write so no connection leaks from solver threads.
    """

    def __init__(self, run: ScheduleRun) -> None:
        self.run_id = run.pk
        self.last = 0.0
        self.main_thread = threading.get_ident()

    def __call__(self, progress: Any) -> None:
        now = time.monotonic()
        if now - self.last < 1.0:
            return
        self.last = now
        try:
            ScheduleRun.objects.filter(pk=self.run_id).update(**progress_fields(progress))
        except DatabaseError:  # progress is best effort: it must never fail the run
            log.warning("could not record the progress of run %s", self.run_id, exc_info=True)
        finally:
            if threading.get_ident() != self.main_thread:
                connection.close()


def execute_run(run_id: int, *, report_progress: bool = True) -> ScheduleRun:
    """Build the instance, solve it and store the draft (called by the task worker).

    Nothing published changes here: a crash leaves the published schedule as it was, and the run
    is marked failed with the error. `report_progress=False` when called inside a transaction
    (the demo loader): progress writes from the solver's thread would wait for that transaction.
    """
    run = ScheduleRun.objects.select_related("setup__meeting", "based_on").get(pk=run_id)
    # Taking the run is one conditional UPDATE: a retried or duplicated task never solves twice.
    taken = ScheduleRun.objects.filter(pk=run.pk, status=ScheduleRun.Status.QUEUED).update(
        status=ScheduleRun.Status.RUNNING, started_at=timezone.now()
    )
    if not taken:
        run.refresh_from_db()
        return run
    steps: dict[str, float] = {}
    # Imported here, in the task worker: the solver (OR-Tools) takes ~0.8 s and ~60 MB to load,
    # which the web processes, which never solve, need not pay.
    from ascnhub.engine import scheduling as engine

    try:
        t0 = time.monotonic()
        document = build_instance(run.setup, keep_published=not run.from_scratch)
        steps["build_instance_s"] = round(time.monotonic() - t0, 3)
        instance = engine.instance_from_dict(document)
        t0 = time.monotonic()
        progress = _ProgressWriter(run) if report_progress else None
        if run.is_reschedule and not run.from_scratch and run.based_on and run.based_on.result:
            result = _reschedule(instance, run.based_on.result, run.time_limit, progress)
        else:
            result = engine.solve(
                instance, time_limit_s=run.time_limit, seed=0, workers=2, on_progress=progress
            )
        steps["solve_s"] = round(time.monotonic() - t0, 3)
        result_doc = engine.result_to_dict(result)
        ScheduleRun.objects.filter(pk=run.pk).update(
            instance=document,
            result=result_doc,
            status=ScheduleRun.Status.DONE,
            finished_at=timezone.now(),
            best=result.objective.held_weight,
            bound=result.objective.bound_held_weight,
            elapsed=result.stats.get("wall_time_s", steps["solve_s"]),
            step_times=steps,
            moved=result.stats.get("moved"),
        )
    except Exception as exc:  # keep the error for the organiser; the published schedule is untouched
        log.exception("schedule run %s failed", run.pk)
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=ScheduleRun.Status.FAILED,
            error=str(exc)[:2000],
            finished_at=timezone.now(),
            step_times=steps,
        )
    run.refresh_from_db()
    if run.is_reschedule and run.status == ScheduleRun.Status.DONE:
        # Re-scheduling keeps unaffected meetings in place, so it is published at once and only
        # the people whose meetings changed are told.
        try:
            publish_run(None, run)
        except MatchmakingError as exc:  # e.g. a side signed up for a session meanwhile: stays a draft
            log.warning("re-scheduling run %s not published: %s", run.pk, exc.message)
            ScheduleRun.objects.filter(pk=run.pk).update(error=exc.message[:2000])
        run.refresh_from_db()
    return run


def _reschedule(instance: Any, previous_doc: dict, time_limit: int, on_progress: Any) -> Any:
    # Keeps every still-valid meeting of the published schedule in its slot and location.
    from ascnhub.engine import scheduling as engine

    previous = engine.result_from_dict(previous_doc)
    return engine.reschedule(instance, previous, time_limit_s=min(time_limit, 30), on_progress=on_progress)


@transaction.atomic
def publish_run(actor: User, run: ScheduleRun, *, notify: bool = True) -> dict[str, int]:
    """Make a draft the meeting's schedule; notify only the people whose meetings changed.

    Refused when the draft is not finished, or when a newer run has been published since this one
    was started (a stale result never replaces a newer one).
    """
    setup = Setup.objects.select_for_update().get(pk=run.setup_id)
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ScheduleRun.Status.DONE:
        raise MatchmakingError(
            "not_ready",
            _("Run %(number)s is %(status)s, not a finished draft.")
            % {"number": run.number, "status": run.get_status_display()},
        )
    current = setup.published_run
    if current is not None and current.number > run.number:
        raise MatchmakingError(
            "stale",
            _(
                "Run %(current)s is newer and already published; "
                "run %(number)s would overwrite it with older data."
            )
            % {"current": current.number, "number": run.number},
        )
    if run.result["status"] not in ("optimal", "feasible"):
        raise MatchmakingError(
            "no_schedule",
            _("Run %(number)s found no schedule (%(status)s).")
            % {"number": run.number, "status": run.result["status"]},
        )

    slots = {s.code: s for s in setup.slots.all()}
    locations = {loc.code: loc for loc in setup.locations.all()}
    requests = {
        str(r.public_id): r
        for r in MeetingRequest.objects.filter(
            setup=setup, public_id__in=[a["meeting"] for a in run.result["assignments"]]
        ).select_related("requester", "recipient")
    }
    placement = [
        (requests[a["meeting"]], slots[a["slot"]], locations[a["location"]])
        for a in run.result["assignments"]
        # cancelled while the run was solving: leave it out
        if a["meeting"] in requests and requests[a["meeting"]].status == MeetingRequest.Status.ACCEPTED
    ]
    # The same checks as a hand move, against today's data: no path publishes a double booking,
    # an online side at a table, or a meeting in a slot a side has since become busy in.
    problems = moves.check_placement(setup, placement)
    if problems:
        raise MatchmakingError(
            "conflict",
            _("Run %(number)s cannot be published: %(problems)s.")
            % {"number": run.number, "problems": "; ".join(problems[:5])},
        )
    if run.restored_from_id is None:
        _refuse_unpinning(run, placement)
    diff = history.diff_placements(setup, {r.pk: (s.pk, loc.pk) for r, s, loc in placement})
    previous = {m.request_id: m for m in ScheduledMeeting.objects.filter(run=current)} if current else {}
    created = []
    for request, slot, location in placement:
        meeting = ScheduledMeeting(run=run, request=request, slot=slot, location=location)
        old = previous.get(request.pk)
        if old and (old.slot_id, old.location_id) == (slot.pk, location.pk):
            # Unchanged meeting: keep what already happened to it (confirmations, reminders, no-show).
            meeting.public_id, old.public_id = old.public_id, None
            for field in (
                "status",
                "requester_confirmed_at",
                "recipient_confirmed_at",
                "no_show_id",
                "reminded_at",
                "version",
            ):
                setattr(meeting, field, getattr(old, field))
        created.append(meeting)
    # Superseded rows give up their public ids to the unchanged meetings (e-mailed links stay valid).
    for old in previous.values():
        if old.public_id is None:
            ScheduledMeeting.objects.filter(pk=old.pk).update(public_id=uuid.uuid4())
    ScheduledMeeting.objects.bulk_create(created)
    bookings = []
    for m in ScheduledMeeting.objects.filter(run=run).select_related("request"):
        bookings.append(SlotBooking(run=run, slot_id=m.slot_id, profile_id=m.request.requester_id, meeting=m))
        bookings.append(SlotBooking(run=run, slot_id=m.slot_id, profile_id=m.request.recipient_id, meeting=m))
    SlotBooking.objects.bulk_create(
        bookings
    )  # unique (run, slot, profile): a double booking cannot be stored
    if current is not None:
        ScheduleRun.objects.filter(pk=current.pk).update(status=ScheduleRun.Status.SUPERSEDED)
    run.status, run.published_at = ScheduleRun.Status.PUBLISHED, timezone.now()
    run.save(update_fields=["status", "published_at"])
    setup.published_run = run
    setup.save(update_fields=["published_run"])
    moves.sync_pins(setup, run)
    # "Accepted" ends in a meeting or a reason: the requests this schedule leaves out are marked.
    unplaced.mark_after_publish(run, notify=notify)
    moved = len(diff.moved)
    changed = moved + len(diff.added) + len(diff.dropped)
    affected = diff.affected
    # Placed, moved or taken out: calendars must replace the event they hold (same UID).
    calendar_feed.bump_calendar_sequence(
        change.request.pk for change in (*diff.moved, *diff.added, *diff.dropped)
    )
    activity.record(
        actor,
        "publish_schedule",
        run,
        {"meetings": [len(previous), len(created)], "moved": [None, moved]},
    )
    if notify:
        transaction.on_commit(lambda: notifications.schedule_changed(run.pk, sorted(affected)))
    signals.schedule_published.send(
        sender=ScheduleRun, run=run, meetings=len(created), changed=changed, moved=moved
    )
    return {
        "meetings": len(created),
        "changed": changed,
        "moved": moved,
        "notified": len(affected),
        **{k: v for k, v in diff.counts().items() if k in ("kept", "added", "dropped")},
    }


def _refuse_unpinning(run: ScheduleRun, placement: list[tuple[MeetingRequest, Slot, Any]]) -> None:
    """A run solved before a meeting was pinned or moved by hand would undo that: refused (a
    rollback, which says it undoes, is the explicit way)."""
    from .models import Pin

    placed = {r.pk: (slot.pk, loc.pk) for r, slot, loc in placement}
    for pin in Pin.objects.filter(request_id__in=list(placed)).select_related(
        "slot", "location", "request__requester", "request__recipient"
    ):
        if placed[pin.request_id] != (pin.slot_id, pin.location_id):
            raise MatchmakingError(
                "pinned_since",
                _(
                    "Run %(number)s was solved before %(meeting)s was pinned or moved to %(table)s, "
                    "%(slot)s, and would move it back; start a new run."
                )
                % {
                    "number": run.number,
                    "meeting": moves.meeting_label(pin.request),
                    "table": pin.location.code,
                    "slot": pin.slot.code,
                },
            )


def review(run: ScheduleRun) -> dict[str, Any]:
    """What the organiser checks before publishing: held and unheld meetings (with why), load, breaks."""
    if not run.result or not run.instance:
        return {}
    instance = run.instance
    profiles = {str(p.public_id): p for p in Profile.objects.filter(setup=run.setup)}
    requests = {
        str(r.public_id): r
        for r in MeetingRequest.objects.filter(setup=run.setup).select_related("requester", "recipient")
    }
    slot_order = [s["id"] for s in instance["slots"]]
    group_of = {s["id"]: s["group"] for s in instance["slots"]}
    unavailable = {p["id"]: set(p["unavailable"]) for p in instance["participants"]}
    meeting_by_id = {m["id"]: m for m in instance["meetings"]}
    per_participant: dict[str, list[str]] = defaultdict(list)
    for a in run.result["assignments"]:
        for pid in meeting_by_id[a["meeting"]]["participants"]:
            per_participant[pid].append(a["slot"])
    load = []
    for pid, used in per_participant.items():
        breaks = 0
        by_group: dict[str, list[int]] = defaultdict(list)
        for code in used:
            by_group[group_of[code]].append(slot_order.index(code))
        for idx in by_group.values():
            idx.sort()
            breaks += sum(1 for x, y in zip(idx, idx[1:], strict=False) if y > x + 1)
        load.append({"profile": profiles.get(pid), "meetings": len(used), "breaks": breaks})
    load.sort(key=lambda row: (-row["meetings"], row["profile"].name if row["profile"] else ""))
    unheld = []
    for mid in run.result["unscheduled"]:
        meeting = meeting_by_id[mid]
        a, b = meeting["participants"]
        free = [
            s for s in slot_order if s not in unavailable.get(a, set()) and s not in unavailable.get(b, set())
        ]
        if not free:
            why = _("the two sides share no free slot")
        else:
            why = _("both sides' free slots were taken by meetings worth more, or by their meeting limits")
        unheld.append({"request": requests.get(mid), "reason": why})
    return {
        "held": len(run.result["assignments"]),
        "unheld": unheld,
        "load": load,
        "breaks": run.result["objective"]["breaks"],
    }
