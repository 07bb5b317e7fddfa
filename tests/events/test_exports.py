"""iCalendar (public and personal), participant lists (CSV/XLSX), printable agenda."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from icalendar import Calendar

from ascnhub.events.services import publish_agenda
from tests.events.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_public_agenda_ics_has_every_session_in_utc_and_no_online_links(client, hlm):
    response = client.get("/meetings/hlm-test/agenda.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Opening ceremony", "Forum: Water", "Forum: Mobility"}
    opening = events["Opening ceremony"]
    assert opening.decoded("dtstart").isoformat() == "2021-10-18T00:30:00+00:00"  # 09:30 in Tokyo
    assert str(opening["uid"]) == f"{hlm.opening.public_id}@ascnhub"
    assert "Main Hall" in str(opening["location"])
    body = response.content.decode()
    assert "meet.test.example" not in body and "join" not in body.lower()


def test_public_agenda_keeps_uids_and_raises_sequence_when_a_session_changes(client, hlm):
    def events():
        cal = Calendar.from_ical(client.get("/meetings/hlm-test/agenda.ics").content)
        return {str(e["uid"]): e for e in cal.walk("VEVENT")}

    before = events()
    uid = f"{hlm.opening.public_id}@ascnhub"
    assert all(int(e["sequence"]) == 0 and e.get("dtstamp") for e in before.values())
    hlm.opening.starts_at += datetime.timedelta(minutes=30)
    hlm.opening.ends_at += datetime.timedelta(minutes=30)
    hlm.opening.save()
    moved = events()
    # The same event, one step newer: a subscribed calendar moves it instead of adding a copy.
    assert set(moved) == set(before) and int(moved[uid]["sequence"]) == 1
    publish_agenda(None, hlm.meeting, note="Opening later")
    published = events()
    assert int(published[uid]["sequence"]) == 1
    assert all(int(e["sequence"]) == 0 for key, e in published.items() if key != uid)


def test_unpublished_agenda_exports_nothing(client, hlm):
    hlm.meeting.agenda_versions.all().delete()
    cal = Calendar.from_ical(client.get("/meetings/hlm-test/agenda.ics").content)
    assert cal.walk("VEVENT") == []


def test_personal_ics_carries_own_join_links_for_online_participants_only(client, hlm):
    online = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online")
    body = (
        client.get(f"/meetings/hlm-test/registration/{online.public_id}/calendar.ics?key={online.secret}")
        .content.decode()
        .replace("\r\n ", "")
    )
    assert f"r={online.public_id}" in body and "meet.test.example" not in body
    in_person = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="in_person")
    body = client.get(
        f"/meetings/hlm-test/registration/{in_person.public_id}/calendar.ics?key={in_person.secret}"
    ).content.decode()
    assert "join" not in body.lower() and "Opening ceremony" in body


def test_participant_exports_for_organisers(client_for, network, hlm):
    RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, name="สมศรี ใจดี", country="TH")
    RegistrationFactory(meeting=hlm.meeting, category=hlm.city, name="Andi", country="ID", status="pending")
    sec = client_for(network.secretariat)
    csv_text = sec.get("/meetings/hlm-test/manage/participants.csv").content.decode("utf-8-sig")
    header = csv_text.splitlines()[0]
    assert "name" in header and "email" in header and "category" in header
    assert "สมศรี ใจดี" in csv_text and "Thailand" in csv_text and "Government delegation" in csv_text
    assert "meet.test.example" not in csv_text
    filtered = sec.get("/meetings/hlm-test/manage/participants.csv?status=pending").content.decode(
        "utf-8-sig"
    )
    assert "Andi" in filtered and "สมศรี" not in filtered
    xlsx = sec.get("/meetings/hlm-test/manage/participants.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "สมศรี ใจดี" in values
    assert sec.get("/meetings/hlm-test/manage/participants.exe").status_code == 404


def test_printable_agenda_pdf(client, hlm):
    response = client.get("/meetings/hlm-test/agenda.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
