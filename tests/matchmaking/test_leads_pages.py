"""The city's view of the leads from matchmaking in the projects pages: the officer tracks them and
turns them into partnerships; the National Representative and the secretariat see them; nobody else
learns they exist."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.common.models import ActivityLog
from ascnhub.matchmaking import services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import Lead, MeetingRequest, ScheduledMeeting, ScheduleRun, Setup
from ascnhub.projects.models import Partnership
from tests.factories import PersonFactory
from tests.matchmaking.factories import profile_for
from tests.projects.factories import NeedFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(mm, network):
    """Makassar (whose profile names one need, of its flood-warning project) met the company; Makassar
    wants to follow up."""
    project = ProjectFactory(city=network.makassar, title="Makassar flood warning", slug="makassar-flood")
    need = NeedFactory(city=network.makassar, project=project, title="River-level sensors")
    mm.makassar.needs.add(need)
    request = services.send_request(None, mm.makassar, mm.company)
    services.answer_request(None, request, accept=True)
    meeting = _published_meeting(mm, request)
    services.give_feedback(None, meeting, mm.makassar, rating=5, follow_up=True, comment="Pilot in 2026")
    return Lead.objects.get()


def _published_meeting(mm, request) -> ScheduledMeeting:
    """The accepted request as the one meeting of a published schedule (the solver is tested elsewhere)."""
    run = ScheduleRun.objects.create(setup=mm.setup, number=1, data_version=0, status="published")
    Setup.objects.filter(pk=mm.setup.pk).update(published_run=run)
    return ScheduledMeeting.objects.create(
        run=run, request=request, slot=mm.setup.slots.first(), location=mm.setup.locations.first()
    )


def _detail(lead):
    return f"/leads/{lead.public_id}/"


def test_a_follow_up_opens_a_lead_linked_to_the_citys_need(lead, mm, network):
    assert lead.city == network.makassar and lead.organisation == network.company_person.organisation
    assert lead.need.title == "River-level sensors" and lead.status == "open"


def test_the_officer_sees_the_citys_leads(lead, mm, network, client_for):
    client = client_for(network.makassar_officer.user)
    html = client.get("/leads/").content.decode()
    for text in (
        mm.company.name,
        network.company_person.organisation.name,
        "Test High Level Meeting",
        "River-level sensors",
        "Makassar flood warning",
        "open",
        "1 lead",
    ):
        assert text in html
    assert _detail(lead) in html
    assert "/leads/" in client.get("/needs/").content.decode()  # reached from the city's needs
    assert mm.company.name not in client.get("/leads/?status=dropped").content.decode()
    page = client.get(_detail(lead)).content.decode()
    assert "Track this lead" in page and "It became a partnership" in page


def test_the_officer_tracks_a_lead(lead, network, client_for):
    client = client_for(network.makassar_officer.user)
    other_need = NeedFactory(city=network.makassar, title="Pump controls")
    response = client.post(
        _detail(lead),
        {"action": "update", "status": "dropped", "need": str(other_need.pk), "note": "No budget this year"},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.need, lead.note) == ("dropped", other_need, "No budget this year")
    log = ActivityLog.objects.filter(action="update", object_type="matchmaking.lead").get()
    assert log.actor == network.makassar_officer.user and log.changes["status"] == ["open", "dropped"]
    # Bad input names the field and changes nothing.
    response = client.post(_detail(lead), {"action": "update", "status": "won", "need": ""})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == "dropped" and lead.need == other_need


def test_the_project_page_shows_its_leads_to_the_city_only(lead, network, client_for):
    url = "/projects/makassar-flood/"
    officer_page = client_for(network.makassar_officer.user).get(url).content.decode()
    assert "Leads from business matchmaking" in officer_page and _detail(lead) in officer_page
    for user in (None, network.company_person.user, network.danang_officer.user):
        page = client_for(user).get(url).content.decode()
        assert "Makassar flood warning" in page and _detail(lead) not in page


def test_the_projects_pages_link_to_the_leads(lead, network, client_for):
    """The leads reach the projects pages through their signals, as links (not escaped text)."""
    client = client_for(network.makassar_officer.user)
    page = client.get("/projects/makassar-flood/").content.decode()
    assert '<h2 id="h-leads">Leads from business matchmaking</h2>' in page
    assert f'<a href="{_detail(lead)}">{lead.meeting.request.recipient.name}</a>' in page
    assert '<a href="/leads/">Leads from business matchmaking</a>' in client.get("/needs/").content.decode()
    assert "/leads/" not in client_for(network.company_person.user).get("/needs/").content.decode()


def test_the_officer_turns_a_lead_into_a_partnership(lead, mm, network, client_for):
    client = client_for(network.makassar_officer.user)
    data = {
        "action": "partnership",
        "p-kind": "pilot",
        "p-title": "River sensors pilot in Makassar",
        "p-start_date": "2025-03-01",
        "p-project": "",
        "p-published": "on",
    }
    assert client.post(_detail(lead), data).status_code == 302
    partnership = Partnership.objects.get()
    assert partnership.city == network.makassar and partnership.organisation == lead.organisation
    assert partnership.project.title == "Makassar flood warning"  # from the linked need
    assert "Test High Level Meeting" in partnership.origin
    lead.refresh_from_db()
    assert lead.status == "partnership" and lead.partnership == partnership
    page = client.get(_detail(lead)).content.decode()
    assert "River sensors pilot in Makassar" in page and "Record the partnership" not in page
    # A second attempt is refused with the reason.
    response = client.post(_detail(lead), data, follow=True)
    assert "This lead is already a partnership." in response.content.decode()
    assert Partnership.objects.count() == 1
    # The public counts what matchmaking led to.
    assert client_for(None).get("/partnerships/").content.decode().count("River sensors pilot") == 1


def test_a_bad_partnership_is_refused_and_changes_nothing(lead, network, client_for):
    client = client_for(network.makassar_officer.user)
    response = client.post(_detail(lead), {"action": "partnership", "p-kind": "pilot", "p-title": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    danang_project = ProjectFactory(city=network.danang)
    with pytest.raises(MatchmakingError) as error:
        services.lead_to_partnership(
            None, lead, kind="pilot", title="X", start_date="2025-01-01", project=danang_project
        )
    assert error.value.code == "project_city"
    with pytest.raises(MatchmakingError) as error:
        services.update_lead(None, lead, status="open", need=NeedFactory(city=network.danang))
    assert error.value.code == "need_city"
    lead.refresh_from_db()
    assert lead.status == "open" and not Partnership.objects.exists()


def test_the_national_representative_sees_but_does_not_change(lead, mm, network, client_for):
    nr = client_for(network.indonesia_nr.user)
    assert mm.company.name in nr.get("/leads/").content.decode()
    page = nr.get(_detail(lead))
    assert page.status_code == 200 and "Track this lead" not in page.content.decode()
    assert nr.post(_detail(lead), {"action": "update", "status": "dropped"}).status_code == 403
    other_nr = client_for(network.vietnam_nr.user)
    assert mm.company.name not in other_nr.get("/leads/").content.decode()
    assert other_nr.get(_detail(lead)).status_code == 404
    lead.refresh_from_db()
    assert lead.status == "open"


def test_the_secretariat_sees_and_tracks_every_lead(lead, mm, network, client_for):
    client = client_for(network.secretariat)
    assert mm.company.name in client.get("/leads/").content.decode()
    client.post(_detail(lead), {"action": "update", "status": "dropped", "need": ""})
    lead.refresh_from_db()
    assert lead.status == "dropped" and lead.need is None


@pytest.mark.parametrize("who", ["anonymous", "other_company", "other_city_officer", "participant", "user"])
def test_outsiders_learn_nothing_and_change_nothing(lead, mm, network, client_for, who):
    user = {
        "anonymous": None,
        "other_company": PersonFactory().user,
        "other_city_officer": network.danang_officer.user,
        "participant": network.company_person.user,  # the counterpart: the city's tracking is the city's
        "user": network.outsider,
    }[who]
    client = client_for(user)
    listing = client.get("/leads/")
    if who == "anonymous":
        assert listing.status_code == 302 and "/accounts/login/" in listing["Location"]
    elif who == "other_city_officer":
        assert listing.status_code == 200 and mm.company.name not in listing.content.decode()
    else:
        assert listing.status_code == 403
    assert client.get(_detail(lead)).status_code == 404
    update = client.post(_detail(lead), {"action": "update", "status": "dropped", "need": ""})
    convert = client.post(
        _detail(lead),
        {"action": "partnership", "p-kind": "mou", "p-title": "Sneaky", "p-start_date": "2025-01-01"},
    )
    assert update.status_code == convert.status_code == 404
    lead.refresh_from_db()
    assert lead.status == "open" and lead.need is not None and not Partnership.objects.exists()
    assert not ActivityLog.objects.filter(object_type="matchmaking.lead").exists()


def test_the_organisers_page_still_tracks_leads(lead, mm, network, client_for):
    client = client_for(network.secretariat)
    url = f"/meetings/{mm.meeting.slug}/matchmaking/organise/leads/"
    assert mm.makassar.name in client.get(url).content.decode()
    client.post(url, {"lead": str(lead.public_id), "status": "dropped"})
    lead.refresh_from_db()
    assert lead.status == "dropped" and lead.need is not None  # the link is kept


def _more_leads(mm, network, n: int) -> None:
    """n more leads of Makassar, each from a meeting with another company, straight into the schedule."""
    mm.setup.refresh_from_db()
    run = mm.setup.published_run
    used = set(ScheduledMeeting.objects.filter(run=run).values_list("slot_id", "location_id"))
    free = [
        (s, loc)
        for s, loc in itertools.product(mm.setup.slots.all(), mm.setup.locations.all())
        if (s.pk, loc.pk) not in used
    ]
    for slot, location in free[:n]:
        company = profile_for(mm.setup, PersonFactory(), kind="company", country="JP", offering="Anything")
        request = MeetingRequest.objects.create(
            setup=mm.setup, requester=mm.makassar, recipient=company, status="accepted"
        )
        meeting = ScheduledMeeting.objects.create(run=run, request=request, slot=slot, location=location)
        need = NeedFactory(city=network.makassar, project=ProjectFactory(city=network.makassar))
        Lead.objects.create(
            meeting=meeting, city=network.makassar, organisation=company.organisation, need=need
        )


@pytest.mark.parametrize("who", ["makassar_officer", "secretariat"])
def test_the_leads_list_does_not_grow_queries_with_leads(lead, mm, network, client_for, who):
    user = network.secretariat if who == "secretariat" else network.makassar_officer.user
    client = client_for(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/leads/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    _more_leads(mm, network, 5)
    assert Lead.objects.count() == 6
    html = client.get("/leads/").content.decode()
    assert "6 leads" in html
    assert queries() == few


def test_the_lead_names_its_counterpart_once_and_the_menu_links_the_leads(lead, mm, network, client_for):
    organisation = network.company_person.organisation
    mm.company.name = organisation.name  # as in the demo: the company's profile is named after it
    mm.company.save()
    client = client_for(network.makassar_officer.user)
    html = client.get(_detail(lead)).content.decode()
    counterpart = html[
        html.index("<dt>Counterpart</dt>") : html.index("</dd>", html.index("<dt>Counterpart</dt>"))
    ]
    assert counterpart.count(organisation.name) == 1
    assert f'href="{organisation.get_absolute_url()}"' in counterpart
    assert '<li><a href="/leads/">Leads</a></li>' in client.get("/").content.decode()
    # People who have no city's leads to see are not offered the link.
    assert 'href="/leads/"' not in client_for(network.outsider).get("/").content.decode()
    assert 'href="/leads/"' not in client_for(network.company_person.user).get("/").content.decode()
