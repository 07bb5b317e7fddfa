"""API v1 registrations: an integrator registers people, with the same rules as the web form."""

from __future__ import annotations

import pytest

from ascnhub.api.services import issue_token
from ascnhub.common.models import ActivityLog
from ascnhub.events.models import Registration
from tests.events.factories import RegistrationFactory, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }


@pytest.fixture
def hlm(network):
    return make_meeting(network)


@pytest.fixture
def integrator(network):
    """The Indonesian NR's delegation system, with a registrations token."""
    user = network.indonesia_nr.user
    _, secret = issue_token(user, "delegation system", ["write:registrations"])
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "user": user}


def _post(client, hlm, auth, **overrides):
    payload = {
        "category": "city",
        "name": "Sari Wulandari",
        "email": "sari@makassar.test",
        "organisation_name": "Kota Makassar",
        "country": "ID",
        "language": "id",
        "timezone": "Asia/Makassar",
        "consent_list": True,
    }
    payload.update(overrides)
    headers = {k: v for k, v in auth.items() if k.startswith("HTTP_")}
    return client.post(
        f"/api/v1/meetings/{hlm.meeting.slug}/registrations",
        payload,
        content_type="application/json",
        **headers,
    )


def test_an_integrator_registers_someone_and_reads_the_status(client, hlm, integrator):
    response = _post(client, hlm, integrator)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "approved" and body["category"] == "city" and body["mode"] == "online"
    registration = Registration.objects.get(public_id=body["id"])
    # Registered on behalf of someone else: not the integrator's own registration.
    assert registration.user is None and registration.timezone == "Asia/Makassar"
    assert ActivityLog.objects.filter(action="register_via_api", actor=integrator["user"]).exists()
    headers = {"HTTP_AUTHORIZATION": integrator["HTTP_AUTHORIZATION"]}
    url = f"/api/v1/meetings/{hlm.meeting.slug}/registrations"
    one = client.get(f"{url}/{body['id']}", **headers)
    assert one.status_code == 200 and one.json()["status"] == "approved"
    listed = client.get(url, **headers).json()
    assert [r["id"] for r in listed["items"]] == [body["id"]]


def test_capacity_waiting_list_and_approval_rules_are_the_services(client, hlm, integrator):
    # "private" holds 3 places and asks a question; "government" waits for the NR's approval.
    for i in range(3):
        RegistrationFactory(meeting=hlm.meeting, category=hlm.private, email=f"p{i}@test.example")
    response = _post(client, hlm, integrator, category="private", answers={"sector": "Water"})
    assert response.status_code == 201 and response.json()["status"] == "waitlisted"
    response = _post(client, hlm, integrator, category="government", email="gov@kemendagri.test")
    assert response.status_code == 201 and response.json()["status"] == "pending"


def test_wrong_fields_are_named_and_nothing_is_stored(client, hlm, integrator):
    response = _post(
        client, hlm, integrator, email="not-an-address", country="XX", timezone="Mars/Olympus", name=" "
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"email", "country", "timezone", "name"} <= set(errors)
    assert "email:" in response.json()["detail"]
    response = _post(client, hlm, integrator, category="private")  # its question is required
    assert response.status_code == 400 and "answers.sector" in response.json()["errors"]
    response = _post(client, hlm, integrator, category="city", answers={"shoe_size": "42"})
    assert response.status_code == 400 and "answers.shoe_size" in response.json()["errors"]
    response = _post(client, hlm, integrator, category="vip")
    assert response.status_code == 400 and "city" in response.json()["errors"]["category"][0]
    response = _post(client, hlm, integrator, name="Sari\x00")
    assert response.status_code == 400 and "name" in response.json()["errors"]
    assert not Registration.objects.exists()


def test_duplicates_conflict_and_a_repeated_key_returns_the_first(client, hlm, integrator):
    first = _post(client, hlm, integrator, idempotency_key="crm-42")
    again = _post(client, hlm, integrator, idempotency_key="crm-42")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    duplicate = _post(client, hlm, integrator, idempotency_key="crm-43", email="SARI@makassar.test")
    assert duplicate.status_code == 409 and duplicate.json()["detail"].startswith("email:")
    assert Registration.objects.count() == 1


def test_closed_meeting_scopes_and_privacy(client, hlm, integrator, network):
    assert _post(client, hlm, {}).status_code == 401
    _, read_only = issue_token(network.indonesia_nr.user, "x", ["read:private"])
    response = _post(client, hlm, {"HTTP_AUTHORIZATION": f"Bearer {read_only}"})
    assert response.status_code == 403 and "write:registrations" in response.json()["detail"]
    created = _post(client, hlm, integrator).json()
    # Another integrator neither lists nor reads it.
    _, other = issue_token(network.danang_officer.user, "other", ["write:registrations"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {other}"}
    url = f"/api/v1/meetings/{hlm.meeting.slug}/registrations"
    assert client.get(url, **headers).json()["count"] == 0
    assert client.get(f"{url}/{created['id']}", **headers).status_code == 404
    hlm.meeting.status = "closed"
    hlm.meeting.save()
    response = _post(client, hlm, integrator, email="late@test.example")
    assert response.status_code == 409 and "not open" in response.json()["detail"]
    hlm.meeting.status = "draft"
    hlm.meeting.save()
    assert _post(client, hlm, integrator, email="late@test.example").status_code == 404


def test_the_submitter_cancels_and_the_place_goes_to_the_waiting_list(client, hlm, integrator):
    for i in range(2):
        RegistrationFactory(meeting=hlm.meeting, category=hlm.private, email=f"p{i}@test.example")
    mine = _post(client, hlm, integrator, category="private", answers={"sector": "Water"}).json()
    waiting = RegistrationFactory(meeting=hlm.meeting, category=hlm.private, status="waitlisted")
    headers = {"HTTP_AUTHORIZATION": integrator["HTTP_AUTHORIZATION"]}
    url = f"/api/v1/meetings/{hlm.meeting.slug}/registrations/{mine['id']}/cancel"
    response = client.post(url, **headers)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == "approved"


def test_registering_oneself_makes_it_ones_own(client, hlm, network):
    user = network.company_person.user
    _, secret = issue_token(user, "me", ["write:registrations"])
    response = _post(
        client, hlm, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}, category="city", email=user.email.upper()
    )
    assert response.status_code == 201
    assert Registration.objects.get(public_id=response.json()["id"]).user == user
