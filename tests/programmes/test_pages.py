"""Public pages of programmes, studies, agreements and councils; the city page and the outcomes
tracker list them; drafts stay private; the demo loads twice with the same result."""

from __future__ import annotations

import pytest

from ascnhub.programmes import demo as programmes_demo
from ascnhub.programmes.models import Agreement, Council, Study
from ascnhub.projects import demo as projects_demo
from ascnhub.registry import demo as registry_demo

pytestmark = pytest.mark.django_db


def test_study_page_shows_what_the_study_is(progs, client):
    body = client.get(progs.study.get_absolute_url()).content.decode()
    for text in ["Smart bus shelters", "Public transport", "FY2021", "Kaizen Consulting", "1 September 2021"]:
        assert text in body, text
    assert "Site survey" in body and "Design" in body
    assert progs.project.get_absolute_url() in body
    assert progs.mou.get_absolute_url() in body


def test_programme_agreement_and_council_pages(progs, client):
    body = client.get(progs.programme.get_absolute_url()).content.decode()
    assert "Smart bus shelters" in body and "Secret study" not in body
    body = client.get(progs.mou.get_absolute_url()).content.decode()
    assert "1. Bus shelters" in body and "2. Training" in body
    assert "Post a status update" not in body  # anonymous visitors only read
    assert client.get(progs.council.get_absolute_url()).status_code == 200
    listing = client.get("/programmes/").content.decode()
    assert "Test JAMP" in listing and "Makassar MoU" in listing and "Banyuwangi council" in listing


def test_city_page_lists_its_studies_and_agreements(progs, client):
    body = client.get(progs.net.makassar.get_absolute_url()).content.decode()
    assert progs.study.get_absolute_url() in body and progs.mou.get_absolute_url() in body
    assert "Secret study" not in body
    other = client.get(progs.net.danang.get_absolute_url()).content.decode()
    assert "Smart bus shelters" not in other


def test_a_draft_study_is_seen_only_by_the_secretariat(progs, client, client_for):
    url = progs.draft.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client_for(progs.net.makassar_officer.user).get(url).status_code == 404
    assert client_for(progs.net.company_person.user).get(url).status_code == 404
    assert client_for(progs.net.secretariat).get(url).status_code == 200


def test_outcomes_tracker_shows_cooperation_items(progs, client):
    body = client.get("/outcomes/").content.decode()
    assert "Cooperation items of agreements" in body
    assert f"{progs.mou.get_absolute_url()}#item-1" in body


def test_demo_loads_twice_with_the_issue_examples():
    registry_demo.load(lambda s: None)
    projects_demo.load(lambda s: None)
    first = programmes_demo.load(lambda s: None)
    assert programmes_demo.load(lambda s: None) == first
    shelters = Study.objects.get(slug="phnom-penh-smart-bus-shelters-2021")
    assert shelters.fiscal_year == 2021 and [c.name for c in shelters.cities.all()] == ["Phnom Penh"]
    mou = Agreement.objects.get(slug="battambang-smart-city-mou-2022")
    assert mou.signed_on.year == 2022 and mou.study.title == "Battambang smart city master plan"
    assert list(mou.items.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert mou.cities.get().name == "Battambang"
    siem_reap = Council.objects.get(city__name="Siem Reap")
    assert siem_reap.established_on.year == 2024 and siem_reap.members.count() == 4
    assert first["studies"] == 2 and first["cooperation items"] == 4


def test_council_page_shows_members_with_roles_and_meetings_with_documents(progs, client):
    import datetime

    from ascnhub.programmes.models import CouncilMeeting, CouncilMember, MeetingDocument

    CouncilMember.objects.create(
        council=progs.council, organisation=progs.consultant, role="Technical adviser"
    )
    CouncilMember.objects.create(council=progs.council, person=progs.net.banyuwangi_officer, role="Chair")
    meeting = CouncilMeeting.objects.create(
        council=progs.council,
        date=datetime.date(2024, 6, 1),
        title="Inaugural meeting",
        summary="Terms adopted.",
    )
    MeetingDocument.objects.create(
        meeting=meeting, title="Signed minutes", url="https://example.org/minutes.pdf"
    )
    body = client.get(progs.council.get_absolute_url()).content.decode()
    for text in ["Kaizen Consulting", "Technical adviser", progs.net.banyuwangi_officer.name, "Chair"]:
        assert text in body, text
    assert "Inaugural meeting" in body and "Terms adopted." in body
    assert 'href="https://example.org/minutes.pdf"' in body and "Signed minutes" in body
