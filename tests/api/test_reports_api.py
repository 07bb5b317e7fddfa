"""API v1 progress reports: a city's officer files reports on its own projects, nobody else does."""

from __future__ import annotations

import pytest

from ascnhub.api.services import issue_token
from ascnhub.projects.models import ProgressReport
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

REPORT = {
    "period_start": "2025-01-01",
    "period_end": "2025-06-30",
    "status": "implementation",
    "physical_planned": 40,
    "physical_actual": 35.5,
    "financial_planned": 45,
    "financial_actual": 30,
    "milestones_met": "Sensors installed\nDashboard live",
    "narrative": "Installation finished in two districts.",
}


@pytest.fixture
def projects(network):
    public = ProjectFactory(city=network.makassar, slug="makassar-home-care")
    draft = ProjectFactory(city=network.makassar, slug="makassar-secret-pumps", published=False)
    return public, draft


def _auth(user, scopes=("write:progress_reports",)) -> dict:
    _, secret = issue_token(user, "city system", list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, slug, auth, **overrides):
    return client.post(
        f"/api/v1/projects/{slug}/reports", {**REPORT, **overrides}, content_type="application/json", **auth
    )


def test_the_officer_files_a_report_that_goes_to_review(client, network, projects):
    public, draft = projects
    auth = _auth(network.makassar_officer.user)
    response = _post(client, public.slug, auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted" and body["physical_actual"] == 35.5 and body["project"] == public.slug
    report = ProgressReport.objects.get(public_id=body["id"])
    assert report.created_by == network.makassar_officer.user and report.submitted_at is not None
    # A draft project too (the officer sees it), and a draft report that is submitted later.
    response = _post(client, draft.slug, auth, submit=False)
    assert response.status_code == 201 and response.json()["state"] == "draft"
    report_id = response.json()["id"]
    response = client.post(f"/api/v1/reports/{report_id}/submit", **auth)
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    again = client.post(f"/api/v1/reports/{report_id}/submit", **auth)
    assert again.status_code == 409 and again.json()["detail"].startswith("state:")
    assert client.get(f"/api/v1/reports/{report_id}", **auth).json()["state"] == "submitted"
    # The country's National Representative reads it (to review it on the site).
    nr = _auth(network.indonesia_nr.user, ["read:private"])
    assert client.get(f"/api/v1/reports/{report_id}", **nr).status_code == 200


def test_another_citys_officer_is_refused(client, network, projects):
    public, draft = projects
    auth = _auth(network.danang_officer.user)
    response = _post(client, public.slug, auth)
    assert response.status_code == 403 and "Makassar" in response.json()["detail"]
    assert _post(client, draft.slug, auth).status_code == 404  # a draft project is not even found
    assert _post(client, "no-such-project", auth).status_code == 404
    mine = _post(client, public.slug, _auth(network.makassar_officer.user), submit=False).json()
    assert client.get(f"/api/v1/reports/{mine['id']}", **auth).status_code == 404
    assert client.post(f"/api/v1/reports/{mine['id']}/submit", **auth).status_code == 404
    assert ProgressReport.objects.count() == 1


def test_scopes_and_field_errors(client, network, projects):
    public, _ = projects
    assert _post(client, public.slug, {}).status_code == 401
    response = _post(client, public.slug, _auth(network.makassar_officer.user, ["write:registrations"]))
    assert response.status_code == 403 and "write:progress_reports" in response.json()["detail"]
    auth = _auth(network.makassar_officer.user)
    response = _post(client, public.slug, auth, period_end="2024-12-31", physical_actual=12.25, narrative="")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"physical_actual", "narrative"} <= set(errors), errors
    response = _post(client, public.slug, auth, period_end="2024-12-31")
    assert response.status_code == 400 and "period_end" in response.json()["errors"]
    response = _post(client, public.slug, auth, physical_planned=120)
    assert response.status_code == 422 and "physical_planned" in response.json()["detail"]
    assert not ProgressReport.objects.exists()
