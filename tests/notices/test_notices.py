"""The notification centre: notices, the bell, mark-read, preferences and the daily digest."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.notices import services
from ascnhub.notices.errors import NoticesError
from ascnhub.notices.models import Notification, Preference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _outbox_to(email: str) -> list:
    return [m for m in mail.outbox if email in m.to]


def test_a_notice_is_emailed_at_once_by_default_and_the_bell_counts_it(client_for):
    user = UserFactory()
    services.notify(user, "request_received", "Makassar asks to meet you", "/notices/")
    assert [m.subject for m in _outbox_to(user.email)] == ["Makassar asks to meet you"]
    html = client_for(user).get("/").content.decode()
    assert '<span class="bell-count">1</span>' in html


def test_in_app_only_sends_no_email_and_digest_sends_one_message_for_many(client_for):
    user = UserFactory()
    services.set_preferences(user, {"request_received": "in_app", "schedule_changed": "digest"})
    services.notify(user, "request_received", "Request one")
    services.notify(user, "schedule_changed", "Your schedule changed")
    services.notify(user, "schedule_changed", "Your schedule changed again")
    assert _outbox_to(user.email) == []
    assert services.send_digests() == 1
    (digest,) = _outbox_to(user.email)
    body = digest.body
    assert "Your schedule changed" in body and "changed again" in body and "Request one" not in body
    # Nothing is sent twice.
    assert services.send_digests() == 0
    assert len(_outbox_to(user.email)) == 1


def test_digest_command_reports_what_it_sent():
    from io import StringIO

    from django.core.management import call_command

    user = UserFactory()
    services.set_preferences(user, {"reminder": "digest"})
    services.notify(user, "reminder", "Commitment due on Friday")
    out = StringIO()
    call_command("notices", "digest", stdout=out)
    assert "1 digest(s)" in out.getvalue()


def test_mark_read_one_and_all_and_never_someone_elses(client_for):
    user, other = UserFactory(), UserFactory()
    first = services.notify(user, "reminder", "First", "/knowledge/")
    services.notify(user, "reminder", "Second")
    theirs = services.notify(other, "reminder", "Theirs")
    client = client_for(user)
    response = client.post(f"/notices/{first.pk}/read/", {"next": first.url})
    assert response.status_code == 302 and response["Location"] == "/knowledge/"
    assert services.unread_count(user) == 1
    # Someone else's notice stays unread, and the user is told there is no such notice.
    response = client.post(f"/notices/{theirs.pk}/read/", follow=True)
    assert "There is no such notice." in response.content.decode()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    client.post("/notices/read/")
    assert services.unread_count(user) == 0
    assert '<span class="bell-count">0</span>' in client.get("/notices/").content.decode()


def test_an_off_site_next_is_not_followed(client_for):
    user = UserFactory()
    notice = services.notify(user, "reminder", "Hi")
    response = client_for(user).post(f"/notices/{notice.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notices/"


def test_preferences_page_saves_and_refuses_unknown_choices(client_for):
    user = UserFactory()
    client = client_for(user)
    page = client.get("/notices/preferences/").content.decode()
    assert "Meeting request received" in page and "Daily digest e-mail" in page
    data = dict.fromkeys(services.preferences_of(user), "email")
    data["mailing"] = "digest"
    assert client.post("/notices/preferences/", data).status_code == 302
    assert services.preferences_of(user)["mailing"] == "digest"
    data["mailing"] = "pigeon"
    response = client.post("/notices/preferences/", data)
    assert response.status_code == 400
    assert services.preferences_of(user)["mailing"] == "digest"


def test_unknown_kind_or_delivery_is_refused_and_writes_nothing():
    user = UserFactory()
    with pytest.raises(NoticesError, match="“gossip” is not a kind of notice"):
        services.set_preferences(user, {"reminder": "digest", "gossip": "email"})
    with pytest.raises(NoticesError, match="“pigeon” is not a way"):
        services.set_preferences(user, {"reminder": "pigeon"})
    assert not Preference.objects.exists()
    with pytest.raises(NoticesError):
        services.notify(user, "gossip", "x")
    assert not Notification.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get("/notices/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("n", [1, 25])
def test_the_bell_costs_one_query_however_many_notices(client_for, n):
    user = UserFactory()
    for i in range(n):
        services.notify(user, "reminder", f"Notice {i}")
    client = client_for(user)
    client.get("/")  # warm
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/").content.decode()
    assert f'<span class="bell-count">{n}</span>' in html
    counts = [q["sql"] for q in ctx.captured_queries if "notices_notification" in q["sql"]]
    assert len(counts) == 1
