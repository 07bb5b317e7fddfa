"""What business matchmaking led to: each side's attendance report on a meeting (held, did not
happen, no-show; disputed when they disagree), and public aggregate figures (no names)."""

from __future__ import annotations

import calendar
import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import activity

from .errors import MatchmakingError
from .models import AttendanceReport, FollowUpSurvey, Lead, MeetingRequest, Profile, ScheduledMeeting, Setup

if TYPE_CHECKING:
    from ascnhub.common.models import User


def matchmaking_outcomes(setup: Setup | None = None) -> dict[str, int]:
    """Participants, meetings scheduled and held, follow-ups asked for, partnerships that came of them.

    For one meeting's matchmaking, or (`setup=None`) across every meeting with a published schedule.
    """
    setups = Setup.objects.all() if setup is None else Setup.objects.filter(pk=setup.pk)
    runs = list(setups.exclude(published_run=None).values_list("published_run", flat=True))
    meetings = ScheduledMeeting.objects.filter(run_id__in=runs)
    leads = Lead.objects.filter(meeting__run_id__in=runs)
    return {
        "participants": Profile.objects.filter(setup__in=setups).count(),
        "scheduled": meetings.exclude(status=ScheduledMeeting.Status.CANCELLED).count(),
        "held": meetings.filter(status=ScheduledMeeting.Status.HELD).count(),
        "no_shows": meetings.filter(status=ScheduledMeeting.Status.NO_SHOW).count(),
        "not_held": meetings.filter(status=ScheduledMeeting.Status.NOT_HELD).count(),
        "disputed": meetings.filter(status=ScheduledMeeting.Status.DISPUTED).count(),
        "survey_results": FollowUpSurvey.objects.filter(
            request__setup__in=setups, result__in=FollowUpSurvey.LED_TO_SOMETHING
        ).count(),
        "follow_ups": leads.count(),
        "partnerships": leads.filter(status=Lead.Status.PARTNERSHIP).count(),
    }


def _implied(report: AttendanceReport, request: MeetingRequest) -> tuple[str, int | None]:
    """What a report says the meeting's state is: (status, the absent side or None)."""
    if report.outcome == AttendanceReport.Outcome.NO_SHOW:
        absent = request.recipient_id if report.profile_id == request.requester_id else request.requester_id
        return ScheduledMeeting.Status.NO_SHOW, absent
    if report.outcome == AttendanceReport.Outcome.NOT_HELD:
        return ScheduledMeeting.Status.NOT_HELD, None
    return ScheduledMeeting.Status.HELD, None


