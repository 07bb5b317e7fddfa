"""Meeting requests: asking another participant for a 1:1 meeting, answering, cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services, unplaced
from ..errors import MatchmakingError
from ..forms import RequestForm
from ..models import MeetingRequest, Profile
from .helpers import base_context, form_errors_text, require_profile, setup_of


@require_POST
def request_create(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    other = Profile.objects.filter(setup=setup, public_id=public_id).first()
    if other is None:
        messages.error(request, _("That participant is not in this meeting's matchmaking."))
        return redirect("matchmaking:home", slug)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(other.get_absolute_url())
    try:
        services.send_request(
            request.user,
            mine,
            other,
            message=form.cleaned_data["message"],
            priority=form.cleaned_data["priority"],
        )
    except MatchmakingError as exc:
        messages.error(request, exc.message)
        return redirect(other.get_absolute_url())
    messages.success(request, _("Request sent to %(name)s.") % {"name": other.name})
    return redirect("matchmaking:requests", slug)


def requests_page(request: HttpRequest, slug: str) -> HttpResponse:
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    related = ("requester__setup__meeting", "recipient__setup__meeting")
    incoming = list(MeetingRequest.objects.filter(recipient=mine).select_related(*related))
    outgoing = list(MeetingRequest.objects.filter(requester=mine).select_related(*related))
    # An accepted request the schedule left out says so, and why, on its row.
    marks = unplaced.rows_for(mine)
    for r in (*incoming, *outgoing):
        r.unplaced_row = marks.get(r.pk)
    return render(
        request,
        "matchmaking/requests.html",
        {**base_context(request, setup), "mine": mine, "incoming": incoming, "outgoing": outgoing},
    )


@require_POST
def request_action(request: HttpRequest, slug: str, public_id: str, action: str) -> HttpResponse:
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    meeting_request = get_object_or_404(MeetingRequest, setup=setup, public_id=public_id)
    try:
        if action in ("accept", "decline"):
            if meeting_request.recipient_id != mine.pk:
                raise PermissionDenied("only the recipient answers")
            services.answer_request(request.user, meeting_request, accept=action == "accept")
        elif action == "cancel":
            if mine.pk not in (meeting_request.requester_id, meeting_request.recipient_id):
                raise PermissionDenied("not a side of this request")
            services.cancel_request(request.user, meeting_request)
        else:
            raise Http404(action)
    except MatchmakingError as exc:
        messages.error(request, exc.message)
    return redirect("matchmaking:requests", slug)
