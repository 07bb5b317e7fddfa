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
