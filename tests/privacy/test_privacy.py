"""Data-protection rights: export, erasure in place, requests with a grace period, consents."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ascnhub.engine.scheduling import formats, validator
from ascnhub.events.models import Registration
from ascnhub.matchmaking import scheduling
from ascnhub.matchmaking import services as mm_services
from ascnhub.matchmaking.models import ScheduledMeeting
from ascnhub.notices import services as notices
from ascnhub.privacy import services
from ascnhub.privacy.errors import PrivacyError
from ascnhub.privacy.models import ConsentRecord, ErasureRequest
from tests.factories import UserFactory
from tests.matchmaking.factories import make_world

pytestmark = pytest.mark.django_db

NAME = "Siti Rahmawati"
EMAIL = "siti.rahmawati@sensors.example"


@pytest.fixture
def world(network):
    """Siti (the company's person) has a meeting with Makassar in the published schedule."""
    person = network.company_person
    person.name, person.email = NAME, EMAIL
    person.save()
    person.user.email = EMAIL
    person.user.save()
    mm = make_world(network)
    request = mm_services.send_request(None, mm.makassar, mm.company, message=f"Hello {NAME}!")
    mm_services.answer_request(None, request, accept=True)
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    scheduling.publish_run(None, run)
    notices.notify(person.user, "reminder", f"{NAME}, your meeting is tomorrow")
    return mm


def _dump() -> str:
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_after_erase_dumpdata_has_no_trace_and_the_schedule_stands(world, client_for):
    before = _dump()
    assert EMAIL in before and NAME in before
    meetings = ScheduledMeeting.objects.count()
    out = StringIO()
    call_command("privacy", "erase", "--email", EMAIL, "--yes", stdout=out)
    assert "events.registration 1" in out.getvalue()
    after = _dump()
    for trace in (EMAIL, NAME, "siti.rahmawati", json.dumps(NAME)[1:-1]):
        assert trace.lower() not in after.lower(), trace
    # The published schedule still exports and validates.
    world.setup.refresh_from_db()
    run = world.setup.published_run
    instance = formats.instance_from_dict(run.instance)
    assert validator.validate(instance, formats.result_from_dict(run.result)) == []
    assert ScheduledMeeting.objects.count() == meetings == 1
    # The other party's agenda still shows the meeting, with the one who left.
    html = client_for(world.makassar.owner.user).get(f"/meetings/{world.meeting.slug}/matchmaking/agenda/")
    assert "A participant who left" in html.content.decode()
    assert "You have no meeting in the schedule." not in html.content.decode()
    # The registration still counts.
    assert Registration.objects.filter(meeting=world.meeting, name="A participant who left").count() == 1


def test_erasing_twice_or_an_unknown_address_is_refused_and_changes_nothing(world):
    with pytest.raises(CommandError, match="No one with the e-mail nobody@nowhere.example is stored"):
        call_command("privacy", "erase", "--email", "nobody@nowhere.example", "--yes")
    with pytest.raises(CommandError, match="--yes"):
        call_command("privacy", "erase", "--email", EMAIL)
    assert Registration.objects.filter(email=EMAIL).exists()
    services.erase(None, EMAIL)
    before = _dump()
    with pytest.raises(PrivacyError, match="already erased"):
        services.erase(None, EMAIL.upper())
    assert _dump() == before


def test_export_holds_registrations_meetings_and_profile(world, tmp_path):
    target = tmp_path / "siti.zip"
    call_command("privacy", "export", "--email", EMAIL, "--out", str(target), stdout=StringIO())
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        data = json.loads(archive.read("data.json"))
        registrations_csv = archive.read("registrations.csv").decode()
    assert {
        "data.json",
        "registrations.csv",
        "meetings.csv",
        "matchmaking_profiles.csv",
        "person.csv",
    } <= names
    assert data["person"][0]["name"] == NAME and data["account"][0]["email"] == EMAIL
    assert [r["email"] for r in data["registrations"]] == [EMAIL]
    assert len(data["matchmaking_profiles"]) == 1 and len(data["meetings"]) == 1
    assert data["meeting_requests"][0]["message"] == f"Hello {NAME}!"
    assert EMAIL in registrations_csv


def test_export_for_someone_with_nothing_stored_is_refused(db):
    with pytest.raises(PrivacyError, match="Nothing is stored for ghost@nowhere.example"):
        services.export_data("ghost@nowhere.example")
    with pytest.raises(PrivacyError, match="is not an e-mail address"):
        services.export_data("not-an-address")


def test_a_request_waits_for_the_secretariat_or_the_grace_period(world):
    user = world.company.owner.user
    request = services.request_erasure(user)
    with pytest.raises(PrivacyError, match="already asked"):
        services.request_erasure(user)
    assert services.erase_due() == 0  # not yet due
    assert Registration.objects.filter(email=EMAIL).exists()
    ErasureRequest.objects.filter(pk=request.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    out = StringIO()
    call_command("privacy", "erase-due", stdout=out)
    assert "1 request(s) carried out" in out.getvalue()
    assert not Registration.objects.filter(email=EMAIL).exists()
    request.refresh_from_db()
    assert request.status == "done"


def test_a_participant_list_consent_is_recorded_and_can_be_withdrawn(world):
    user = UserFactory()
    services.give_consent(user, "newsletter")
    record = ConsentRecord.objects.get(user=user)
    assert record.text_version and record.withdrawn_at is None
    assert services.withdraw_consent(user, "newsletter") == 1
    assert ConsentRecord.objects.get(user=user).withdrawn_at is not None
    with pytest.raises(PrivacyError, match="not a purpose"):
        services.give_consent(user, "spam")


def test_the_zip_is_a_zip_with_json_and_csv(world):
    data = services.export_data(EMAIL)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(n.endswith((".json", ".csv")) for n in archive.namelist())


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Privacy notice"),
        ("id", "Pemberitahuan privasi"),
        ("ja", "プライバシーに関するお知らせ"),
        ("vi", "Thông báo về quyền riêng tư"),
        ("th", "ประกาศความเป็นส่วนตัว"),
    ],
)
def test_the_privacy_notice_is_in_the_readers_language(client, db, language, heading):
    client.cookies["django_language"] = language
    html = client.get("/privacy/").content.decode()
    assert f"<h1>{heading}</h1>" in html and f'lang="{language}"' in html


