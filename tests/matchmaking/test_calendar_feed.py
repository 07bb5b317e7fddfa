"""Calendars that update: one UID per meeting for its whole life, SEQUENCE that grows with each
change, personal feeds behind secret tokens, iTIP invitations. Every calendar is parsed with the
icalendar library, as a calendar app would read it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from ascnhub.events import services as event_services
from ascnhub.matchmaking import calendar_feed, scheduling, services
from ascnhub.matchmaking.models import CalendarFeed, ScheduledMeeting

pytestmark = pytest.mark.django_db


def _accept(a, b):
    request = services.send_request(None, a, b)
    return services.answer_request(None, request, accept=True)


def _publish(mm):
    services.bump_version(mm.setup)
    run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    assert run.status == "done", run.error
    return scheduling.publish_run(None, run)


def _feed_url(profile) -> str:
    feed = calendar_feed.regenerate_feed(None, profile.owner)
    return f"/meetings/{profile.setup.meeting.slug}/matchmaking/feed/{feed.token}.ics"


def _events(body: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def _invitations(message) -> dict[str, Calendar]:
    out = {}
    for part in message.attachments:
        if getattr(part, "get_content_type", lambda: "")() == "text/calendar":
            out[part.get_param("method")] = Calendar.from_ical(part.get_payload(decode=True))
    return out


def test_a_meeting_keeps_its_uid_and_raises_sequence_when_it_moves(mm):
    request = _accept(mm.company, mm.makassar)
    _publish(mm)
    url = _feed_url(mm.company)
    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    uid = f"matchmaking-{request.public_id}@ascnhub"
    assert list(events) == [uid]
    first = events[uid]
    assert str(first["status"]) == "CONFIRMED" and first.get("dtstamp") is not None
    assert mm.makassar.name in str(first["summary"])
    # Makassar cannot make that slot any more: a new run moves the meeting.
    mm.setup.refresh_from_db()
    placed = ScheduledMeeting.objects.get(run=mm.setup.published_run)
    mm.makassar.unavailable.add(placed.slot)
    summary = _publish(mm)
    assert summary["moved"] == 1
    moved = _events(anonymous.get(url).content)
    assert list(moved) == [uid]  # the same event, not a duplicate
    assert int(moved[uid]["sequence"]) == int(first["sequence"]) + 1
    assert moved[uid].decoded("dtstart") != first.decoded("dtstart")
    # The one-off download behind sign-in uses the same UID and SEQUENCE.
    user = mm.company.owner.user
    client = Client()
    client.force_login(user)
    download = _events(client.get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda.ics").content)
    assert int(download[uid]["sequence"]) == int(moved[uid]["sequence"])


def test_the_organisers_move_service_can_raise_the_sequence(mm):
    request = _accept(mm.company, mm.makassar)
    _publish(mm)
    url = _feed_url(mm.makassar)
    before = int(_events(Client().get(url).content)[calendar_feed.meeting_uid(request)]["sequence"])
    assert calendar_feed.bump_calendar_sequence([request.pk, request.pk]) == 1
    after = int(_events(Client().get(url).content)[calendar_feed.meeting_uid(request)]["sequence"])
    assert after == before + 1


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled_and_is_cancelled_by_email(
    mm, django_capture_on_commit_callbacks
):
    request = _accept(mm.company, mm.makassar)
    _accept(mm.danang, mm.company)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(mm)
    # The first publication invites both sides of each meeting (METHOD:REQUEST, addressed to them).
    to_makassar = [m for m in mail.outbox if m.to == [mm.makassar.owner.email]]
    assert len(to_makassar) == 1
    invitation = _invitations(to_makassar[0])
    assert set(invitation) == {"REQUEST"}
    (event,) = invitation["REQUEST"].walk("VEVENT")
    uid = calendar_feed.meeting_uid(request)
    assert str(event["uid"]) == uid and str(invitation["REQUEST"]["method"]) == "REQUEST"
    assert str(event["attendee"]) == f"mailto:{mm.makassar.owner.email}"
    assert str(event["organizer"]).startswith("mailto:")
    url = _feed_url(mm.makassar)
    sequence = int(_events(Client().get(url).content)[uid]["sequence"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_request(mm.company.owner.user, request)
    events = _events(Client().get(url).content)
    assert str(events[uid]["status"]) == "CANCELLED" and int(events[uid]["sequence"]) > sequence
    to_makassar = [m for m in mail.outbox if m.to == [mm.makassar.owner.email]]
    assert len(to_makassar) == 1
    cancel = _invitations(to_makassar[0])
    assert set(cancel) == {"CANCEL"}
    (event,) = cancel["CANCEL"].walk("VEVENT")
    assert str(event["uid"]) == uid and str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == int(events[uid]["sequence"])
    # Da Nang's meeting did not change: no e-mail, so no invitation either.
    assert not [m for m in mail.outbox if m.to == [mm.danang.owner.email]]


def test_the_feed_carries_the_forum_sessions_signed_up_for(mm):
    mm.makassar.owner.status = "approved"
    mm.makassar.owner.save()
    event_services.sign_up(mm.makassar.owner, mm.hlm.forum)
    events = _events(Client().get(_feed_url(mm.makassar)).content)
    forum = events[f"{mm.hlm.forum.public_id}@ascnhub"]
    assert str(forum["summary"]) == "Forum: Water" and int(forum["sequence"]) == 0
    assert forum.get("dtstamp") is not None
    assert f"{mm.hlm.forum2.public_id}@ascnhub" not in events


def test_one_persons_feed_never_shows_another_persons_meetings(mm):
    _accept(mm.company, mm.makassar)
    _publish(mm)
    danang = Client().get(_feed_url(mm.danang))
    assert danang.status_code == 200
    assert _events(danang.content) == {}
    assert mm.makassar.name.encode() not in danang.content


def test_forged_revoked_and_foreign_tokens_get_the_same_bare_404(mm, client_for):
    url = _feed_url(mm.company)
    token = url.rsplit("/", 1)[-1].removesuffix(".ics")
    forged = Client().get(f"/meetings/{mm.meeting.slug}/matchmaking/feed/{'x' * 43}.ics")
    assert forged.status_code == 404
    # Another meeting's slug with a live token is not found either.
    wrong_meeting = Client().get(f"/meetings/not-this-one/matchmaking/feed/{token}.ics")
    assert wrong_meeting.status_code == 404
    # The owner makes a new address: the old one answers exactly as a forged one does.
    owner = client_for(mm.company.owner.user)
    owner.post(f"/meetings/{mm.meeting.slug}/matchmaking/calendar/regenerate/")
    old = Client().get(url)
    assert old.status_code == 404 and old.content == forged.content
    new_token = CalendarFeed.objects.get(registration=mm.company.owner).token
    assert new_token != token
    page = owner.get(f"/meetings/{mm.meeting.slug}/matchmaking/calendar/").content.decode()
    urls = calendar_feed.feed_urls(CalendarFeed.objects.get(token=new_token))
    assert urls["webcal"].startswith("webcal://") and urls["https"].startswith("http")
    assert urls["webcal"] in page and urls["https"] in page
    new_url = f"/meetings/{mm.meeting.slug}/matchmaking/feed/{new_token}.ics"
    assert Client().get(new_url).status_code == 200
    owner.post(f"/meetings/{mm.meeting.slug}/matchmaking/calendar/revoke/")
    revoked = Client().get(new_url)
    assert revoked.status_code == 404 and revoked.content == forged.content
    assert not CalendarFeed.objects.filter(registration=mm.company.owner).exists()


def test_the_calendar_page_needs_a_registration(mm, client_for, network):
    assert client_for(None).get(f"/meetings/{mm.meeting.slug}/matchmaking/calendar/").status_code in (
        302,
        403,
    )
    assert (
        client_for(network.secretariat).get(f"/meetings/{mm.meeting.slug}/matchmaking/calendar/").status_code
        == 403
    )
