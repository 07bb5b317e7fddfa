"""'Accepted' means a meeting or a reason: the meeting limit at acceptance, accepted requests a
published schedule leaves out (why, told once, to both sides), and the ways out: another slot,
meeting online, the organiser's hand."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from ascnhub.api.services import issue_token
from ascnhub.matchmaking import moves, scheduling, services, unplaced
from ascnhub.matchmaking import setup as setup_services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import MeetingRequest, Pin, ScheduledMeeting, Setup, UnplacedRequest
from ascnhub.notices.models import Notification
from tests.factories import PersonFactory
from tests.matchmaking.factories import profile_for

pytestmark = pytest.mark.django_db

BEFORE_THE_DAY = datetime.datetime(2021, 10, 18, 0, 0, tzinfo=datetime.UTC)


def _accept(a, b):
    return services.answer_request(None, services.send_request(None, a, b), accept=True)


def _publish(mm):
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    assert run.status == "done", run.error
    scheduling.publish_run(None, run)
    return run


def _page(client, mm, path="requests/"):
    return client.get(f"/meetings/{mm.meeting.slug}/matchmaking/{path}").content.decode()


def _told(profile) -> int:
    return Notification.objects.filter(kind="request_unplaced", user=profile.owner.user).count()


# --- the meeting limit at acceptance -----------------------------------------------------------


def test_acceptance_beyond_the_recipients_limit_is_refused_naming_whose(mm):
    mm.setup.max_meetings = 1
    mm.setup.save()
    _accept(mm.makassar, mm.company)
    waiting = services.send_request(None, mm.danang, mm.company)
    with (
        translation.override("en"),  # the refusal is worded in the active language
        pytest.raises(
            MatchmakingError, match="delegation already has 1 accepted meeting, the most"
        ) as caught,
    ):
        services.answer_request(None, waiting, accept=True)
    assert caught.value.code == "meeting_limit" and mm.company.name in caught.value.message
    waiting.refresh_from_db()
    assert waiting.status == "pending"
    # Declining is always possible, and a second click on the refused accept changes nothing.
    services.answer_request(None, waiting, accept=False)


def test_acceptance_beyond_the_requesters_limit_is_refused_naming_whose(mm):
    mm.setup.max_meetings = 1
    mm.setup.save()
    _accept(mm.company, mm.makassar)
    asked = services.send_request(None, mm.company, mm.danang)
    with pytest.raises(MatchmakingError) as caught:
        services.answer_request(None, asked, accept=True)
    assert mm.company.name in caught.value.message and mm.danang.name not in caught.value.message
    assert MeetingRequest.objects.filter(status="accepted").count() == 1


def test_automatic_acceptance_respects_the_limit_too(mm):
    mm.setup.max_meetings, mm.setup.auto_accept = 1, True
    mm.setup.save()
    services.send_request(None, mm.makassar, mm.company)
    with pytest.raises(MatchmakingError, match=mm.company.name):
        services.send_request(None, mm.danang, mm.company)
    assert MeetingRequest.objects.count() == 1


def test_the_page_and_the_api_give_the_same_refusal(mm, client_for, client):
    mm.setup.max_meetings = 1
    mm.setup.save()
    _accept(mm.makassar, mm.company)
    by_page = services.send_request(None, mm.danang, mm.company)
    response = client_for(mm.company.owner.user).post(
        f"/meetings/{mm.meeting.slug}/matchmaking/requests/{by_page.public_id}/accept/", follow=True
    )
    assert "already has 1 accepted meeting, the most" in response.content.decode()
    by_page.refresh_from_db()
    assert by_page.status == "pending"
    _, secret = issue_token(mm.company.owner.user, "crm", ["write:meeting_requests"])
    answer = client.post(
        f"/api/v1/meetings/{mm.meeting.slug}/matchmaking/requests/{by_page.public_id}/answer",
        {"accept": True},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "meeting_limit"
    assert mm.company.name in answer.json()["detail"]


# --- after a publication: the reason, told once ------------------------------------------------


def _limit_world(mm):
    """Two accepted meetings of the company, then the organiser lowers the limit to one."""
    _accept(mm.makassar, mm.company)
    _accept(mm.danang, mm.company)
    mm.setup.max_meetings = 1
    mm.setup.save()


def test_an_accepted_request_without_a_slot_shows_its_reason_to_both_sides_and_they_are_told_once(
    mm, client_for, django_capture_on_commit_callbacks
):
    _limit_world(mm)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _publish(mm)
    row = UnplacedRequest.objects.select_related("request").get()
    assert row.reason == "meeting_limit" and row.side_id == mm.company.pk
    left_out = row.request
    other = left_out.other_side(mm.company)
    for profile in (mm.company, other):
        html = _page(client_for(profile.owner.user), mm)
        assert "accepted, without a slot" in html
        assert f"{mm.company.name} already has as many meetings as one participant may have" in html
        detail = _page(client_for(profile.owner.user), mm, f"requests/{left_out.public_id}/")
        assert 'data-testid="unplaced-reason"' in detail and "(1)" in detail
        assert _told(profile) == 1
    no_slot = [m for m in mail.outbox if "has no slot" in m.subject]
    assert sorted(m.to[0] for m in no_slot) == sorted([mm.company.owner.email, other.owner.email])
    assert "as many meetings as one participant may have" in no_slot[0].body
    # The side whose meeting was placed sees no such line.
    placed_side = mm.makassar if other == mm.danang else mm.danang
    assert "accepted, without a slot" not in _page(client_for(placed_side.owner.user), mm)
    # Publishing again, the request still left out: nobody is told a second time.
    with django_capture_on_commit_callbacks(execute=True):
        _publish(mm)
    assert _told(mm.company) == 1 and _told(other) == 1
    assert len([m for m in mail.outbox if "has no slot" in m.subject]) == 2
    assert UnplacedRequest.objects.get().told_at == row.told_at
    # The API says the same to the other side's tools: the reason's code and its sentence.
    _, secret = issue_token(other.owner.user, "crm", ["write:meeting_requests"])
    listed = client_for(None).get(
        f"/api/v1/meetings/{mm.meeting.slug}/matchmaking/requests", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert listed.status_code == 200
    rows = {r["id"]: r for r in listed.json()}
    mine = rows[str(left_out.public_id)]
    assert mine["status"] == "accepted" and mine["unplaced_reason"] == "meeting_limit"
    assert f"{mm.company.name} already has as many meetings" in mine["unplaced_explanation"]
    assert all(r["unplaced_reason"] is None for key, r in rows.items() if key != str(left_out.public_id))


def test_no_common_free_slot(mm):
    mm.danang.unavailable.set(mm.setup.slots.all())
    _accept(mm.danang, mm.company)
    _publish(mm)
    row = UnplacedRequest.objects.get()
    assert row.reason == "no_common_slot"
    assert "have no free slot in common" in row.explanation


def test_online_hours_name_the_online_side_and_its_time_zone(mm):
    # 13:00 in Tokyo is midnight in New York: every slot is at night for Da Nang's online delegate.
    mm.danang.timezone = "America/New_York"
    mm.danang.save()
    _accept(mm.danang, mm.company)
    _publish(mm)
    row = UnplacedRequest.objects.select_related("side").get()
    assert row.reason == "online_hours" and row.side == mm.danang
    assert "fall at night for" in row.explanation and "America/New_York" in row.explanation


def _capacity_world(mm):
    """One table; two in-person pairs free only in the first slot: one of them gets no table."""
    setup_services.set_locations(None, mm.setup, tables=1, video_rooms=1)
    x = profile_for(mm.setup, PersonFactory(), kind="company", country="JP")
    y = profile_for(mm.setup, PersonFactory(), kind="company", country="JP")
    first, *later = list(mm.setup.slots.all())
    for p in (mm.makassar, mm.company, x, y):
        p.unavailable.set(later)
    _accept(mm.makassar, mm.company)
    _accept(x, y)
    return first, later


def test_room_capacity(mm):
    _capacity_world(mm)
    _publish(mm)
    row = UnplacedRequest.objects.get()
    assert row.reason == "room_capacity"
    assert "Every table or video room was already taken" in row.explanation


# --- the ways out --------------------------------------------------------------------------------


def test_a_side_books_another_free_slot_or_is_told_why_not(
    mm, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_THE_DAY)
    first, later = _capacity_world(mm)
    _publish(mm)
    left_out = UnplacedRequest.objects.get().request
    client = client_for(left_out.requester.owner.user)
    url = f"/meetings/{mm.meeting.slug}/matchmaking/requests/{left_out.public_id}/"
    # Nothing free yet: the page says so, and booking the full first slot is refused, naming why.
    assert "No later slot has both sides free" in client.get(url).content.decode()
    response = client.post(url, {"action": "book", "slot": first.code}, follow=True)
    assert "is taken at" in response.content.decode()
    assert not ScheduledMeeting.objects.filter(request=left_out).exists()
    # Both sides become free in the second slot: it is offered, and one click books it.
    for p in (left_out.requester, left_out.recipient):
        p.unavailable.remove(later[0])
    html = client.get(url).content.decode()
    assert 'data-testid="free-slots"' in html and later[0].code in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "book", "slot": later[0].code}, follow=True)
    assert "the meeting is in the schedule" in response.content.decode()
    mm.setup.refresh_from_db()
    booked = ScheduledMeeting.objects.select_related("slot", "location").get(
        request=left_out, run=mm.setup.published_run
    )
    assert booked.slot == later[0] and booked.location.kind == "table"
    assert Pin.objects.filter(request=left_out, slot=later[0]).exists()
    assert not UnplacedRequest.objects.exists()
    told = sorted(m.to[0] for m in mail.outbox if "schedule" in m.subject.lower())
    assert told == sorted([left_out.requester.owner.email, left_out.recipient.owner.email])
    # The next run keeps it where it was booked.
    run = _publish(mm)
    assert ScheduledMeeting.objects.get(run=run, request=left_out).slot == later[0]


def test_booking_a_slot_over_or_beyond_the_limit_is_refused(mm, monkeypatch):
    _limit_world(mm)
    _publish(mm)
    left_out = UnplacedRequest.objects.get().request
    first = mm.setup.slots.first()
    Setup.objects.filter(pk=mm.setup.pk).update(max_meetings=5)
    with pytest.raises(MatchmakingError, match="is over"):
        moves.place_request(None, left_out, slot=first)
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_THE_DAY)
    Setup.objects.filter(pk=mm.setup.pk).update(max_meetings=1)
    with pytest.raises(MatchmakingError, match="meetings in the schedule, the most one participant may have"):
        moves.place_request(None, left_out, slot=first)
    assert not ScheduledMeeting.objects.filter(request=left_out).exists()


def test_meet_online_gives_both_sides_a_video_link_or_a_clear_refusal(
    mm, client_for, django_capture_on_commit_callbacks
):
    _limit_world(mm)
    _publish(mm)
    row = UnplacedRequest.objects.select_related("request").get()
    left_out = row.request
    other = left_out.other_side(mm.company)
    url = f"/meetings/{mm.meeting.slug}/matchmaking/requests/{left_out.public_id}/"
    company = client_for(mm.company.owner.user)
    response = company.post(url, {"action": "online"}, follow=True)
    assert "set up no video service" in response.content.decode()
    assert UnplacedRequest.objects.get().online_at is None
    Setup.objects.filter(pk=mm.setup.pk).update(video_link_template="https://meet.jit.si/{room}")
    before = _told(other)
    with django_capture_on_commit_callbacks(execute=True):
        company.post(url, {"action": "online"})
        company.post(url, {"action": "online"})  # a double click tells nobody twice
    link = f"https://meet.jit.si/ascn-{mm.meeting.slug}-{left_out.public_id.hex}"
    for profile in (mm.company, other):
        assert link in _page(client_for(profile.owner.user), mm, f"requests/{left_out.public_id}/")
    assert _told(other) == before + 1
    assert any(link in m.body for m in mail.outbox if other.owner.email in m.to)


# --- from the outside -----------------------------------------------------------------------------


def test_only_the_two_sides_and_the_organiser_see_or_act_on_an_unplaced_request(
    mm, client_for, network, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_THE_DAY)
    _capacity_world(mm)
    _publish(mm)
    left_out = UnplacedRequest.objects.get().request
    for p in (left_out.requester, left_out.recipient):
        p.unavailable.clear()
    url = f"/meetings/{mm.meeting.slug}/matchmaking/requests/{left_out.public_id}/"
    slot = unplaced.free_places(left_out)[0][0]
    # Another participant (Da Nang), an account outside the meeting, and anonymous.
    for user in (mm.danang.owner.user, network.outsider):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "book", "slot": slot.code}).status_code == 404
        assert client.post(url, {"action": "online"}).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert "accepted, without a slot" not in _page(client_for(mm.danang.owner.user), mm)
    assert not ScheduledMeeting.objects.filter(request=left_out).exists()
    # The organiser sees it in the grid with its reason, and places it by hand.
    organiser = client_for(network.secretariat)
    grid = organiser.get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/grid/").content.decode()
    assert 'data-testid="unplaced-requests"' in grid and "Every table or video room" in grid
    page = organiser.get(url).content.decode()
    assert "Place it here" in page and "Meet online instead" not in page
    organiser.post(url, {"action": "book", "slot": slot.code})
    assert ScheduledMeeting.objects.filter(request=left_out, slot=slot).exists()
