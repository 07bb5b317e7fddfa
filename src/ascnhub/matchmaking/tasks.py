"""Background tasks (django-tasks): thin wrappers that take ids and call services."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from ascnhub.common import delivery

from . import calendar_feed, notifications
from .hybrid import video_link
from .models import MeetingReminder, MeetingRequest, Profile, ScheduledMeeting, ScheduleRun, Setup


@task(queue_name="scheduling")
def run_schedule(run_id: int) -> str:
    """Solve a queued scheduling run (CPU-bound: runs on the `scheduling` queue)."""
    from .scheduling import execute_run

    return execute_run(run_id).status


@task()
def refresh_suggestions(setup_id: int, requested_at: str | None = None) -> int | None:
    """Recompute every participant's suggestions after profiles, needs or offers changed.

    `requested_at` (ISO time of the change): skipped when a refresh since then already took it in.
    """
    from .suggestions import refresh_if_stale

    setup = Setup.objects.filter(pk=setup_id).first()
    if setup is None:  # the meeting went away before the worker got here
        return None
    since = datetime.datetime.fromisoformat(requested_at) if requested_at else None
    return refresh_if_stale(setup, since)


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
    from ascnhub.events import message_templates

    run = ScheduleRun.objects.select_related("setup__meeting").get(pk=run_id)
    own = message_templates.custom(run.setup.meeting, "schedule")  # the meeting's own texts
    sent = 0
    for profile in Profile.objects.filter(pk__in=profile_ids).select_related("owner", "setup__meeting"):
        invitations = calendar_feed.schedule_invitations(run, profile)
        meetings = agenda_of(profile, run)
        for message in notifications.build_email(
            profile,
            "schedule",
            gettext_noop("Your matchmaking schedule"),
            {"meetings": meetings},
            own_text=notifications.schedule_own_text(own, profile, meetings) if own else None,
        ):
            notifications.attach_invitations(message, invitations)
            message.send()
            sent += 1
    return sent


def _deliver_meeting_reminder(reminder: MeetingReminder, _session: object) -> None:
    """The meeting-reminder channel's send: both sides' e-mails go to the outbox and the meeting is
    stamped reminded, in one transaction (the channel is atomic)."""
    meeting = (
        ScheduledMeeting.objects.select_related(
            "slot",
            "location",
            "request__requester__owner",
            "request__recipient__owner",
            "run__setup__meeting",
            "request__requester_attendee",
            "request__recipient_attendee",
            "request__setup__meeting",
        )
        .filter(pk=reminder.meeting_id)
        .first()
    )
    if meeting is None or meeting.status != ScheduledMeeting.Status.SCHEDULED:
        raise delivery.GiveUp("the meeting was cancelled or replaced before its reminder went out")
    now = timezone.now()
    if meeting.slot.starts_at <= now:
        raise delivery.GiveUp("the meeting had started before its reminder could be sent")
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
    ScheduledMeeting.objects.filter(pk=meeting.pk).update(reminded_at=now)


REMINDER_CHANNEL = delivery.register(
    delivery.Channel(
        name="meeting-reminder",
        model=MeetingReminder,
        send=_deliver_meeting_reminder,
        # Minutes matter: a reminder is useless once the meeting has started.
        backoff=delivery.Backoff(base=datetime.timedelta(seconds=30), cap=datetime.timedelta(minutes=2)),
        max_attempts=lambda: 5,
        lease=datetime.timedelta(minutes=2),
        atomic=True,
    )
)


@task()
def send_reminders(minutes_ahead: int = 15) -> int:
    """Remind both sides of meetings starting within `minutes_ahead` minutes; each meeting once.
    Returns how many meetings were reminded now.

    Each meeting gets one `MeetingReminder` row (unique), claimed before it is sent, so two
    workers never send the same one; a failed one is retried by `ascnhub deliveries sweep` or
    the next run, until the meeting starts.
    """
    now = timezone.now()
    soon = now + datetime.timedelta(minutes=minutes_ahead)
    published = Setup.objects.exclude(published_run=None).values_list("published_run", flat=True)
    due = list(
        ScheduledMeeting.objects.filter(
            run_id__in=list(published),
            reminded_at__isnull=True,
            status=ScheduledMeeting.Status.SCHEDULED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=soon,
        ).values_list("pk", flat=True)
    )
    MeetingReminder.objects.bulk_create(
        [MeetingReminder(meeting_id=pk, next_attempt_at=now) for pk in due], ignore_conflicts=True
    )
    reminders = list(
        MeetingReminder.objects.filter(meeting_id__in=due, status=MeetingReminder.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    delivery.make_due(REMINDER_CHANNEL, reminders, now=now)
    counts = delivery.deliver_many(REMINDER_CHANNEL, reminders, now=now)
    return counts.get(MeetingReminder.Status.SENT, 0)


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
