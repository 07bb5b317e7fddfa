"""Reminders before due dates: sent once per due date, in the recipient's language, from cron or a task."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _

from ascnhub.followup import services
from ascnhub.followup.models import ActionItem, ReminderSent
from ascnhub.registry.models import Person
from tests.followup.factories import CommitmentFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def due_soon(network):
    Person.objects.filter(pk=network.indonesia_nr.pk).update(preferred_language="id")
    Person.objects.filter(pk=network.makassar_officer.pk).update(preferred_language="ja")
    return {
        "country": CommitmentFactory(
            member_state=network.indonesia,
            due_date=TODAY + datetime.timedelta(days=10),
            description="Write the process chapter",
        ),
        "city": CommitmentFactory(
            party_kind="city",
            city=network.makassar,
            due_date=TODAY + datetime.timedelta(days=3),
            description="Pilot flood sensors",
        ),
        "far": CommitmentFactory(member_state=network.vietnam, due_date=TODAY + datetime.timedelta(days=60)),
        "done": CommitmentFactory(
            member_state=network.vietnam, due_date=TODAY + datetime.timedelta(days=2), status="completed"
        ),
    }


def test_reminders_go_to_those_responsible_once_in_their_language(network, due_soon):
    assert services.send_reminders(today=TODAY) == {"sent": 2, "skipped": 0, "failed": 0}
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {network.indonesia_nr.email, network.makassar_officer.email}
    nr_mail = by_to[network.indonesia_nr.email]
    with translation.override("id"):
        assert nr_mail.subject == _("Due on %(date)s: %(what)s") % {
            "date": "2026-03-11",
            "what": "Write the process chapter",
        }
    assert "Write the process chapter" in nr_mail.body and "11 Maret 2026" in nr_mail.body  # Indonesian dates
    assert f"/outcomes/commitments/{due_soon['country'].public_id}/" in nr_mail.body
    officer_mail = by_to[network.makassar_officer.email]
    with translation.override("ja"):
        assert officer_mail.subject.startswith(
            _("Due on %(date)s: %(what)s") % {"date": "2026-03-04", "what": ""}
        )
    # Japanese dates
    assert "Pilot flood sensors" in officer_mail.body and "2026年3月4日" in officer_mail.body
    assert {r.recipient: r.language for r in ReminderSent.objects.all()} == {
        network.indonesia_nr.email: "id",
        network.makassar_officer.email: "ja",
    }
    # The next runs (cron every hour, say) send nothing new.
    assert services.send_reminders(today=TODAY)["sent"] == 0
    assert services.send_reminders(today=TODAY + datetime.timedelta(days=1))["sent"] == 0
    assert len(mail.outbox) == 2 and ReminderSent.objects.count() == 2


def test_a_new_due_date_gets_a_new_reminder_and_overdue_items_one_more(network, due_soon):
    services.send_reminders(today=TODAY)
    c = due_soon["city"]
    c.due_date = TODAY + datetime.timedelta(days=5)
    c.save()
    assert services.send_reminders(today=TODAY)["sent"] == 1
    later = TODAY + datetime.timedelta(days=20)  # both now overdue
    assert services.send_reminders(today=later)["sent"] == 2
    assert services.send_reminders(today=later + datetime.timedelta(days=1))["sent"] == 0
    overdue = [m for m in mail.outbox if m.to == [network.indonesia_nr.email]][-1]
    with translation.override("id"):
        assert overdue.subject.startswith(_("Overdue: %(what)s") % {"what": ""})


def test_action_items_are_reminded_too(network):
    c = CommitmentFactory(member_state=network.vietnam, due_date=TODAY + datetime.timedelta(days=90))
    ActionItem.objects.create(
        commitment=c, title="Send the chapter for review", due_date=TODAY + datetime.timedelta(days=1)
    )
    ActionItem.objects.create(commitment=c, title="Already done", due_date=TODAY, done_on=TODAY)
    assert services.send_reminders(today=TODAY)["sent"] == 1
    assert "Send the chapter for review" in mail.outbox[0].body
    assert mail.outbox[0].to == [network.vietnam_nr.email]


def test_a_failed_send_is_retried_next_run(network, due_soon, monkeypatch):
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def flaky(self, *a, **k):
        if self.to == [network.makassar_officer.email]:
            raise ConnectionError("SMTP down")
        return real_send(self, *a, **k)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    assert services.send_reminders(today=TODAY) == {"sent": 1, "skipped": 0, "failed": 1}
    monkeypatch.setattr(EmailMessage, "send", real_send)
    assert services.send_reminders(today=TODAY) == {"sent": 1, "skipped": 1, "failed": 0}


def test_management_command_for_cron(network, due_soon):
    out = io.StringIO()
    call_command("followup", "remind", "--today", TODAY.isoformat(), stdout=out)
    assert "2 sent" in out.getvalue()
    out = io.StringIO()
    call_command("followup", "remind", "--today", TODAY.isoformat(), stdout=out)
    assert "0 sent, 2 already sent" in out.getvalue()


def test_the_task_sends_reminders(network, due_soon, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from ascnhub.followup.tasks import send_reminders

    result = send_reminders.enqueue(days_before=400)
    assert result.return_value["sent"] >= 1


def test_a_reminder_another_worker_is_sending_is_not_sent_twice(network, due_soon, monkeypatch):
    import datetime as dt

    from django.core.mail import EmailMessage
    from django.utils import timezone

    from ascnhub.common import delivery

    real_send = EmailMessage.send
    monkeypatch.setattr(EmailMessage, "send", lambda self, *a, **k: 1 / 0)
    assert services.send_reminders(today=TODAY) == {"sent": 0, "skipped": 0, "failed": 2}
    monkeypatch.setattr(EmailMessage, "send", real_send)
    officer = ReminderSent.objects.get(recipient=network.makassar_officer.email)
    assert officer.status == "pending" and officer.attempts == 1 and "ZeroDivisionError" in officer.last_error
    # Another worker (a sweep) takes the officer's reminder and is still at it: this run leaves it alone.
    delivery.make_due(services.REMINDER_CHANNEL, [officer.pk])
    assert delivery.claim(services.REMINDER_CHANNEL, officer.pk) is not None
    assert services.send_reminders(today=TODAY) == {"sent": 1, "skipped": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [[network.indonesia_nr.email]]
    # That worker died: once its lease is over, the next run sends the reminder, once.
    ReminderSent.objects.filter(pk=officer.pk).update(claimed_at=timezone.now() - dt.timedelta(minutes=6))
    assert services.send_reminders(today=TODAY) == {"sent": 1, "skipped": 1, "failed": 0}
    assert services.send_reminders(today=TODAY) == {"sent": 0, "skipped": 2, "failed": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [network.indonesia_nr.email, network.makassar_officer.email]
    )
    officer.refresh_from_db()
    assert officer.status == "sent" and officer.attempts == 3 and officer.sent_at is not None


def test_a_reminder_that_keeps_failing_is_kept_as_failed_and_can_be_sent_again(
    network, due_soon, monkeypatch, settings
):
    from django.core.mail import EmailMessage

    from ascnhub.common import delivery

    real_send = EmailMessage.send

    def flaky(self, *a, **k):
        if self.to == [network.makassar_officer.email]:
            raise ConnectionError("SMTP down")
        return real_send(self, *a, **k)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    results = [services.send_reminders(today=TODAY) for _ in range(9)]
    assert results[0] == {"sent": 1, "skipped": 0, "failed": 1}
    assert results[7] == {"sent": 0, "skipped": 1, "failed": 1}  # the 8th and last attempt
    assert results[8] == {"sent": 0, "skipped": 2, "failed": 0}  # given up: no 9th attempt
    officer = ReminderSent.objects.get(recipient=network.makassar_officer.email)
    assert (officer.status, officer.attempts) == ("failed", 8)
    assert officer.last_error == "ConnectionError: SMTP down"
    # The secretariat fixes the address and sends it again (the admin's "send again").
    monkeypatch.setattr(EmailMessage, "send", real_send)
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    assert delivery.retry(services.REMINDER_CHANNEL, [officer.pk]) == 1
    assert call_command("deliveries", "sweep", "--channel", "followup-reminder", stdout=io.StringIO()) is None
    officer.refresh_from_db()
    assert officer.status == "sent" and mail.outbox[-1].to == [network.makassar_officer.email]
    assert "Pilot flood sensors" in mail.outbox[-1].body and "2026年3月4日" in mail.outbox[-1].body


def test_a_reminder_for_an_item_closed_meanwhile_is_not_sent(network, due_soon, monkeypatch):
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send
    monkeypatch.setattr(EmailMessage, "send", lambda self, *a, **k: 1 / 0)
    services.send_reminders(today=TODAY)
    monkeypatch.setattr(EmailMessage, "send", real_send)
    city = due_soon["city"]
    city.status = "completed"
    city.save()
    out = io.StringIO()
    call_command("deliveries", "sweep", "--channel", "followup-reminder", stdout=out)
    assert out.getvalue() == "followup-reminder: nothing due\n"  # waiting for its back-off
    from ascnhub.common import delivery

    delivery.make_due(services.REMINDER_CHANNEL, ReminderSent.objects.values_list("pk", flat=True))
    out = io.StringIO()
    call_command("deliveries", "sweep", "--channel", "followup-reminder", stdout=out)
    assert out.getvalue() == "followup-reminder: 1 failed, 1 sent\n"
    officer = ReminderSent.objects.get(recipient=network.makassar_officer.email)
    assert officer.status == "failed" and "closed" in officer.last_error
    assert [m.to for m in mail.outbox] == [[network.indonesia_nr.email]]
