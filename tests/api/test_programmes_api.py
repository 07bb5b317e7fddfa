"""The programmes API: what the public pages show (published records, published projects only),
paginated in the database, with the related rows of a page read in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.programmes import services
from ascnhub.programmes.models import CouncilMeeting, CouncilMember, MeetingDocument, StudyDocument
from tests.factories import OrganisationFactory
from tests.programmes.conftest import progs  # noqa: F401  (the programmes' small world)
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_studies_show_the_public_ones_with_their_cities_consortium_and_projects(progs, client):  # noqa: F811
    secret = ProjectFactory(city=progs.net.makassar, slug="secret-pumps", published=False)
    progs.study.projects.add(secret)
    StudyDocument.objects.create(
        study=progs.study, kind="signed_minutes", title="Signed minutes", url="https://example.org/m.pdf"
    )
    body = client.get("/api/v1/studies").json()
    assert body["count"] == 1  # the draft study is left out
    study = body["items"][0]
    assert study["slug"] == progs.study.slug and study["programme"] == "test-jamp"
    assert study["fiscal_year"] == 2021 and study["cities"] == ["makassar"]
    assert study["consortium"] == [{"slug": "kaizen-consulting", "name": "Kaizen Consulting"}]
    assert study["projects"] == ["mks-shelters"]  # not the draft project
    assert study["deliverables"] == ["Site survey", "Design"]
    assert study["documents"][0]["kind"] == "signed_minutes"
    assert client.get(f"/api/v1/studies/{progs.draft.slug}").status_code == 404
    assert client.get("/api/v1/studies?fiscal_year=2022").json()["count"] == 0
    assert client.get("/api/v1/studies?city=da-nang").json()["count"] == 0
    programme = client.get("/api/v1/programmes/test-jamp").json()
    assert programme["studies"] == [progs.study.slug] and programme["funder"]["slug"] == "kaizen-consulting"


def test_agreements_carry_their_items_statuses_and_updates(progs, client):  # noqa: F811
    services.add_item_update(
        progs.net.secretariat,
        progs.items[1],
        date=datetime.date(2023, 3, 1),
        status="in_progress",
        note="Ten shelters installed.",
    )
    agreement = client.get(f"/api/v1/agreements/{progs.mou.slug}").json()
    assert agreement["study"] == progs.study.slug and agreement["cities"] == ["makassar"]
    first, second = agreement["items"]
    assert (first["number"], first["status"], first["projects"]) == (1, "in_progress", ["mks-shelters"])
    assert first["updates"] == [
        {"date": "2023-03-01", "status": "in_progress", "note": "Ten shelters installed."}
    ]
    assert (second["number"], second["status"], second["updates"]) == (2, "planned", [])
    assert client.get("/api/v1/agreements?status=in_progress").json()["count"] == 1
    assert client.get("/api/v1/agreements?status=done").json()["count"] == 0
    assert client.get("/api/v1/agreements?status=nonsense").status_code == 422


def test_councils_list_members_and_meetings(progs, client):  # noqa: F811
    CouncilMember.objects.create(council=progs.council, organisation=progs.consultant, role="Adviser")
    meeting = CouncilMeeting.objects.create(
        council=progs.council, date=datetime.date(2024, 6, 1), title="First"
    )
    MeetingDocument.objects.create(meeting=meeting, title="Minutes", url="https://example.org/min.pdf")
    council = client.get("/api/v1/councils?city=banyuwangi").json()["items"][0]
    assert council["members"] == [
        {"name": "Kaizen Consulting", "organisation": "Kaizen Consulting", "role": "Adviser"}
    ]
    assert council["meetings"][0]["documents"] == [{"title": "Minutes", "url": "https://example.org/min.pdf"}]
    progs.council.published = False
    progs.council.save()
    assert client.get("/api/v1/councils").json()["count"] == 0
    assert client.get(f"/api/v1/councils/{progs.council.slug}").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/studies", "/api/v1/agreements", "/api/v1/councils", "/api/v1/programmes"]
)
def test_a_page_costs_the_same_queries_for_few_and_many_rows(progs, client, path):  # noqa: F811
    # One member of each kind, so that the first page already reads every relation.
    CouncilMember.objects.create(council=progs.council, organisation=progs.consultant, role="Adviser")
    CouncilMember.objects.create(council=progs.council, person=progs.net.company_person, role="Member")
    client.get(path + "?page_size=50")
    with CaptureQueriesContext(connection) as few:
        client.get(path + "?page_size=50")
    for n in range(6):
        org = OrganisationFactory()
        study = services.create_study(
            None,
            {"programme": progs.programme, "title": f"Study {n}", "theme": "Water", "fiscal_year": 2020 + n},
            cities=[progs.net.makassar],
            consortium=[org],
            projects=[progs.project],
        )
        services.create_agreement(
            None,
            {"title": f"MoU {n}", "signed_on": datetime.date(2022, 1, 1 + n), "study": study},
            cities=[progs.net.danang],
            organisations=[org],
            items=[{"number": 1, "title": "One", "projects": [progs.project]}, {"number": 2, "title": "Two"}],
        )
        council = type(progs.council).objects.create(
            city=progs.net.danang,
            slug=f"council-{n}",
            name=f"Council {n}",
            established_on=datetime.date(2024, 1, 1),
        )
        CouncilMember.objects.create(council=council, organisation=org, role="Member")
    with CaptureQueriesContext(connection) as many:
        body = client.get(path + "?page_size=50").json()
    assert body["count"] >= 1
    assert len(many) == len(few)
    if body["count"] > 1:
        pages = client.get(path + "?page=2&page_size=1").json()
        assert pages["page"] == 2 and len(pages["items"]) == 1 and pages["count"] == body["count"]
