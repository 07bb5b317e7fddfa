"""Existing rows carry over onto the durable-delivery primitive: the migrations are run backwards,
rows are written the old way, and forwards again."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [
    ("common", "0003_cache_table"),
    ("api", "0002_webhooks"),
    ("followup", "0002_central_upload_check"),
    ("matchmaking", "0003_schedule_run_started_at"),
]
T = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_outbox_reminders_and_reminded_meetings_carry_over(network):
    from tests.matchmaking.factories import make_world
    from tests.matchmaking.test_scheduling import _accept, _run_and_publish

    mm = make_world(network)

    _accept(mm.makassar, mm.company)
    run, _ = _run_and_publish(mm)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    try:
        Email = old.get_model("common", "OutgoingEmail")
        mine = {"recipients": ["a@example.org"], "message": {}, "next_attempt_at": T}
        sending = Email.objects.create(
            subject="in flight", status="sending", attempts=1, claimed_at=T, **mine
        )
        sent = Email.objects.create(
            subject="done", status="sent", attempts=1, claimed_at=T, sent_at=T, **mine
        )
        Reminder = old.get_model("followup", "ReminderSent")
        reminder = Reminder.objects.create(
            item_type="commitment",
            item_id=7,
            due_date=T.date(),
            kind="due_soon",
            recipient="nr@example.org",
            language="id",
        )
        Meeting = old.get_model("matchmaking", "ScheduledMeeting")
        Meeting.objects.filter(run_id=run.pk).update(reminded_at=T)
    finally:
        _migrate(latest)

    from ascnhub.common import delivery, mail
    from ascnhub.common.models import OutgoingEmail
    from ascnhub.followup.models import ReminderSent
    from ascnhub.matchmaking.models import MeetingReminder

    sending = OutgoingEmail.objects.get(pk=sending.pk)
    assert (sending.status, sending.claimed_at, sending.last_attempt_at) == ("pending", T, T)
    # The worker that was sending it holds its lease until it ends; then anyone may take it.
    assert delivery.claim(mail.CHANNEL, sending.pk, T + datetime.timedelta(minutes=5)) is None
    assert delivery.claim(mail.CHANNEL, sending.pk, T + mail.CLAIM_TIMEOUT) is not None
    sent = OutgoingEmail.objects.get(pk=sent.pk)
    assert (sent.status, sent.claimed_at, sent.last_attempt_at) == ("sent", None, T)
    reminder = ReminderSent.objects.get(pk=reminder.pk)
    assert (reminder.status, reminder.attempts, reminder.recipient) == ("sent", 1, "nr@example.org")
    assert reminder.created_at == reminder.sent_at == reminder.last_attempt_at
    [carried] = MeetingReminder.objects.filter(meeting__run=run)
    assert (carried.status, carried.sent_at) == ("sent", T)
