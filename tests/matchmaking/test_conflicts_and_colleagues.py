"""Conflicts checked both ways and person by person; a cancelled registration withdraws its
meetings; the delegation owner hands a meeting to the right colleague."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from ascnhub.events import services as event_services
from ascnhub.events.models import ForumSignup
from ascnhub.matchmaking import calendar_feed, scheduling, services
from ascnhub.matchmaking.colleagues import assign_colleague
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import MeetingRequest, ScheduledMeeting
from ascnhub.matchmaking.tasks import send_reminders
from tests.events.factories import RegistrationFactory, SessionFactory
from tests.factories import PersonFactory
from tests.matchmaking.factories import TOKYO

pytestmark = pytest.mark.django_db


def _accept(a, b):
    return services.answer_request(None, services.send_request(None, a, b), accept=True)


def _publish(mm):
    services.bump_version(mm.setup)
    run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    assert run.status == "done", run.error
    scheduling.publish_run(None, run, notify=False)
    return run


@pytest.fixture
def late_forum(mm):
    """A forum across the whole matchmaking block (13:00-14:00 Tokyo)."""
    return SessionFactory(
        meeting=mm.meeting,
        title="Forum: Late Resilience",
        kind="forum",
        signup_required=True,
        online_url="",
        starts_at=datetime.datetime(2021, 10, 19, 13, 0, tzinfo=TOKYO),
        ends_at=datetime.datetime(2021, 10, 19, 14, 0, tzinfo=TOKYO),
    )


@pytest.fixture
def colleague(mm, network):
    person = PersonFactory(name="Andi Makassar", organisation=network.makassar_officer.organisation)
    reg = RegistrationFactory(
        meeting=mm.meeting,
        category=mm.meeting.categories.get(code="city"),
        user=person.user,
        person=person,
        name=person.name,
        email=person.email,
        status="approved",
    )
    services.add_member(None, mm.makassar, reg)
    return reg


def _participant(document, profile):
    return next(p for p in document["participants"] if p["id"] == str(profile.public_id))


def test_a_signup_clashing_with_a_published_meeting_is_refused_with_the_clash_named(mm, late_forum):
    _accept(mm.makassar, mm.company)
    _publish(mm)
    with pytest.raises(MatchmakingError) as refused:
        event_services.sign_up(mm.makassar.owner, late_forum)
    text = str(refused.value)
    assert "Forum: Late Resilience" in text and mm.company.name in text and "UTC" in text
    assert not ForumSignup.objects.filter(registration=mm.makassar.owner).exists()
    # Before anything is published the sign-up is free; the scheduler then works around it.
    assert event_services.sign_up(mm.danang.owner, late_forum)


def test_the_refusal_reaches_the_participant_page(mm, late_forum, client_for):
    _accept(mm.makassar, mm.company)
    _publish(mm)
    reg = mm.makassar.owner
    url = f"/meetings/{mm.meeting.slug}/registration/{reg.public_id}/sessions/{late_forum.public_id}/"
    response = client_for(reg.user).post(url + f"?key={reg.secret}", follow=True)
    assert "clashes with your 1:1 meeting" in response.content.decode()
    assert not ForumSignup.objects.filter(registration=reg).exists()


def test_a_forum_blocks_the_member_who_goes_not_the_delegation(mm, late_forum, colleague):
    _accept(mm.makassar, mm.company)
    event_services.sign_up(colleague, late_forum)
    # The owner can still go: Makassar is available in every slot.
    assert _participant(scheduling.build_instance(mm.setup), mm.makassar)["unavailable"] == []
    run = _publish(mm)
    assert ScheduledMeeting.objects.filter(run=run).count() == 1
    # With the colleague at the forum, the owner is the last one free: their sign-up is refused.
    with pytest.raises(MatchmakingError, match="clashes with your 1:1 meeting"):
        event_services.sign_up(mm.makassar.owner, late_forum)


def test_when_everyone_is_at_a_forum_the_delegation_is_busy(mm, late_forum, colleague):
    event_services.sign_up(colleague, late_forum)
    event_services.sign_up(mm.makassar.owner, late_forum)
    _accept(mm.makassar, mm.company)
    assert len(_participant(scheduling.build_instance(mm.setup), mm.makassar)["unavailable"]) == 3


def test_a_cancelled_registration_withdraws_its_meetings_and_tells_the_other_side(
    mm, django_capture_on_commit_callbacks
):
    request = _accept(mm.makassar, mm.company)
    pending = services.send_request(None, mm.danang, mm.makassar)
    _publish(mm)
    url_feed = calendar_feed.regenerate_feed(None, mm.company.owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.cancel(mm.makassar.owner.user, mm.makassar.owner)
    request.refresh_from_db()
    pending.refresh_from_db()
    assert request.status == pending.status == MeetingRequest.Status.CANCELLED
    withdrawn = [m for m in mail.outbox if "withdrawn" in m.subject.lower()]
    assert sorted(m.to[0] for m in withdrawn) == sorted([mm.company.owner.email, mm.danang.owner.email])
    assert all(mm.makassar.name in m.body for m in withdrawn)
    # The company's calendar keeps the meeting, cancelled.
    body = Client().get(f"/meetings/{mm.meeting.slug}/matchmaking/feed/{url_feed.token}.ics").content
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"


def test_the_owner_assigns_a_colleague_who_alone_gets_the_event_and_the_reminder(
    mm, colleague, monkeypatch, client_for
):
    request = _accept(mm.makassar, mm.company)
    run = _publish(mm)
    client = client_for(mm.makassar.owner.user)
    page = client.get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda/").content.decode()
    assert "Who goes" in page and "Andi Makassar" in page
    response = client.post(
        f"/meetings/{mm.meeting.slug}/matchmaking/r/{request.public_id}/attendee/",
        {"attendee": str(colleague.public_id)},
        follow=True,
    )
    assert "Andi Makassar goes to this meeting." in response.content.decode()
    request.refresh_from_db()
    assert request.requester_attendee_id == colleague.pk or request.recipient_attendee_id == colleague.pk
    uid = calendar_feed.meeting_uid(request)

    def status_in_feed(registration):
        feed = calendar_feed.regenerate_feed(None, registration)
        body = Client().get(f"/meetings/{mm.meeting.slug}/matchmaking/feed/{feed.token}.ics").content
        return {str(e["uid"]): str(e["status"]) for e in Calendar.from_ical(body).walk("VEVENT")}.get(uid)

    assert status_in_feed(colleague) == "CONFIRMED"
    assert status_in_feed(mm.makassar.owner) == "CANCELLED"
    meeting = ScheduledMeeting.objects.select_related("slot").get(run=run)
    fake_now = meeting.slot.starts_at - datetime.timedelta(minutes=10)
    monkeypatch.setattr(timezone, "now", lambda: fake_now)
    mail.outbox.clear()
    send_reminders.call(15)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([colleague.email, mm.company.owner.email])


def test_assigning_is_refused_for_a_non_member_and_for_a_non_owner(mm, colleague, network):
    request = _accept(mm.makassar, mm.company)
    with pytest.raises(MatchmakingError, match="is not a member of the delegation"):
        assign_colleague(mm.makassar.owner.user, request, mm.makassar, mm.danang.owner)
    with pytest.raises(MatchmakingError, match="Only the owner"):
        assign_colleague(colleague.user, request, mm.makassar, colleague)
    request.refresh_from_db()
    assert request.requester_attendee_id is None and request.recipient_attendee_id is None


def test_an_assigned_colleague_at_a_forum_restricts_the_meetings_slots(mm, colleague):
    request = _accept(mm.makassar, mm.company)
    assign_colleague(mm.makassar.owner.user, request, mm.makassar, colleague)
    first_slot = mm.setup.slots.order_by("starts_at").first()
    early = SessionFactory(
        meeting=mm.meeting,
        title="Forum: Early",
        kind="forum",
        signup_required=True,
        online_url="",
        starts_at=first_slot.starts_at,
        ends_at=first_slot.ends_at,
    )
    event_services.sign_up(colleague, early)
    document = scheduling.build_instance(mm.setup)
    (meeting,) = document["meetings"]
    assert first_slot.code not in meeting["slots"] and len(meeting["slots"]) == 2
    # The delegation as a whole is free then (the owner is), so only this meeting is restricted.
    assert _participant(document, mm.makassar)["unavailable"] == []
