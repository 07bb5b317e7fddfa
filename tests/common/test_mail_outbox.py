"""The e-mail outbox: messages are stored with their cause, delivered by the worker through a
real SMTP server, retried when the server refuses, taken again after a worker died, and never
lost. The SMTP server is aiosmtpd on a free loopback port."""

from __future__ import annotations

import datetime
import email
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ascnhub.common import mail
from ascnhub.common.models import OutgoingEmail
from tests.events.factories import form_data, make_meeting

pytestmark = pytest.mark.django_db


class Mailbox:
    """An SMTP server's handler that refuses the first `refuse` deliveries with a temporary error."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.received: list[email.message.Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 mailbox busy, try again later"
            self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    box = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "ascnhub.common.mail.OutboxBackend"
    settings.ASCNHUB_EMAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    yield box
    controller.stop()


def _make_due(*emails: OutgoingEmail) -> None:
    OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_registration_email_reaches_the_smtp_server_with_its_calendar(
    client, smtp, django_capture_on_commit_callbacks
):
    make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/meetings/hlm-test/register/city/", form_data())
    assert response.status_code == 302
    stored = OutgoingEmail.objects.get()
    assert stored.status == "sent" and stored.attempts == 1 and stored.recipients == ["sari@test.example"]
    [received] = smtp.received
    assert received["To"] == "sari@test.example" and "Test High Level Meeting" in received["Subject"]
    calendar = [part for part in received.walk() if part.get_content_type() == "text/calendar"]
    assert calendar and "Opening ceremony" in calendar[0].get_payload(decode=True).decode()


def test_a_refusing_server_is_retried_until_it_takes_the_message(smtp, django_capture_on_commit_callbacks):
    smtp.refuse = 2
    with django_capture_on_commit_callbacks(execute=True):
        EmailMessage("Your agenda", "Table 12 at 10:00", to=["ana@example.org"]).send()
    stored = OutgoingEmail.objects.get()
    assert stored.status == "pending" and stored.attempts == 1 and "451" in stored.last_error
    assert stored.next_attempt_at > timezone.now()  # backs off instead of hammering the server
    assert mail.send_pending() == {}  # not due yet
    _make_due(stored)
    assert mail.send_pending() == {"pending": 1}  # refused a second time
    _make_due(stored)
    assert mail.send_pending() == {"sent": 1}
    stored.refresh_from_db()
    assert stored.status == "sent" and stored.attempts == 3 and stored.last_error == ""
    assert [m["Subject"] for m in smtp.received] == ["Your agenda"]


def test_a_change_that_rolls_back_sends_nothing(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        EmailMessage("Approved", "Welcome", to=["ana@example.org"]).send()
        raise RuntimeError("the approval failed after the e-mail was written")
    assert not OutgoingEmail.objects.exists() and smtp.received == []


def test_a_worker_that_died_mid_delivery_leaves_the_message_to_be_taken_again(smtp):
    stored = mail.queue([EmailMessage("Reminder", "Your meeting starts soon", to=["ana@example.org"])])[0]
    # A worker claimed it and died before the server answered.
    assert mail._claim(stored.pk, timezone.now())
    assert not mail._claim(stored.pk, timezone.now())  # nobody else takes it while the claim is fresh
    assert mail.send_pending() == {}
    OutgoingEmail.objects.filter(pk=stored.pk).update(claimed_at=timezone.now() - mail.CLAIM_TIMEOUT * 2)
    assert mail.send_pending() == {"sent": 1}
    assert len(smtp.received) == 1


def test_after_the_last_attempt_it_is_kept_as_failed_and_can_be_sent_again(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.ASCNHUB_EMAIL_MAX_ATTEMPTS = 2
    smtp.refuse = 5
    with django_capture_on_commit_callbacks(execute=True):
        EmailMessage("Outcome", "Recommendation 1 is on track", to=["nr@example.org"]).send()
    stored = OutgoingEmail.objects.get()
    _make_due(stored)
    mail.send_pending()
    stored.refresh_from_db()
    assert stored.status == "failed" and stored.attempts == 2  # kept, with the reason, never dropped
    smtp.refuse = 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mail", "retry-failed")
    stored.refresh_from_db()
    assert stored.status == "sent" and len(smtp.received) == 1


def test_attachments_and_alternatives_survive_the_outbox(settings):
    settings.ASCNHUB_EMAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    original = django_mail.EmailMultiAlternatives(
        "バッジ",
        "本文",
        "hub@example.org",
        ["a@example.org"],
        cc=["c@example.org"],
        bcc=["b@example.org"],
        headers={"Content-Language": "ja"},
    )
    original.attach_alternative("<p>本文</p>", "text/html")
    original.attach("agenda.ics", "BEGIN:VCALENDAR", "text/calendar")
    original.attach("badge.pdf", b"%PDF-1.7\x00\xff", "application/pdf")
    stored = mail.queue([original])[0]
    assert stored.recipients == ["a@example.org", "c@example.org", "b@example.org"]
    assert mail.deliver(stored.pk) == "sent"
    [copy] = django_mail.outbox
    assert (copy.subject, copy.body, copy.to, copy.cc, copy.bcc) == (
        "バッジ",
        "本文",
        ["a@example.org"],
        ["c@example.org"],
        ["b@example.org"],
    )
    assert copy.extra_headers["Content-Language"] == "ja" and copy.alternatives[0][0] == "<p>本文</p>"
    assert copy.attachments[0][:2] == ("agenda.ics", "BEGIN:VCALENDAR")
    assert copy.attachments[1][1] == b"%PDF-1.7\x00\xff"


def test_an_unreachable_server_counts_as_a_failed_attempt_with_its_reason(smtp, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    stored = mail.queue([EmailMessage("Agenda", "Table 12", to=["ana@example.org"])])[0]
    assert mail.send_pending() == {"pending": 1}
    stored.refresh_from_db()
    assert stored.attempts == 1 and "ConnectionRefusedError" in stored.last_error
    assert stored.next_attempt_at == stored.last_attempt_at + mail.BACKOFF.pause(1)
