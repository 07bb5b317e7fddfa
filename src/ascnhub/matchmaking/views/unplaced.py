"""One meeting request as its sides (and the organiser) see it: its status, and for an accepted
request the schedule left out, why, and the ways out (book another slot, meet online)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ascnhub.common.http import LoginRequired

from .. import moves, unplaced
from ..errors import MatchmakingError
from ..models import MeetingRequest, ScheduledMeeting, Slot, UnplacedRequest
from .helpers import base_context, my_profile, setup_of


def request_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    setup = setup_of(slug)
    if not request.user.is_authenticated:
        raise LoginRequired()
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("requester", "recipient", "setup__meeting"),
        setup=setup,
        public_id=public_id,
    )
    mine = my_profile(request, setup)
    side = mine if mine and mine.pk in (meeting_request.requester_id, meeting_request.recipient_id) else None
    organiser = request.user.has_perm("matchmaking.organise", setup)
    if side is None and not organiser:
        raise Http404("not a side of this request")  # someone else's request does not exist for you
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "book":
                slot = Slot.objects.filter(setup=setup, code=request.POST.get("slot", "")).first()
                if slot is None:
                    raise MatchmakingError("slot", _("Choose one of the slots listed."))
                placed = moves.place_request(request.user, meeting_request, slot=slot)
                messages.success(
                    request,
                    _("Booked at %(table)s: the meeting is in the schedule and both sides are told.")
                    % {"table": placed.location},
                )
            elif action == "online" and side is not None:
                unplaced.meet_online(request.user, meeting_request, side)
                messages.success(request, _("This meeting is now online; the other side is told."))
            else:
                raise Http404(action)
        except MatchmakingError as exc:
            messages.error(request, exc.message)
        return redirect("matchmaking:request_detail", slug, meeting_request.public_id)
    row = (
        UnplacedRequest.objects.select_related(
            "side", "online_by", "request__requester", "request__recipient"
        )
        .filter(request=meeting_request, request__status=MeetingRequest.Status.ACCEPTED)
        .first()
    )
    if row is not None:
        row.request.setup = setup
    placed = (
        ScheduledMeeting.objects.filter(run_id=setup.published_run_id, request=meeting_request)
        .select_related("slot", "location")
        .first()
        if setup.published_run_id
        else None
    )
    return render(
        request,
        "matchmaking/request_detail.html",
        {
            **base_context(request, setup),
            "r": meeting_request,
            "side": side,
            "other": meeting_request.other_side(side) if side else None,
            "row": row,
            "placed": placed,
            "places": unplaced.free_places(meeting_request) if row and row.online_at is None else [],
            "online_link": unplaced.online_link(row) if row else "",
        },
    )
