"""Contacts after acceptance, by consent: what each side sees of the other, when, and what the
lead exports carry. A third party never sees anything."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ascnhub.matchmaking import scheduling, services
from ascnhub.matchmaking.models import ScheduledMeeting

pytestmark = pytest.mark.django_db


def _share(profile, *, email=False, phone="", handle="", position=False):
    profile.share_email, profile.share_position = email, position
    profile.contact_phone, profile.share_phone = phone, bool(phone)
    profile.contact_handle, profile.share_handle = handle, bool(handle)
    profile.save()


def _page(client_for, viewer, other) -> str:
    url = f"/meetings/{other.setup.meeting.slug}/matchmaking/p/{other.public_id}/"
    response = client_for(viewer.owner.user).get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def sharing(mm):
    mm.company.owner.job_title = "Head of Smart City Sales"
    mm.company.owner.save()
    _share(mm.company, email=True, phone="+81 3 1234 5678", handle="LINE: river-sensors", position=True)
    # Makassar shares its phone only: its e-mail must never appear anywhere.
    _share(mm.makassar, phone="+62 411 555 0101")
    return mm


def test_contacts_appear_only_after_acceptance_and_only_what_was_shared(sharing, client_for):
    mm = sharing
    company_email = mm.company.owner.email
    before = _page(client_for, mm.makassar, mm.company)
    assert company_email not in before and "+81 3 1234 5678" not in before
    assert 'data-testid="shared-contacts"' not in before
    request = services.send_request(mm.company.owner.user, mm.company, mm.makassar)
    # Waiting for an answer is not enough.
    assert "+62 411 555 0101" not in _page(client_for, mm.company, mm.makassar)
    services.answer_request(mm.makassar.owner.user, request, accept=True)
    seen_by_city = _page(client_for, mm.makassar, mm.company)
    for detail in (company_email, "+81 3 1234 5678", "LINE: river-sensors", "Head of Smart City Sales"):
        assert detail in seen_by_city
    seen_by_company = _page(client_for, mm.company, mm.makassar)
    assert "+62 411 555 0101" in seen_by_company
    assert mm.makassar.owner.email not in seen_by_company
    # Da Nang has no meeting with either: it sees neither side's details.
    third = _page(client_for, mm.danang, mm.company)
    assert company_email not in third and "+81 3 1234 5678" not in third
    assert "+62 411 555 0101" not in _page(client_for, mm.danang, mm.makassar)


def test_a_declined_request_shares_nothing(sharing, client_for):
    mm = sharing
    request = services.send_request(mm.company.owner.user, mm.company, mm.makassar)
    services.answer_request(mm.makassar.owner.user, request, accept=False)
    assert mm.company.owner.email not in _page(client_for, mm.makassar, mm.company)


def test_the_profile_form_offers_each_choice(mm, client_for):
    html = client_for(mm.company.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/profile/").content
    for label in (b"share my e-mail", b"share my phone", b"share my position", b"share my messaging handle"):
        assert label in html.lower()


def _lead(mm):
    request = services.send_request(None, mm.company, mm.makassar)
    services.answer_request(None, request, accept=True)
    services.bump_version(mm.setup)
    run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    scheduling.publish_run(None, run, notify=False)
    meeting = ScheduledMeeting.objects.get(run=run)
    services.give_feedback(None, meeting, mm.makassar, rating=5, follow_up=True)
    return meeting


def test_lead_exports_carry_consenting_contacts_only(sharing, client_for, network):
    mm = sharing
    _lead(mm)
    organiser = client_for(network.secretariat)
    csv_text = organiser.get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/leads.csv").content.decode(
        "utf-8-sig"
    )
    assert csv_text.splitlines()[0].startswith("status,meeting_date,city,organisation,side_1_name")
    assert mm.company.owner.email in csv_text and "+62 411 555 0101" in csv_text
    assert mm.makassar.owner.email not in csv_text
    xlsx = organiser.get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/leads.xlsx").content
    cells = [
        str(c)
        for row in openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert mm.company.owner.email in cells and mm.makassar.owner.email not in cells
    # Each side's own export lists the other side, with what the other side shared.
    city = client_for(mm.makassar.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/my-leads.csv")
    city_text = city.content.decode("utf-8-sig")
    assert mm.company.owner.email in city_text and "LINE: river-sensors" in city_text
    company = client_for(mm.company.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/my-leads.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(company.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and mm.makassar.name in rows[1] and mm.makassar.owner.email not in rows[1]
    assert "+62 411 555 0101" in rows[1]


def test_lead_exports_are_closed_to_third_parties(sharing, client_for):
    mm = sharing
    _lead(mm)
    danang = client_for(mm.danang.owner.user)
    assert danang.get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/leads.csv").status_code == 403
    own = danang.get(f"/meetings/{mm.meeting.slug}/matchmaking/my-leads.csv").content.decode("utf-8-sig")
    assert mm.company.owner.email not in own and "+62 411 555 0101" not in own
    assert len(own.strip().splitlines()) == 1  # the header only
    assert danang.get(f"/meetings/{mm.meeting.slug}/matchmaking/my-leads.pdf").status_code == 404
