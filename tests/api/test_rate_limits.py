"""Rate limits on API writes and sign-in, counted where every web process sees them.

The `default` cache is the database (migration common 0003): with one cache per process, each of
`ascnhub serve`'s processes would allow the full limit again.
"""

from __future__ import annotations

import pytest
from django.db import connection

from ascnhub.api.services import issue_token

pytestmark = pytest.mark.django_db


def _cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ascnhub_cache")
        return cursor.fetchone()[0]


def test_api_writes_beyond_the_limit_are_refused_for_that_token_only(client, network):
    _, token = issue_token(network.makassar_officer.user, "crm", ["manage:webhooks"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"url": "not a url", "events": ["registration.approved"]}
    answers = [
        client.post("/api/v1/webhooks", body, content_type="application/json", **auth).status_code
        for _ in range(61)
    ]
    assert set(answers[:60]) == {400} and answers[60] == 429
    assert _cache_rows() > 0  # the count lives in the database, shared by every process
    _, other = issue_token(network.danang_officer.user, "crm", ["manage:webhooks"])
    response = client.post(
        "/api/v1/webhooks", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}"
    )
    assert response.status_code == 400


def test_repeated_failed_sign_ins_are_slowed_down(client, network):
    user = network.makassar_officer.user
    user.set_password("the-right-one")
    user.save()
    for i in range(5):  # five failures per account in five minutes are allowed
        page = client.post("/accounts/login/", {"login": user.email, "password": f"wrong-{i}"})
        assert "Too many failed login attempts" not in page.content.decode()
    assert _cache_rows() > 0
    page = client.post("/accounts/login/", {"login": user.email, "password": "the-right-one"})
    assert "Too many failed login attempts" in page.content.decode()  # even the right password waits
    assert "_auth_user_id" not in client.session
