"""The delegation owner assigns a meeting to a colleague (or back to the whole delegation)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.events.models import Registration

from ..colleagues import assign_colleague
from ..errors import MatchmakingError
from ..models import MeetingRequest
from .helpers import require_profile, setup_of


@require_POST
def assign(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    meeting_request = get_object_or_404(MeetingRequest, setup=setup, public_id=public_id)
    chosen = request.POST.get("attendee", "")
    registration = None
    try:
        if chosen:
            registration = Registration.objects.filter(meeting=setup.meeting, public_id=chosen).first()
            if registration is None:
                raise MatchmakingError("not_a_member", _("That person is not registered for this meeting."))
        assign_colleague(request.user, meeting_request, mine, registration)
        messages.success(
            request,
            _("%(name)s goes to this meeting.") % {"name": registration.name}
            if registration
            else _("Anyone in your delegation may go to this meeting."),
        )
    except MatchmakingError as exc:
        messages.error(request, exc.message)
    return redirect("matchmaking:agenda", slug)
