"""The durable-delivery primitive (common.delivery) on its own: leases, fencing, back-off, the last
attempt, retries, and the sweep command. The rows are outbox rows (any concrete Delivery table
would do) sent by test channels that are not registered, so the real channels never see them;
the sweep command is tested with the real e-mail and webhook channels."""

from __future__ import annotations

import datetime
import http.server
import io
import threading

import pytest
from django.core import mail as django_mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from ascnhub.common import delivery
from ascnhub.common.models import OutgoingEmail

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


class Far:
    """The far side: records what it was sent; refuses while `refuse` > 0."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.received: list[int] = []

    def send(self, row, _session) -> None:
        if self.refuse > 0:
            self.refuse -= 1
            raise ConnectionRefusedError(f"busy, {self.refuse} more refusals")
        self.received.append(row.pk)


def _channel(far: Far, **options) -> delivery.Channel:
    settings = {
        "name": "test",
        "model": OutgoingEmail,
        "send": far.send,
        "backoff": delivery.Backoff(base=datetime.timedelta(minutes=1), cap=datetime.timedelta(minutes=10)),
        "max_attempts": lambda: 5,
        "lease": datetime.timedelta(minutes=2),
    }
    settings.update(options)
    return delivery.Channel(**settings)


def _row(due: datetime.datetime = T0) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        subject="Agenda", recipients=["ana@example.org"], message={}, next_attempt_at=due
    )


def test_a_row_is_delivered_once_and_then_left_alone():
    far = Far()
    channel = _channel(far)
    row = _row()
    done = delivery.deliver(channel, row.pk, now=T0)
    assert (done.status, done.attempts, done.last_error) == ("sent", 1, "")
    row.refresh_from_db()
    assert row.status == "sent" and row.sent_at is not None and row.claimed_at is None
    assert delivery.deliver(channel, row.pk, now=T0 + datetime.timedelta(days=1)) is None
    assert far.received == [row.pk]


def test_a_row_not_yet_due_is_not_taken():
    far = Far()
    row = _row(due=T0 + datetime.timedelta(minutes=5))
    assert delivery.claim(_channel(far), row.pk, T0) is None
    assert delivery.deliver_due(_channel(far), now=T0) == {}
    assert delivery.deliver_due(_channel(far), now=T0 + datetime.timedelta(minutes=5)) == {"sent": 1}


def test_the_lease_of_a_dead_worker_ends_and_the_row_is_taken_again():
    far = Far()
    channel = _channel(far)
    row = _row()
    assert delivery.claim(channel, row.pk, T0) is not None  # ... and that worker died
    before_end = T0 + channel.lease - datetime.timedelta(seconds=1)
    assert delivery.claim(channel, row.pk, before_end) is None  # the lease holds
    assert delivery.due_ids(channel, now=before_end) == []
    assert delivery.deliver_due(channel, now=before_end) == {}
    assert delivery.deliver_due(channel, now=T0 + channel.lease) == {"sent": 1}
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and far.received == [row.pk]


def test_a_worker_that_outlived_its_lease_cannot_undo_the_next_attempt():
    # Worker A claims, then hangs past its lease; worker B takes the row and delivers it. When A's
    # attempt finally fails, its outcome is not written: the row stays delivered.
    later = T0 + datetime.timedelta(minutes=3)
    b_far = Far()

    def slow_then_failing(row, _session):
        assert delivery.deliver(_channel(b_far), row.pk, now=later).status == "sent"  # B, meanwhile
        raise TimeoutError("A's server never answered")

    row = _row()
    assert delivery.deliver(_channel(Far(), send=slow_then_failing), row.pk, now=T0) is None
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")
    assert b_far.received == [row.pk]


def test_the_pause_grows_after_each_failure_up_to_its_cap():
    backoff = delivery.Backoff(base=datetime.timedelta(seconds=30), cap=datetime.timedelta(minutes=5))
    assert [backoff.pause(n).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]
    five = delivery.Backoff(base=datetime.timedelta(minutes=1), factor=5, cap=datetime.timedelta(hours=6))
    assert [five.pause(n) // datetime.timedelta(minutes=1) for n in range(1, 6)] == [1, 5, 25, 125, 360]

    far = Far(refuse=3)
    channel = _channel(far)
    row = _row()
    now, pauses = T0, []
    for _ in range(4):
        outcome = delivery.deliver(channel, row.pk, now=now)
        if outcome.status != "pending":
            break
        pauses.append(outcome.next_attempt_at - outcome.last_attempt_at)
        assert (
            delivery.deliver(channel, row.pk, now=outcome.next_attempt_at - datetime.timedelta(seconds=1))
            is None
        )
        now = outcome.next_attempt_at
    assert pauses == [datetime.timedelta(minutes=m) for m in (1, 2, 4)]
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 4 and far.received == [row.pk]


def test_after_the_last_attempt_the_row_is_kept_as_failed_with_its_error():
    far = Far(refuse=100)
    channel = _channel(far, max_attempts=lambda: 3)
    row = _row()
    now = T0
    for _ in range(5):
        delivery.deliver_due(channel, now=now)
        now += datetime.timedelta(hours=1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error.startswith("ConnectionRefusedError: busy")
    assert delivery.counts(channel) == {"failed": 1}
    # The secretariat sends it again: a fresh set of attempts, due now.
    far.refuse = 0
    assert delivery.retry(channel, [row.pk]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    assert delivery.deliver_due(channel) == {"sent": 1} and far.received == [row.pk]


def test_give_up_fails_at_once_and_a_sent_row_is_not_retried():
    def refuse_for_good(row, _session):
        raise delivery.GiveUp("the endpoint is switched off")

    channel = _channel(Far(), send=refuse_for_good)
    row = _row()
    outcome = delivery.deliver(channel, row.pk, now=T0)
    assert (outcome.status, outcome.attempts, outcome.last_error) == (
        "failed",
        1,
        "the endpoint is switched off",
    )
    sent = _row()
    delivery.deliver(_channel(Far()), sent.pk, now=T0)
    assert delivery.retry(channel, [sent.pk], include_pending=True) == 0


def test_an_atomic_channel_writes_nothing_from_a_failed_attempt():
    # What an atomic channel's send writes (the reminders write e-mails to the outbox) commits
    # with the "done" update, or not at all.
    calls = []

    def write_then_fail(row, _session):
        calls.append(row.pk)
        _row()  # a side effect in the database
        if len(calls) == 1:
            raise RuntimeError("template error")

    channel = _channel(Far(), send=write_then_fail, atomic=True)
    row = _row()
    outcome = delivery.deliver(channel, row.pk, now=T0)
    assert outcome.status == "pending" and OutgoingEmail.objects.count() == 1
    outcome = delivery.deliver(channel, row.pk, now=outcome.next_attempt_at)
    assert outcome.status == "sent" and OutgoingEmail.objects.count() == 2


def test_a_retry_is_handed_to_the_worker_for_its_due_time():
    handed: list[tuple[list[int], datetime.datetime | None]] = []
    channel = _channel(Far(refuse=1), enqueue=lambda ids, at: handed.append((ids, at)))
    row = _row()
    outcome = delivery.deliver(channel, row.pk, now=T0)
    assert handed == [
        ([row.pk], outcome.next_attempt_at)
    ] and outcome.next_attempt_at == T0 + datetime.timedelta(minutes=1)


def test_channels_are_found_by_name_and_model():
    from ascnhub.api.models import WebhookDelivery
    from ascnhub.followup.models import ReminderSent
    from ascnhub.matchmaking.models import MeetingReminder

    names = {c.name: c.model for c in delivery.channels()}
    assert names == {
        "email": OutgoingEmail,
        "webhook": WebhookDelivery,
        "followup-reminder": ReminderSent,
        "meeting-reminder": MeetingReminder,
    }
    assert delivery.channel_for(WebhookDelivery).name == "webhook"
    with pytest.raises(delivery.DeliveryError, match="unknown delivery channel 'sms'; known: email, "):
        delivery.channel_named("sms")
    with pytest.raises(delivery.DeliveryError, match="two channels are named 'email'"):
        delivery.register(_channel(Far(), name="email", model=ReminderSent))


# --- the sweep command, with the real channels -------------------------------------------------------


@pytest.fixture
def receiver():
    received: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks", received
    server.shutdown()
    server.server_close()


def test_the_sweep_command_delivers_what_is_due_on_every_channel(settings, network, receiver):
    from django.core.mail import EmailMessage

    from ascnhub.api import webhooks
    from ascnhub.api.models import WebhookDelivery

    settings.EMAIL_BACKEND = "ascnhub.common.mail.OutboxBackend"
    settings.ASCNHUB_EMAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    settings.ASCNHUB_WEBHOOK_ALLOW_PRIVATE = True
    url, received = receiver
    webhooks.create_endpoint(network.secretariat, url, ["registration.approved"])
    # Written, committed, and then the process died before any task ran (on-commit callbacks
    # never run here): only the sweep can deliver them.
    EmailMessage("Your agenda", "Table 12 at 10:00", to=["ana@example.org"]).send()
    later = EmailMessage("Later", "Not yet", to=["ana@example.org"])
    later.send()
    OutgoingEmail.objects.filter(subject="Later").update(
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1)
    )
    with transaction.atomic():
        webhooks.emit("registration.approved", {"registration": {"id": "r1"}})
    out = io.StringIO()
    call_command("deliveries", "sweep", stdout=out)
    assert out.getvalue().splitlines() == [
        "email: 1 sent",
        "followup-reminder: nothing due",
        "meeting-reminder: nothing due",
        "webhook: 1 delivered",
    ]
    assert [m.subject for m in django_mail.outbox] == ["Your agenda"] and len(received) == 1
    assert WebhookDelivery.objects.get().status == "delivered"
    out = io.StringIO()
    call_command("deliveries", "sweep", "--channel", "email", stdout=out)
    assert out.getvalue() == "email: nothing due\n"
    out = io.StringIO()
    call_command("deliveries", "status", "--channel", "email", "--channel", "webhook", stdout=out)
    assert out.getvalue().splitlines() == ["email: 1 pending, 1 sent", "webhook: 1 delivered"]
    with pytest.raises(CommandError, match="unknown delivery channel 'fax'"):
        call_command("deliveries", "sweep", "--channel", "fax")
    with pytest.raises(CommandError, match="--limit must be 1 or more"):
        call_command("deliveries", "sweep", "--limit", "0")


def test_retry_failed_from_the_command_line(settings):
    settings.ASCNHUB_EMAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    row = _row()
    OutgoingEmail.objects.filter(pk=row.pk).update(status="failed", attempts=8, last_error="550 no such user")
    out = io.StringIO()
    call_command("deliveries", "retry-failed", "--channel", "email", stdout=out)
    assert out.getvalue() == "email: 1 queued again\n"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)


def test_the_admin_shows_every_kind_of_delivery_and_sends_failed_ones_again(
    client, django_user_model, settings, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage

    from ascnhub.common import mail

    settings.ASCNHUB_EMAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    client.force_login(django_user_model.objects.create_superuser(email="admin@example.org", password="x"))
    [stored] = mail.queue([EmailMessage("Outcome report", "On track", to=["nr@example.org"])])
    OutgoingEmail.objects.filter(pk=stored.pk).update(
        status="failed", attempts=8, last_error="550 no such user"
    )
    for page in (
        "common/outgoingemail",
        "api/webhookdelivery",
        "followup/remindersent",
        "matchmaking/meetingreminder",
    ):
        assert client.get(f"/admin/{page}/").status_code == 200, page
    listed = client.get("/admin/common/outgoingemail/?status__exact=failed").content.decode()
    assert "Outcome report" in listed and "gave up" in listed
    assert (
        "550 no such user" in client.get(f"/admin/common/outgoingemail/{stored.pk}/change/").content.decode()
    )
    # View only: a stale form can never overwrite what a worker writes.
    assert client.post(f"/admin/common/outgoingemail/{stored.pk}/change/", {}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/common/outgoingemail/", {"action": "send_again", "_selected_action": [stored.pk]}
        )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == ("sent", 1)
    assert [m.subject for m in django_mail.outbox] == ["Outcome report"]
