"""Open data: the OC4IDS package is valid against the shared schema (draft-04), and nothing private
— a draft project, a report not yet approved, a need of a draft project — ever appears in it or in
the CSV/JSON lists."""

from __future__ import annotations

import csv
import io
import json

import pytest
from jsonschema import Draft4Validator

from ascnhub.projects.oc4ids.schema import PACKAGE_SCHEMA, package_errors, project_schema
from tests.projects.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def _package(client) -> dict:
    response = client.get("/open-data/projects.oc4ids.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_oc4ids_package_is_valid_and_complete(world, client, settings):
    package = _package(client)
    assert package_errors(package) == []
    Draft4Validator.check_schema(project_schema())
    for field in ["uri", "publisher", "publishedDate", "version", "projects"]:
        assert package[field], field
    assert package["uri"].endswith("/open-data/projects.oc4ids.json")
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    validator = Draft4Validator(project_schema())
    for project in package["projects"]:
        assert list(validator.iter_errors(project)) == []
    project = next(p for p in package["projects"] if p["title"] == "Makassar home-care visits")
    assert project["id"] == f"{settings.ASCNHUB_OC4IDS_PREFIX}{world.public.public_id}"
    assert project["status"] == "implementation"
    assert {
        "scheme": "ASCF-focusArea",
        "id": "health_wellbeing",
        "description": "Health & well-being",
    } in project["additionalClassifications"]
    assert project["budget"]["amount"] == {"amount": 250000.0, "currency": "USD"}
    assert project["locations"][0]["geometry"]["type"] == "Point"
    roles = {r for party in project["parties"] for r in party["roles"]}
    assert {"publicAuthority", "funder"} <= roles
    metrics = {m["id"]: m for m in project["metrics"]}
    actual = [o for o in metrics["physicalProgress"]["observations"] if o["dimensions"]["type"] == "actual"]
    assert [o["measure"] for o in actual] == [25.0]
    assert [m["title"] for m in project["milestones"]] == ["Tender awarded", "Pilot district live"]


def test_private_things_never_appear_in_open_data(world, client):
    text = client.get("/open-data/projects.oc4ids.json").content.decode()
    assert "Secret flood pumps" not in text and str(world.draft.public_id) not in text
    assert str(world.submitted.public_id) not in text and str(world.draft_report.public_id) not in text
    assert str(world.approved.public_id) in text
    PartnershipFactory(city=world.net.makassar, project=world.draft, title="Secret pump partnership")
    for name in ["projects", "needs", "offers", "partnerships", "progress-reports"]:
        for fmt in ["csv", "json"]:
            body = client.get(f"/open-data/{name}.{fmt}").content.decode()
            for secret in [
                "Secret flood pumps",
                "Secret pump need",
                "Secret pump partnership",
                "Submitted narrative",
                "Draft narrative",
                str(world.draft.public_id),
                str(world.submitted.public_id),
            ]:
                assert secret not in body, (name, fmt, secret)


def test_a_draft_never_appears_even_after_edits(world, client, client_for):
    client_for(world.net.makassar_officer.user).post(
        f"/projects/{world.draft.slug}/edit/",
        {
            "city": world.net.makassar.pk,
            "title": "Secret flood pumps v2",
            "language": "en",
            "description": "x",
            "focus_areas": ["safety_security"],
            "status": "preparation",
            "budget_currency": "",
        },
    )
    world.draft.refresh_from_db()
    assert world.draft.title == "Secret flood pumps v2" and not world.draft.published
    package = _package(client)
    assert package_errors(package) == []
    assert all("Secret" not in p["title"] for p in package["projects"])


def test_lists_as_csv_and_json_follow_the_page_filters(world, client):
    response = client.get("/open-data/projects.csv?city=da-nang")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Da Nang digital map"]
    data = json.loads(client.get("/open-data/projects.json?focus=health_wellbeing").content)
    assert data["license"].startswith("https://creativecommons.org/") and data["count"] == 1
    assert data["items"][0]["focus_areas"] == ["health_wellbeing"]
    assert data["items"][0]["physical_progress"] == 25.0
    offers = json.loads(client.get("/open-data/offers.json").content)
    assert {o["title"] for o in offers["items"]} == {"Watch-over sensors", "Someone else's offer"}
    reports = list(
        csv.DictReader(io.StringIO(client.get("/open-data/progress-reports.csv").content.decode("utf-8-sig")))
    )
    assert [r["narrative"] for r in reports] == ["Approved narrative"]
    assert client.get("/open-data/people.csv").status_code == 404


def test_open_data_page_explains_licence_and_fields(world, client):
    body = client.get("/open-data/").content.decode()
    assert "CC BY 4.0" in body and 'rel="license"' in body
    assert "additionalClassifications" in body and "physical_progress" in body
    assert "/open-data/projects.oc4ids.json" in body and "/open-data/offers.csv" in body


def test_package_schema_requires_the_package_fields():
    errors = list(Draft4Validator(PACKAGE_SCHEMA).iter_errors({"projects": []}))
    missing = {e.message for e in errors}
    assert {
        "'uri' is a required property",
        "'publisher' is a required property",
        "'publishedDate' is a required property",
        "'version' is a required property",
    } <= missing