@transaction.atomic
def record_attendance(
    actor: User, meeting: ScheduledMeeting, profile: Profile, outcome: str
) -> ScheduledMeeting:
    """One side says what happened; the meeting's status follows both sides' reports.

    One report: a no-show or "did not happen" counts at once; "held" waits for the other side
    (or its confirmation at the table). Two reports that agree set the status; two that disagree
    make the meeting *disputed* (the organiser sees it in the figures). Refused before the slot
    starts, for a cancelled meeting, and for anyone who is not a side.
    """
    meeting = (
        ScheduledMeeting.objects.select_for_update().select_related("request", "slot").get(pk=meeting.pk)
    )
    request = meeting.request
    if profile.pk not in (request.requester_id, request.recipient_id):
        raise MatchmakingError(
            "not_a_side", _("%(name)s is not part of this meeting.") % {"name": profile.name}
        )
    if outcome not in AttendanceReport.Outcome.values:
        raise MatchmakingError("outcome", _("Unknown outcome %(outcome)s.") % {"outcome": repr(outcome)})
    if meeting.status == ScheduledMeeting.Status.CANCELLED:
        raise MatchmakingError("cancelled", _("This meeting was cancelled."))
    if meeting.slot.starts_at > timezone.now():
        raise MatchmakingError("too_early", _("Attendance can be recorded once the meeting has started."))
    AttendanceReport.objects.update_or_create(
        request=request,
        profile=profile,
        defaults={
            "outcome": outcome,
            "reported_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    reports = list(AttendanceReport.objects.filter(request=request))
    states = {_implied(r, request) for r in reports}
    before = meeting.status
    confirmed_by_both = bool(meeting.requester_confirmed_at and meeting.recipient_confirmed_at)
    if len(states) > 1:
        meeting.status, meeting.no_show_id = ScheduledMeeting.Status.DISPUTED, None
    else:
        ((status, absent),) = states
        if status == ScheduledMeeting.Status.HELD and len(reports) < 2 and not confirmed_by_both:
            status = ScheduledMeeting.Status.SCHEDULED  # one side's word is not enough for "held"
        meeting.status, meeting.no_show_id = status, absent
    meeting.save(update_fields=["status", "no_show"])
    activity.record(
        actor, "attendance", meeting, {"status": [before, meeting.status], "report": [None, outcome]}
    )
    return meeting


def attendance_figures(setup: Setup) -> dict[str, int]:
    """For the organiser: the published meetings by what happened, and the reports behind them."""
    figures = matchmaking_outcomes(setup)
    figures["reports"] = AttendanceReport.objects.filter(request__setup=setup).count()
    return figures


def _add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def send_follow_up_surveys(now: datetime.datetime | None = None) -> int:
    """Ask both sides of every held meeting, `Setup.survey_after_months` after it, what came of
    it; each side once (a unique row claims it before the e-mail goes). Returns how many were sent."""
    from . import notifications

    now = now or timezone.now()
    sent = 0
    for setup in Setup.objects.exclude(published_run=None):
        held = (
            ScheduledMeeting.objects.filter(
                run_id=setup.published_run_id, status=ScheduledMeeting.Status.HELD
            )
            .select_related("slot", "request__requester", "request__recipient")
            .order_by("slot__starts_at")
        )
        for meeting in held:
            if _add_months(meeting.slot.ends_at, setup.survey_after_months) > now:
                continue
            for profile in (meeting.request.requester, meeting.request.recipient):
                with transaction.atomic():
                    survey, created = FollowUpSurvey.objects.get_or_create(
                        request=meeting.request, profile=profile
                    )
                    if created:
                        notifications.follow_up_survey(survey)
                        sent += 1
    return sent


@transaction.atomic
def answer_survey(survey: FollowUpSurvey, result: str, note: str = "") -> FollowUpSurvey:
    """Record what came of the meeting. A partnership, a project or an MoU opens (or updates) the
    meeting's lead, so it shows in the leads and the outcomes figures; a partnership marks it so."""
    survey = FollowUpSurvey.objects.select_for_update().get(pk=survey.pk)
    if result not in FollowUpSurvey.Result.values:
        raise MatchmakingError("result", _("Choose what came of the meeting."), field="result")
    survey.result, survey.note, survey.answered_at = result, note.strip(), timezone.now()
    survey.save(update_fields=["result", "note", "answered_at"])
    activity.record(None, "follow_up_survey", survey.request, {"result": [None, result]})
    if result in FollowUpSurvey.LED_TO_SOMETHING:
        meeting = (
            ScheduledMeeting.objects.filter(request=survey.request, status=ScheduledMeeting.Status.HELD)
            .select_related("request__requester", "request__recipient")
            .order_by("-run__number")
            .first()
        )
        if meeting is not None:
            sides = [meeting.request.requester, meeting.request.recipient]
            lead, _created = Lead.objects.get_or_create(
                meeting=meeting,
                defaults={
                    "city": next((s.city for s in sides if s.city_id), None),
                    "organisation": next(
                        (
                            s.organisation
                            for s in sides
                            if s.organisation_id and s.kind in ("company", "partner")
                        ),
                        None,
                    ),
                },
            )
            line = f"Follow-up survey ({survey.profile.name}): {survey.get_result_display()}" + (
                f" — {survey.note}" if survey.note else ""
            )
            lead.note = "\n".join(filter(None, [lead.note, line]))
            if result == FollowUpSurvey.Result.PARTNERSHIP:
                lead.status = Lead.Status.PARTNERSHIP
            lead.save(update_fields=["note", "status", "updated_at"])
    return survey
