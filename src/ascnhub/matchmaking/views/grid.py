"""The schedule grid and a meeting's own page: move (drag and drop, or the form), pin, unpin."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ascnhub.common.http import require_perm

from .. import grid, moves, scheduling
from ..errors import MatchmakingError
from ..models import Location, Pin, ScheduledMeeting, ScheduleRun, Setup, Slot, UnplacedRequest
from .helpers import base_context, setup_of

FILTERS = ("q", "organisation", "country", "table")


def _grid_context(request: HttpRequest, setup: Setup, run: ScheduleRun) -> dict:
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    data = grid.build(setup, run, block=request.GET.get("block"), **params)
    review = scheduling.review(run) if run.result else {}
    keep = {k: v for k, v in params.items() if v}
    return {
        **base_context(request, setup),
        "run": run,
        "grid": data,
        "filters": params,
        "filter_query": urlencode(keep),
        "unheld": review.get("unheld", []),
        # The published schedule's accepted requests without a slot, with the reason both sides
        # were told; each opens its page, where the organiser places it by hand.
        "unplaced": UnplacedRequest.objects.filter(request__setup=setup, run=run)
        .select_related("side", "online_by", "request__requester", "request__recipient", "request__setup")
        .order_by("request__pk")
        if run.pk == setup.published_run_id
        else [],
    }


def schedule_grid(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    """The published schedule (or run `number`) as slots × tables; cells open their meeting."""
    setup = setup_of(slug)
    require_perm(request, "matchmaking.organise", setup)
    if number is None:
        if setup.published_run is None:
            messages.info(
                request, _("Nothing is published yet: this is the grid of the latest finished run.")
            )
            run = setup.runs.filter(status__in=["done", "published", "superseded"]).first()
            if run is None:
                raise Http404("no finished run")
        else:
            run = setup.published_run
    else:
        run = get_object_or_404(ScheduleRun, setup=setup, number=number)
    return render(request, "matchmaking/grid.html", _grid_context(request, setup, run))


def _back(slug: str, meeting: ScheduledMeeting, request: HttpRequest) -> str:
    query = {k: request.POST.get(k, "") for k in FILTERS if request.POST.get(k)}
    query["block"] = meeting.slot.group
    return reverse("matchmaking:grid", args=[slug]) + "?" + urlencode(query)


def meeting_page(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    """One meeting of the published schedule: where it is, and the move form (the grid's fallback)."""
    setup = setup_of(slug)
    require_perm(request, "matchmaking.organise", setup)
    meeting = get_object_or_404(
        ScheduledMeeting.objects.select_related(
            "slot", "location", "run", "request__requester__organisation", "request__recipient__organisation"
        ),
        run__setup=setup,
        public_id=public_id,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "move":
                slot = Slot.objects.filter(setup=setup, code=request.POST.get("slot", "")).first()
                location = Location.objects.filter(setup=setup, code=request.POST.get("location", "")).first()
                if slot is None or location is None:
                    raise MatchmakingError(
                        "place", _("Choose a slot and a table or video room of this meeting.")
                    )
                try:
                    version = int(request.POST.get("version", ""))
                except ValueError:
                    version = -1
                meeting = moves.move_meeting(
                    request.user, meeting, slot=slot, location=location, version=version
                )
                messages.success(
                    request,
                    _("%(meeting)s moved to %(table)s, %(slot)s; both sides are told.")
                    % {"meeting": moves.meeting_label(meeting.request), "table": location, "slot": slot.code},
                )
            elif action == "pin":
                moves.pin_meeting(request.user, meeting)
                messages.success(request, _("Pinned: every later run keeps this meeting here."))
            elif action == "unpin":
                moves.unpin(request.user, meeting.request)
                messages.success(request, _("Unpinned."))
        except MatchmakingError as exc:
            messages.error(request, exc.message)
            if request.htmx:
                response = render(
                    request, "matchmaking/grid.html", _grid_context(request, setup, meeting.run)
                )
                response.status_code = 409
                return response
        meeting.refresh_from_db()
        if request.POST.get("next") == "grid" or request.htmx:
            return redirect(_back(slug, meeting, request))
        return redirect("matchmaking:meeting", slug, meeting.public_id)
    return render(
        request,
        "matchmaking/meeting.html",
        {
            **base_context(request, setup),
            "m": meeting,
            "sides": [meeting.request.requester, meeting.request.recipient],
            "pinned": Pin.objects.filter(request=meeting.request).first(),
            "editable": meeting.run_id == setup.published_run_id,
            "slots": setup.slots.all(),
            "locations": setup.locations.all(),
        },
    )
