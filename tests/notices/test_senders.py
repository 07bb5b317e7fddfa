"""The platform's e-mails honour the notice preferences; security e-mails always go out."""

from __future__ import annotations

import pytest
from django.core import mail

from ascnhub.matchmaking import services as mm_services
from ascnhub.notices import services
from ascnhub.notices.models import Kind, Notification
from tests.matchmaking.conftest import _immediate_tasks  # noqa: F401
from tests.matchmaking.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def mm(network):
    return make_world(network)


def test_a_meeting_request_follows_the_recipients_preference(mm, django_capture_on_commit_callbacks):
    company_user = mm.company.owner.user
    services.set_preferences(company_user, {"request_received": "in_app"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mm_services.send_request(None, mm.makassar, mm.company)
    assert [m for m in mail.outbox if company_user.email in m.to] == []
    notice = Notification.objects.get(user=company_user)
    assert notice.kind == "request_received" and notice.url.endswith("/matchmaking/requests/")
    # The default is unchanged: e-mail at once.
    services.set_preferences(company_user, {"request_received": "email"})
    with django_capture_on_commit_callbacks(execute=True):
        mm_services.send_request(None, mm.danang, mm.company)
    assert len([m for m in mail.outbox if company_user.email in m.to]) == 1


def test_an_answer_waits_for_the_digest_when_chosen(mm, django_capture_on_commit_callbacks):
    makassar_user = mm.makassar.owner.user
    services.set_preferences(makassar_user, {"request_answered": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        request = mm_services.send_request(None, mm.makassar, mm.company)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mm_services.answer_request(None, request, accept=True)
    assert [m for m in mail.outbox if makassar_user.email in m.to] == []
    assert services.send_digests() == 1
    (digest,) = [m for m in mail.outbox if makassar_user.email in m.to]
    assert "Answer to your meeting request" in digest.body


def test_security_emails_ignore_the_preferences(client, network):
    user = network.outsider
    services.set_preferences(user, dict.fromkeys(Kind.values, "in_app"))
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": user.email})
    assert [m for m in mail.outbox if user.email in m.to], "the password reset e-mail must arrive"


def test_a_returned_report_tells_its_author_with_the_comment(network):
    from ascnhub.projects import services as projects
    from ascnhub.projects.models import ProgressReport
    from tests.projects.factories import ProjectFactory, ReportFactory

    officer = network.makassar_officer.user
    report = ReportFactory(
        project=ProjectFactory(city=network.makassar, title="Flood sensors"),
        state=ProgressReport.State.DRAFT,
        created_by=officer,
    )
    projects.submit_report(officer, report)
    mail.outbox.clear()
    projects.review_report(network.indonesia_nr.user, report, approve=False, comment="Add the costs.")
    notice = Notification.objects.get(user=officer, kind="report_reviewed")
    assert notice.text == "Your progress report on Flood sensors was returned: Add the costs."
    assert [m.subject for m in mail.outbox if officer.email in m.to] == [notice.text]


def test_a_commitment_reminder_stays_in_the_platform_when_chosen(network):
    import datetime

    from ascnhub.followup import services as followup
    from tests.followup.factories import CommitmentFactory

    today = datetime.date(2026, 3, 1)
    nr = network.indonesia_nr
    services.set_preferences(nr.user, {"commitment_due": "in_app"})
    CommitmentFactory(member_state=network.indonesia, due_date=today + datetime.timedelta(days=10))
    mail.outbox.clear()
    assert followup.send_reminders(today=today)["sent"] == 1
    assert [m for m in mail.outbox if nr.email in m.to] == []
    notice = Notification.objects.get(user=nr.user)
    assert notice.kind == "commitment_due" and notice.url.startswith("/outcomes/commitments/")
