"""Delegations: a profile's owner adds and removes registered colleagues, who then act for it
(requests, agenda in their own time, e-mails); nobody else can change who is in a delegation."""

from __future__ import annotations

import re
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.common.models import ActivityLog
from ascnhub.matchmaking import scheduling, services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import Setup
from tests.events.factories import CategoryFactory, MeetingFactory, RegistrationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _register(meeting, person, *, status="approved", tz="Asia/Jakarta", **extra):
    return RegistrationFactory(
        meeting=meeting,
        category=meeting.categories.get(code="city"),
        user=person.user,
        person=person,
        name=person.name,
        email=person.email,
        status=status,
        timezone=tz,
        **extra,
    )


@pytest.fixture
def colleague(mm, network):
    """A Makassar city official registered for the meeting, in Tokyo time for the trip."""
    person = PersonFactory(name="Andi Makassar", organisation=network.makassar_officer.organisation)
    return _register(mm.meeting, person, tz="Asia/Tokyo", job_title="Head of flood control")


def _url(mm, profile):
    return f"/meetings/{mm.meeting.slug}/matchmaking/p/{profile.public_id}/members/"


def _version(mm):
    return Setup.objects.get(pk=mm.setup.pk).data_version


def test_owner_adds_and_removes_a_member_on_the_profile_page(mm, colleague, client_for):
    client = client_for(mm.makassar.owner.user)
    page = client.get(f"/meetings/{mm.meeting.slug}/matchmaking/profile/").content.decode()
    assert 'id="delegation"' in page and "Andi Makassar · Head of flood control" in page
    before = _version(mm)

    response = client.post(
        _url(mm, mm.makassar),
        {"action": "add", "registration": str(colleague.public_id)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="delegation"') and "<html" not in html
    assert "Andi Makassar joined the delegation." in html and "Remove Andi Makassar" in html
    assert list(mm.makassar.members.all()) == [colleague]
    log = ActivityLog.objects.get(action="add_member")
    assert log.actor == mm.makassar.owner.user and log.changes == {"members": [None, "Andi Makassar"]}
    assert _version(mm) == before + 1

    response = client.post(
        _url(mm, mm.makassar),
        {"action": "remove", "registration": str(colleague.public_id)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Andi Makassar left the delegation." in response.content.decode()
    assert not mm.makassar.members.exists()
    assert ActivityLog.objects.filter(action="remove_member").count() == 1


def test_without_htmx_the_form_posts_and_comes_back_to_the_page(mm, colleague, client_for):
    client = client_for(mm.makassar.owner.user)
    response = client.post(_url(mm, mm.makassar), {"action": "add", "registration": str(colleague.public_id)})
    assert response.status_code == 302 and response["Location"] == _url(mm, mm.makassar)
    page = client.get(response["Location"]).content.decode()
    assert "Andi Makassar joined the delegation." in page and "<h1>Delegation of" in page


def test_members_act_for_the_delegation_in_their_own_time(
    mm, colleague, client_for, django_capture_on_commit_callbacks
):
    services.add_member(mm.makassar.owner.user, mm.makassar, colleague)
    request = services.send_request(None, mm.company, mm.makassar, message="Sensors for the canals?")
    member = client_for(colleague.user)
    base = f"/meetings/{mm.meeting.slug}/matchmaking/"
    assert "Sensors for the canals?" in member.get(base + "requests/").content.decode()
    # The member answers for the delegation.
    member.post(base + f"requests/{request.public_id}/accept/")
    request.refresh_from_db()
    assert request.status == "accepted"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
        scheduling.publish_run(None, run)
    assert colleague.email in {m.to[0] for m in mail.outbox}  # the delegation's e-mails reach members
    agenda = member.get(base + "agenda/").content.decode()
    assert mm.company.name in agenda
    local = agenda.split('data-testid="local-time">')[1].split("</td>")[0]
    assert "(Asia/Tokyo, UTC+09:00)" in local  # the member travels on Tokyo time
    owner_agenda = client_for(mm.makassar.owner.user).get(base + "agenda/").content.decode()
    assert "(Asia/Jakarta, UTC+07:00)" in owner_agenda.split('data-testid="local-time">')[1].split("</td>")[0]


def test_company_staff_build_their_company_delegation(mm, network, client_for):
    staff = _register(mm.meeting, PersonFactory(organisation=network.company_person.organisation))
    city_official = _register(mm.meeting, PersonFactory(organisation=network.makassar_officer.organisation))
    client = client_for(mm.company.owner.user)
    page = client.get(_url(mm, mm.company)).content.decode()
    assert staff.name in page and city_official.name not in page  # only colleagues are offered
    client.post(_url(mm, mm.company), {"action": "add", "registration": str(staff.public_id)})
    assert list(mm.company.members.all()) == [staff]
    # A choice not offered is refused by the form, naming the field; nothing changes.
    response = client.post(
        _url(mm, mm.company),
        {"action": "add", "registration": str(city_official.public_id)},
        HTTP_HX_REQUEST="true",
    )
    assert (
        response.status_code == 400 and "Choose one of the participants listed." in response.content.decode()
    )
    assert list(mm.company.members.all()) == [staff]


@pytest.mark.parametrize(
    "case, code",
    [
        ("other_meeting", "other_meeting"),
        ("pending", "not_registered"),
        ("owner", "owner"),
        ("twice", "already_member"),
        ("other_delegation", "other_delegation"),
        ("other_city", "other_organisation"),
        ("company", "other_organisation"),
    ],
)
def test_bad_members_are_refused_with_the_reason_and_change_nothing(mm, network, colleague, case, code):
    services.add_member(None, mm.makassar, colleague)
    if case == "other_meeting":
        other = MeetingFactory(slug="another-meeting")
        CategoryFactory(meeting=other, code="city")
        who = _register(other, PersonFactory(organisation=network.makassar_officer.organisation))
    elif case == "pending":
        who = _register(
            mm.meeting, PersonFactory(organisation=network.makassar_officer.organisation), status="pending"
        )
    elif case == "owner":
        who = mm.makassar.owner
    elif case == "twice":
        who = colleague
    elif case == "other_delegation":
        who = mm.danang.owner  # Da Nang's officer meets as Da Nang
    elif case == "other_city":
        who = _register(mm.meeting, network.banyuwangi_officer)
    else:
        who = _register(mm.meeting, PersonFactory(organisation=network.company_person.organisation))
    version = _version(mm)
    with pytest.raises(MatchmakingError) as error:
        services.add_member(None, mm.makassar, who)
    assert error.value.code == code and who.name in error.value.message
    assert list(mm.makassar.members.all()) == [colleague] and _version(mm) == version


def test_someone_in_one_delegation_is_not_offered_to_another(mm, network, colleague):
    assert colleague in services.delegation_candidates(mm.makassar)
    services.add_member(None, mm.makassar, colleague)
    assert colleague not in services.delegation_candidates(mm.makassar)
    assert not services.delegation_candidates(mm.danang).exists()
    with pytest.raises(MatchmakingError, match="not in this delegation"):
        services.remove_member(None, mm.danang, colleague)


@pytest.mark.parametrize("who", ["anonymous", "other_company", "other_city_officer", "member", "nr"])
def test_outsiders_cannot_change_a_delegation(mm, network, colleague, client_for, who):
    services.add_member(None, mm.makassar, colleague)
    newcomer = _register(mm.meeting, PersonFactory(organisation=network.makassar_officer.organisation))
    user = {
        "anonymous": None,
        "other_company": network.company_person.user,
        "other_city_officer": network.danang_officer.user,
        "member": colleague.user,
        "nr": network.indonesia_nr.user,
    }[who]
    client = client_for(user)
    url = _url(mm, mm.makassar)
    add = client.post(url, {"action": "add", "registration": str(newcomer.public_id)}, HTTP_HX_REQUEST="true")
    remove = client.post(url, {"action": "remove", "registration": str(colleague.public_id)})
    page = client.get(url)
    if who == "anonymous":
        assert add.status_code == remove.status_code == page.status_code == 302
        assert "/accounts/login/" in page["Location"]
    else:
        assert add.status_code == remove.status_code == 403
    if who == "member":  # a member sees who is in the delegation, without the controls
        html = page.content.decode()
        assert page.status_code == 200 and colleague.name in html
        assert "Remove " not in html and "Add to the delegation" not in html
    elif who != "anonymous":
        assert page.status_code == 403
    assert list(mm.makassar.members.all()) == [colleague]
    assert not ActivityLog.objects.filter(action="remove_member").exists()


def test_organisers_manage_any_delegation(mm, network, colleague, client_for):
    client = client_for(network.secretariat)
    profile_page = client.get(mm.makassar.get_absolute_url()).content.decode()
    assert _url(mm, mm.makassar) in profile_page
    client.post(_url(mm, mm.makassar), {"action": "add", "registration": str(colleague.public_id)})
    assert list(mm.makassar.members.all()) == [colleague]


def test_delegation_page_does_not_grow_queries_with_members(mm, network, client_for):
    client = client_for(mm.makassar.owner.user)
    org = network.makassar_officer.organisation

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(mm, mm.makassar)).status_code == 200
        return len(ctx.captured_queries)

    services.add_member(None, mm.makassar, _register(mm.meeting, PersonFactory(organisation=org)))
    _register(mm.meeting, PersonFactory(organisation=org))  # one candidate
    few = queries()
    for _ in range(4):
        services.add_member(None, mm.makassar, _register(mm.meeting, PersonFactory(organisation=org)))
        _register(mm.meeting, PersonFactory(organisation=org))
    assert mm.makassar.members.count() == 5
    assert queries() == few


def test_a_public_registrant_who_signs_up_with_the_same_verified_email_may_take_part(
    mm, client, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    reg = RegistrationFactory(
        meeting=mm.meeting, email="rina@company.example", status="approved", user=None, person=None
    )
    home = f"/meetings/{mm.meeting.slug}/matchmaking/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "Rina@Company.example",
                "password1": "a-long-pass-1234",
                "password2": "a-long-pass-1234",
            },
        )
    reg.refresh_from_db()
    assert reg.user is None  # not before the address is verified
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    reg.refresh_from_db()
    assert reg.user is not None and reg.user.email.lower() == "rina@company.example"
    html = client.get(home).content.decode()
    assert "Only approved participants" not in html
    assert "Create your matchmaking profile" in html


def test_the_profile_form_shows_slots_from_start_to_end_and_languages_and_zones_by_name(mm, client_for):
    client = client_for(mm.makassar.owner.user)
    url = f"/meetings/{mm.meeting.slug}/matchmaking/profile/"
    html = client.get(url).content.decode()
    slot = mm.setup.slots.order_by("starts_at").first()
    tokyo_start = slot.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    tokyo_end = slot.ends_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo_start:%H:%M}–{tokyo_end:%H:%M} (Asia/Tokyo, UTC+09:00)" in html
    assert '<option value="ja">日本語</option>' in html  # the language of the texts, by its name
    assert 'type="checkbox" name="languages_spoken" value="vi"' in html
    assert 'list="id_timezone-zones"' in html and '<datalist id="id_timezone-zones">' in html
    assert '<select name="timezone"' not in html  # no 600-entry list to scroll
    data = {
        "name": mm.makassar.name,
        "kind": mm.makassar.kind,
        "looking_for": "Flood sensors",
        "offering": "",
        "language": "id",
        "languages_spoken": ["en", "id"],
        "mode": mm.makassar.mode,
        "timezone": "Asia/Makassar",
        "visible": "on",
    }
    assert client.post(url, data).status_code == 302
    mm.makassar.refresh_from_db()
    assert mm.makassar.languages_spoken == "en,id" and mm.makassar.timezone == "Asia/Makassar"
    html = client.post(url, {**data, "timezone": "Makassar"}).content.decode()
    assert "“Makassar” is not a known time zone" in html
    mm.makassar.refresh_from_db()
    assert mm.makassar.timezone == "Asia/Makassar"
