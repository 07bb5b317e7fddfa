"""Meeting reminders on the durable-delivery channel "meeting-reminder": one per meeting, claimed
before it is sent, retried by the sweep after a failure, given up once the meeting has started,
and not repeated for a meeting that a new schedule left where it was."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ascnhub.matchmaking import notifications
from ascnhub.matchmaking.models import MeetingReminder, ScheduledMeeting
from ascnhub.matchmaking.tasks import send_reminders
from tests.matchmaking.test_scheduling import _accept, _run_and_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(mm):
    _accept(mm.makassar, mm.company)
    run, _ = _run_and_publish(mm)
    mail.outbox.clear()
    return ScheduledMeeting.objects.select_related("slot").get(run=run)


class Clock:
    def __init__(self, monkeypatch, at: datetime.datetime):
        self.at = at
        monkeypatch.setattr(timezone, "now", lambda: self.at)


def _fail_once(monkeypatch):
    real = notifications.build_email
    calls = []

    def build(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("template storage unavailable")
        return real(*args, **kwargs)

    monkeypatch.setattr(notifications, "build_email", build)


def _sweep() -> str:
    out = io.StringIO()
    call_command("deliveries", "sweep", "--channel", "meeting-reminder", stdout=out)
    return out.getvalue().strip()


def test_a_failed_reminder_is_sent_by_the_sweep_once(mm, meeting, monkeypatch):
    clock = Clock(monkeypatch, meeting.slot.starts_at - datetime.timedelta(minutes=10))
    _fail_once(monkeypatch)
    assert send_reminders.call(15) == 0
    reminder = MeetingReminder.objects.get(meeting=meeting)
    assert (reminder.status, reminder.attempts) == (
        "pending",
        1,
    ) and "template storage" in reminder.last_error
    meeting.refresh_from_db()
    assert meeting.reminded_at is None and mail.outbox == []  # nothing half-sent
    assert _sweep() == "meeting-reminder: nothing due"  # its back-off: 30 s
    clock.at += datetime.timedelta(seconds=30)
    assert _sweep() == "meeting-reminder: 1 sent"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mm.makassar.owner.email, mm.company.owner.email])
    meeting.refresh_from_db()
    assert meeting.reminded_at == clock.at
    assert send_reminders.call(15) == 0 and _sweep() == "meeting-reminder: nothing due"
    assert len(mail.outbox) == 2 and MeetingReminder.objects.count() == 1


def test_a_reminder_that_could_not_go_before_the_meeting_gives_up(meeting, monkeypatch):
    clock = Clock(monkeypatch, meeting.slot.starts_at - datetime.timedelta(minutes=1))
    _fail_once(monkeypatch)
    send_reminders.call(15)
    clock.at = meeting.slot.starts_at + datetime.timedelta(seconds=5)
    assert _sweep() == "meeting-reminder: 1 failed"
    reminder = MeetingReminder.objects.get(meeting=meeting)
    assert reminder.status == "failed" and "started" in reminder.last_error and mail.outbox == []


def test_a_meeting_left_in_place_by_a_new_schedule_is_not_reminded_again(mm, meeting, monkeypatch):
    clock = Clock(monkeypatch, meeting.slot.starts_at - datetime.timedelta(minutes=10))
    assert send_reminders.call(15) == 1 and len(mail.outbox) == 2
    monkeypatch.undo()  # the solver's run takes real time
    run, _ = _run_and_publish(mm)
    moved = ScheduledMeeting.objects.get(run=run)
    assert (moved.slot_id, moved.location_id) == (meeting.slot_id, meeting.location_id)
    assert moved.reminded_at is not None
    clock = Clock(monkeypatch, clock.at)
    assert send_reminders.call(15) == 0 and len(mail.outbox) == 2
