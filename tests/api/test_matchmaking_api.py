"""API v1 meeting requests: tokens, scopes, and the same rules as the web pages."""

from __future__ import annotations

import pytest

from ascnhub.api.services import issue_token, revoke_token
from ascnhub.matchmaking.models import MeetingRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def mm(network):
    from tests.matchmaking.factories import make_world

    return make_world(network)


def _auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_request_and_answer_through_the_api(client, mm):
    _, makassar = issue_token(mm.makassar.owner.user, "city app", ["write:meeting_requests"])
    _, company = issue_token(mm.company.owner.user, "crm", ["write:meeting_requests"])
    url = f"/api/v1/meetings/{mm.meeting.slug}/matchmaking/requests"
    response = client.post(
        url,
        {"recipient": str(mm.company.public_id), "message": "Hello", "priority": "must"},
        content_type="application/json",
        **_auth(makassar),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["priority"] == "must"
    listed = client.get(url, **_auth(company)).json()
    assert [r["id"] for r in listed] == [body["id"]]
    answer = client.post(
        f"{url}/{body['id']}/answer", {"accept": True}, content_type="application/json", **_auth(company)
    )
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"


def test_api_refusals_name_the_problem_and_change_nothing(client, mm, network):
    url = f"/api/v1/meetings/{mm.meeting.slug}/matchmaking/requests"
    payload = {"recipient": str(mm.company.public_id)}
    assert client.post(url, payload, content_type="application/json").status_code == 401
    token, secret = issue_token(mm.makassar.owner.user, "read only", ["read:private"])
    response = client.post(url, payload, content_type="application/json", **_auth(secret))
    assert response.status_code == 403 and "write:meeting_requests" in response.json()["detail"]
    _, outsider = issue_token(network.outsider, "x", ["write:meeting_requests"])
    assert client.post(url, payload, content_type="application/json", **_auth(outsider)).status_code == 403
    _, good = issue_token(mm.makassar.owner.user, "city app", ["write:meeting_requests"])
    response = client.post(
        url, {"recipient": str(mm.makassar.public_id)}, content_type="application/json", **_auth(good)
    )
    assert response.status_code == 400 and "yourself" in response.json()["detail"]
    response = client.post(url, {"recipient": "not-a-uuid"}, content_type="application/json", **_auth(good))
    assert response.status_code == 422 and "recipient" in response.json()["detail"]
    assert not MeetingRequest.objects.exists()
    # A revoked token stops working at once.
    revoke_token(None, token)
    assert client.get(url, **_auth(secret)).status_code == 401


def test_unknown_scope_is_refused_when_issuing():
    with pytest.raises(ValueError, match="unknown scope"):
        issue_token(None, "x", ["write:everything"])
