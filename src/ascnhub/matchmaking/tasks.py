"""Background tasks (django-tasks): thin wrappers that take ids and call services."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from . import calendar_feed, notifications
from .hybrid import video_link
from .models import MeetingRequest, Profile, ScheduledMeeting, ScheduleRun, Setup


@task(queue_name="scheduling")
def run_schedule(run_id: int) -> str:
    """Solve a queued scheduling run (CPU-bound: runs on the `scheduling` queue)."""
    from .scheduling import execute_run

    return execute_run(run_id).status


@task()
def refresh_suggestions(setup_id: int) -> int:
    """Recompute every participant's suggestions after profiles changed."""
    from .suggestions import refresh

    return refresh(Setup.objects.get(pk=setup_id))


@task()
def send_notification(kind: str, request_id: int) -> int:
    request = MeetingRequest.objects.select_related("setup__meeting", "requester", "recipient").get(
        pk=request_id
    )
    if kind == "request_received":
        messages = notifications.build_email(
            request.recipient, "request_received", gettext_noop("Meeting request"), {"request": request}
        )
    elif kind == "request_expired":  # both sides hear it
        messages = [
            *notifications.build_email(
                request.requester,
                "request_expired",
                gettext_noop("Meeting request expired"),
                {"request": request},
            ),
            *notifications.build_email(
                request.recipient,
                "request_expired",
                gettext_noop("Meeting request expired"),
                {"request": request},
            ),
        ]
    else:
        messages = notifications.build_email(
            request.requester,
            "request_answered",
            gettext_noop("Answer to your meeting request"),
            {"request": request},
        )
    for message in messages:
        message.send()
    return len(messages)


def agenda_of(profile: Profile, run: ScheduleRun) -> list[ScheduledMeeting]:
    meetings = list(
        ScheduledMeeting.objects.filter(run=run)
        .filter(Q(request__requester=profile) | Q(request__recipient=profile))
        .exclude(status=ScheduledMeeting.Status.CANCELLED)
        .select_related(
            "slot",
            "location",
            "request__setup__meeting",
            "request__requester__setup__meeting",
            "request__recipient__setup__meeting",
        )
    )
    for m in meetings:
        m.other = m.request.recipient if m.request.requester_id == profile.pk else m.request.requester
    return meetings


@task()
def send_schedule_emails(run_id: int, profile_ids: list[int]) -> int:
    """Tell each affected profile its (new) agenda; nobody else is written to."""
    run = ScheduleRun.objects.select_related("setup__meeting").get(pk=run_id)
    sent = 0
    for profile in Profile.objects.filter(pk__in=profile_ids).select_related("owner", "setup__meeting"):
        invitations = calendar_feed.schedule_invitations(run, profile)
        for message in notifications.build_email(
            profile,
            "schedule",
            gettext_noop("Your matchmaking schedule"),
            {"meetings": agenda_of(profile, run)},
        ):
            notifications.attach_invitations(message, invitations)
            message.send()
            sent += 1
    return sent


@task()
def send_reminders(minutes_ahead: int = 15) -> int:
    """Remind both sides of meetings starting within `minutes_ahead` minutes; each meeting once."""
    now = timezone.now()
    soon = now + datetime.timedelta(minutes=minutes_ahead)
    sent = 0
    published = Setup.objects.exclude(published_run=None).values_list("published_run", flat=True)
    due = ScheduledMeeting.objects.filter(
        run_id__in=list(published),
        reminded_at__isnull=True,
        status=ScheduledMeeting.Status.SCHEDULED,
        slot__starts_at__gt=now,
        slot__starts_at__lte=soon,
    ).select_related(
        "slot",
        "location",
        "request__requester__owner",
        "request__recipient__owner",
        "run__setup__meeting",
        "request__requester_attendee",
        "request__recipient_attendee",
        "request__setup__meeting",
    )
    for meeting in due:
        with transaction.atomic():
            # Claim the reminder first: two workers never send the same one twice.
            if not ScheduledMeeting.objects.filter(pk=meeting.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            for profile, other, attendee in (
                (meeting.request.requester, meeting.request.recipient, meeting.request.requester_attendee),
                (meeting.request.recipient, meeting.request.requester, meeting.request.recipient_attendee),
            ):
                for message in notifications.build_email(
                    profile,
                    "reminder",
                    gettext_noop("Meeting reminder"),
                    {"meeting": meeting, "other": other, "video_link": video_link(meeting)},
                    attendee=attendee,  # the assigned colleague alone, when there is one
                ):
                    message.send()
                    sent += 1
    return sent


@task()
def send_withdrawn(request_id: int, profile_id: int) -> int:
    """Tell a side that the other withdrew from the matchmaking (their registration was cancelled)."""
    request = MeetingRequest.objects.select_related("setup__meeting", "requester", "recipient").get(
        pk=request_id
    )
    profile = Profile.objects.select_related("owner", "setup__meeting").get(pk=profile_id)
    messages = notifications.build_email(
        profile,
        "request_withdrawn",
        gettext_noop("A meeting was withdrawn"),
        {"request": request, "other": request.other_side(profile)},
    )
    for message in messages:
        message.send()
    return len(messages)


@task()
def expire_requests() -> int:
    """Expire unanswered requests past their meeting's limit (run periodically, e.g. hourly)."""
    from .lifecycle import expire_due_requests

    return expire_due_requests()


@task()
def send_follow_up_survey(survey_id: int) -> int:
    """E-mail one side the link to the follow-up survey of a meeting."""
    from .models import FollowUpSurvey

    survey = FollowUpSurvey.objects.select_related(
        "profile__owner", "profile__setup__meeting", "request__requester", "request__recipient"
    ).get(pk=survey_id)
    messages = notifications.build_email(
        survey.profile,
        "follow_up_survey",
        gettext_noop("What came of your meeting?"),
        {"survey": survey, "other": survey.request.other_side(survey.profile)},
    )
    for message in messages:
        message.send()
    return len(messages)


@task()
def send_follow_up_surveys() -> int:
    """Send the follow-up surveys that are due (run daily)."""
    from .outcomes import send_follow_up_surveys as send_due

    return send_due()
