"""The organiser's grid: slots × tables of the published schedule or of a run, filters, one block
per page, a cell opens its meeting, unplaced meetings with the reason, and a query count that does
not grow with the schedule."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.matchmaking import scheduling
from ascnhub.matchmaking import setup as setup_services
from ascnhub.matchmaking.models import MeetingRequest, Profile, ScheduledMeeting, ScheduleRun
from tests.events.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def _published(mm, pairs: int, *, countries=("ID", "TH")):
    """Publish a hand-made run of `pairs` in-person meetings (no solver: this is about the page)."""
    setup = mm.setup
    setup_services.set_locations(None, setup, tables=12, video_rooms=1)
    slots = list(setup.slots.order_by("starts_at"))
    tables = list(setup.locations.filter(kind="table").order_by("code"))
    assignments = []
    for i in range(pairs):
        a, b = (
            Profile.objects.create(
                setup=setup,
                owner=RegistrationFactory(meeting=setup.meeting, category=setup.meeting.categories.first()),
                name=f"Grid {i}{side}",
                kind="city",
                country=countries[i % len(countries)],
                mode="in_person",
                timezone="Asia/Tokyo",
            )
            for side in "ab"
        )
        request = MeetingRequest.objects.create(setup=setup, requester=a, recipient=b, status="accepted")
        assignments.append(
            {"meeting": str(request.public_id), "slot": slots[i % 3].code, "location": tables[i // 3].code}
        )
    run = ScheduleRun.objects.create(
        setup=setup,
        number=1,
        data_version=0,
        status="done",
        instance=scheduling.build_instance(setup),
        result={
            "status": "feasible",
            "assignments": assignments,
            "unscheduled": [],
            "objective": {"breaks": 0},
        },
    )
    scheduling.publish_run(None, run, notify=False)
    return run


def _grid(client, mm, query=""):
    return client.get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/grid/{query}")


def test_the_grid_shows_each_meeting_in_its_cell_and_opens_it(mm, network, client_for):
    run = _published(mm, 4)
    client = client_for(network.secretariat)
    response = _grid(client, mm)
    html = response.content.decode()
    assert response.status_code == 200
    meeting = ScheduledMeeting.objects.select_related("request__requester", "request__recipient").filter(
        run=run
    )[0]
    assert f"{meeting.request.requester.name} — {meeting.request.recipient.name}" in html
    link = f"/meetings/{mm.meeting.slug}/matchmaking/organise/meetings/{meeting.public_id}/"
    assert link in html and 'draggable="true"' in html
    page = client.get(link).content.decode()
    assert meeting.request.requester.name in page and 'name="version"' in page
    # Participants are not organisers.
    assert client_for(mm.makassar.owner.user).get(link).status_code == 403


def test_filters_narrow_the_grid(mm, network, client_for):
    _published(mm, 6)
    client = client_for(network.secretariat)
    html = _grid(client, mm, "?q=Grid+2a").content.decode()
    assert "Grid 2a — Grid 2b" in html and "Grid 1a" not in html
    html = _grid(client, mm, "?country=TH").content.decode()
    assert "Grid 1a — Grid 1b" in html and "Grid 0a" not in html  # odd meetings are Thai
    html = _grid(client, mm, "?table=T02").content.decode()
    assert "Grid 3a" in html and "Grid 0a" not in html  # meetings 3-5 are at table 2
    assert "Table 1" not in html


def test_the_grid_query_count_does_not_grow_with_the_schedule(mm, network, client_for):
    client = client_for(network.secretariat)
    _published(mm, 3)
    with CaptureQueriesContext(connection) as small:
        assert _grid(client, mm).status_code == 200
    ScheduledMeeting.objects.all().delete()
    ScheduleRun.objects.all().delete()
    MeetingRequest.objects.all().delete()
    _published(mm, 30)
    with CaptureQueriesContext(connection) as large:
        html = _grid(client, mm).content.decode()
    assert html.count('draggable="true"') == 30
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:120] for q in large.captured_queries
    ]


def test_a_draft_run_is_shown_read_only_with_its_unplaced_meetings(mm, network, client_for):
    mm.danang.unavailable.set(mm.setup.slots.all())
    from ascnhub.matchmaking import services

    request = services.send_request(None, mm.danang, mm.company)
    services.answer_request(None, request, accept=True)
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    html = (
        client_for(network.secretariat)
        .get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/runs/{run.number}/grid/")
        .content.decode()
    )
    assert 'data-testid="unplaced"' in html and "the two sides share no free slot" in html
    assert 'draggable="true"' not in html
