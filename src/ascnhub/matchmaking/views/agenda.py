"""A participant's scheduled 1:1 meetings: the agenda, its calendar file, and what happens at the
table (confirming, a no-show, feedback)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import exporters, services
from ..colleagues import attendee_of, delegation_people
from ..errors import MatchmakingError
from ..forms import FeedbackForm
from ..hybrid import video_link
from ..models import AttendanceReport, Feedback, ScheduledMeeting
from ..outcomes import record_attendance
from ..tasks import agenda_of
from .helpers import base_context, form_errors_text, require_profile, setup_of


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    run = setup.published_run
    meetings = agenda_of(mine, run) if run else []
    feedback: set[int] = set()
    if meetings:
        feedback = set(
            Feedback.objects.filter(profile=mine, meeting__in=meetings).values_list("meeting_id", flat=True)
        )
    for m in meetings:
        m.video_link = video_link(m)
    colleagues = []
    if mine.owner.user_id == request.user.pk and mine.members.exists():
        colleagues = delegation_people(mine)
        for m in meetings:
            m.attendee_id = attendee_of(m.request, mine)
    for meeting in meetings:  # one form per meeting, each with its own ids, so each label is its own
        meeting.feedback_form = FeedbackForm(auto_id=f"id_feedback_{meeting.public_id}_%s")
    viewer_tz = mine.timezone
    if mine.owner.user_id != request.user.pk:  # a delegation member sees its own time zone
        viewer_tz = (
            mine.members.filter(user=request.user).values_list("timezone", flat=True).first() or viewer_tz
        )
    return render(
        request,
        "matchmaking/agenda.html",
        {
            **base_context(request, setup),
            "mine": mine,
            "viewer_tz": viewer_tz,
            "meetings": meetings,
            "run": run,
            "feedback_given": feedback,
            "colleagues": colleagues,
            "outcome_choices": AttendanceReport.Outcome.choices,
            "now": timezone.now(),
        },
    )


def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    meetings = agenda_of(mine, setup.published_run) if setup.published_run_id else []
    response = HttpResponse(exporters.agenda_ics(mine, meetings), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-matchmaking.ics"'
    return response


@require_POST
def meeting_action(request: HttpRequest, slug: str, public_id: str, action: str) -> HttpResponse:
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    meeting = get_object_or_404(
        ScheduledMeeting.objects.select_related("request"), run__setup=setup, public_id=public_id
    )
    if mine.pk not in (meeting.request.requester_id, meeting.request.recipient_id):
        raise PermissionDenied("not a side of this meeting")
    try:
        if action == "confirm":
            services.confirm_at_table(request.user, meeting, mine)
            messages.success(request, _("Thank you: your attendance is confirmed."))
        elif action == "no-show":
            other = (
                meeting.request.recipient
                if meeting.request.requester_id == mine.pk
                else meeting.request.requester
            )
            services.mark_no_show(request.user, meeting, other)
            messages.info(request, _("Marked as a no-show."))
        elif action == "attendance":
            record_attendance(request.user, meeting, mine, request.POST.get("outcome", ""))
            messages.success(request, _("Thank you: what happened is recorded."))
        elif action == "feedback":
            form = FeedbackForm(request.POST)
            if not form.is_valid():
                return HttpResponseBadRequest(form_errors_text(form))
            services.give_feedback(request.user, meeting, mine, **form.cleaned_data)
            messages.success(request, _("Thank you for your feedback."))
        else:
            raise Http404(action)
    except MatchmakingError as exc:
        messages.error(request, exc.message)
    return redirect("matchmaking:agenda", slug)