def test_a_person_downloads_their_data_and_asks_for_deletion_in_the_browser(world, client_for):
    client = client_for(world.company.owner.user)
    response = client.get("/privacy/my-data/download/")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert json.loads(archive.read("data.json"))["person"][0]["name"] == NAME
    response = client.post("/privacy/my-data/delete/", follow=True)
    assert "will be deleted once the secretariat approves" in response.content.decode()
    assert ErasureRequest.objects.filter(user=world.company.owner.user, status="pending").count() == 1
    response = client.post("/privacy/my-data/delete/", follow=True)
    assert "already asked" in response.content.decode()
    client.post("/privacy/my-data/delete/", {"cancel": "1"})
    assert not ErasureRequest.objects.filter(status="pending").exists()


def test_anonymous_visitors_cannot_download_anything(client, db):
    response = client.get("/privacy/my-data/download/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_registering_with_consent_records_it_once_per_meeting(db):
    from ascnhub.events import services as events
    from tests.events.factories import make_meeting, registration_data

    hlm = make_meeting()
    user = UserFactory(email="sari@test.example")
    reg, _ = events.register(hlm.meeting, hlm.gov, registration_data(), user=user)
    events.decide(None, reg, approve=True)  # announced again: still one record
    (record,) = ConsentRecord.objects.filter(user=user)
    assert (record.purpose, record.scope) == ("participant_list", f"meeting:{hlm.meeting.slug}")
    other = UserFactory(email="budi@test.example")
    events.register(
        hlm.meeting, hlm.gov, registration_data(email=other.email, consent_list=False), user=other
    )
    assert not ConsentRecord.objects.filter(user=other).exists()


def test_a_consent_is_withdrawn_only_by_its_owner(client_for, db):
    owner, other = UserFactory(), UserFactory()
    record = services.give_consent(owner, "newsletter")
    response = client_for(other).post(f"/privacy/my-data/consents/{record.pk}/withdraw/", follow=True)
    assert "There is no such standing consent." in response.content.decode()
    record.refresh_from_db()
    assert record.withdrawn_at is None
    client_for(owner).post(f"/privacy/my-data/consents/{record.pk}/withdraw/")
    record.refresh_from_db()
    assert record.withdrawn_at is not None


def test_retention_lists_in_a_dry_run_then_anonymises_only_that_meeting(world):
    from ascnhub.events.models import Meeting

    meeting = world.meeting  # ended in October 2021
    services.set_retention(meeting, 12)
    with pytest.raises(PrivacyError, match="1 to 120 months"):
        services.set_retention(meeting, 0)
    total = Registration.objects.filter(meeting=meeting).count()
    out = StringIO()
    call_command("privacy", "retention", "--dry-run", stdout=out)
    assert f"{meeting.slug}: would anonymise {total} registration(s)" in out.getvalue()
    assert Registration.objects.filter(email=EMAIL).exists()  # a dry run changes nothing
    call_command("privacy", "retention", stdout=StringIO())
    assert not Registration.objects.filter(meeting=meeting).exclude(name="A participant who left").exists()
    assert Registration.objects.filter(meeting=meeting).count() == total  # the figures stay
    # Not yet due: nothing listed.
    Meeting.objects.filter(pk=meeting.pk).update(end_date=timezone.localdate())
    out = StringIO()
    call_command("privacy", "retention", "--dry-run", stdout=out)
    assert "no meeting is past its retention" in out.getvalue()
