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
