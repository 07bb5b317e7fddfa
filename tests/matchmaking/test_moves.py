"""The organiser moves and pins meetings; re-runs keep what is published; rollback; one door for writes.

The world: Makassar, Banyuwangi and a company meet in person, Da Nang online; three slots
(13:00, 13:20, 13:40 Tokyo), tables T01 and T02, video room V01.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from ascnhub.matchmaking import history, moves, scheduling, services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import (
    Location,
    Pin,
    ScheduledMeeting,
    ScheduleRun,
    Slot,
    SlotBooking,
)
from tests.events.factories import SessionFactory
from tests.matchmaking.factories import TOKYO, profile_for

pytestmark = pytest.mark.django_db


def _accept(a, b):
    return services.answer_request(None, services.send_request(None, a, b), accept=True)


def _publish(mm, **kwargs):
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False, **kwargs).pk)
    assert run.status == "done", run.error
    return run, scheduling.publish_run(None, run)


@pytest.fixture
def world(mm, network):
    mm.banyuwangi = profile_for(
        mm.setup, network.banyuwangi_officer, kind="city", city=network.banyuwangi, country="ID"
    )
    mm.r_mc = _accept(mm.makassar, mm.company)
    mm.r_dc = _accept(mm.danang, mm.company)
    mm.r_bm = _accept(mm.banyuwangi, mm.makassar)
    mm.run1, _ = _publish(mm)
    mm.slots = list(Slot.objects.filter(setup=mm.setup).order_by("starts_at"))
    mm.t1, mm.t2, mm.v1 = (Location.objects.get(setup=mm.setup, code=c) for c in ("T01", "T02", "V01"))
    return mm


def _row(run, request):
    return ScheduledMeeting.objects.select_related("slot", "location").get(run=run, request=request)


def _free_slot(mm, *requests):
    """A slot where none of the sides of `requests` has a meeting."""
    busy = set()
    for r in requests:
        sides = {r.requester_id, r.recipient_id}
        busy |= set(
            SlotBooking.objects.filter(run=mm.run1, profile_id__in=sides).values_list("slot_id", flat=True)
        )
    return next(s for s in mm.slots if s.pk not in busy)


def test_a_move_keeps_the_row_pins_it_and_tells_both_sides_once(world, django_capture_on_commit_callbacks):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    target = _free_slot(mm, mm.r_dc)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = moves.move_meeting(None, row, slot=target, location=mm.v1, version=row.version)
    assert (moved.pk, moved.request_id, moved.public_id) == (row.pk, row.request_id, row.public_id)
    assert (moved.slot_id, moved.location_id, moved.version) == (target.pk, mm.v1.pk, row.version + 1)
    assert set(SlotBooking.objects.filter(meeting=row).values_list("slot_id", flat=True)) == {target.pk}
    assert Pin.objects.get(request=mm.r_dc).slot_id == target.pk
    mm.run1.refresh_from_db()
    placed = {a["meeting"]: a["slot"] for a in mm.run1.result["assignments"]}
    assert placed[str(mm.r_dc.public_id)] == target.code  # exports and re-runs see the move
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mm.danang.owner.email, mm.company.owner.email])


def test_a_move_into_a_busy_slot_is_refused_naming_the_conflict(world):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    other = _row(mm.run1, mm.r_mc)  # the company meets Makassar in that slot
    with pytest.raises(MatchmakingError) as err:
        moves.move_meeting(None, row, slot=other.slot, location=mm.v1, version=row.version)
    assert err.value.code == "conflict"
    assert f"{mm.company.name} is busy in another meeting" in err.value.message
    assert f"{mm.makassar.name} — {mm.company.name}" in err.value.message
    assert _row(mm.run1, mm.r_dc).slot_id == row.slot_id and not Pin.objects.exists()


def test_each_bad_place_is_named(world, network):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    target = _free_slot(mm, mm.r_dc)
    with pytest.raises(
        MatchmakingError, match=f"{mm.danang.name} takes part online and cannot meet at table T01"
    ):
        moves.move_meeting(None, row, slot=target, location=mm.t1, version=row.version)
    mc = _row(mm.run1, mm.r_mc)
    with pytest.raises(MatchmakingError, match="needs a table, not video room V01"):
        moves.move_meeting(None, mc, slot=mc.slot, location=mm.v1, version=mc.version)
    mm.danang.unavailable.add(target)
    with pytest.raises(MatchmakingError, match=f"{mm.danang.name} is not available at 19 Oct"):
        moves.move_meeting(None, row, slot=target, location=mm.v1, version=row.version)
    mm.danang.unavailable.clear()
    forum = SessionFactory(
        meeting=mm.meeting, title="Flood resilience forum", starts_at=target.starts_at, ends_at=target.ends_at
    )
    from ascnhub.events.models import ForumSignup

    ForumSignup.objects.create(registration=mm.company.owner, session=forum)
    with pytest.raises(MatchmakingError, match="signed up for the session “Flood resilience forum”"):
        moves.move_meeting(None, row, slot=target, location=mm.v1, version=row.version)
    assert not Pin.objects.exists() and _row(mm.run1, mm.r_dc).slot_id == row.slot_id


def test_a_table_already_taken_is_named(world):
    mm = world
    mc = _row(mm.run1, mm.r_mc)
    # Banyuwangi—Makassar cannot share Makassar's slot; move Banyuwangi's meeting there
    # after moving Makassar—company to T02: then both the person and the table clash.
    bm = _row(mm.run1, mm.r_bm)
    with pytest.raises(MatchmakingError) as err:
        moves.move_meeting(None, bm, slot=mc.slot, location=mc.location, version=bm.version)
    assert f"{mc.location.label} is taken at" in err.value.message
    assert f"{mm.makassar.name} is busy in another meeting" in err.value.message


def test_two_organisers_moving_one_meeting_the_second_is_refused(world):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    seen = row.version
    target = _free_slot(mm, mm.r_dc)
    moves.move_meeting(None, row, slot=target, location=mm.v1, version=seen)
    other = next(s for s in mm.slots if s.pk not in (target.pk, _row(mm.run1, mm.r_mc).slot_id))
    with pytest.raises(MatchmakingError, match="Someone else moved") as err:
        moves.move_meeting(None, row, slot=other, location=mm.v1, version=seen)
    assert err.value.code == "stale" and _row(mm.run1, mm.r_dc).slot_id == target.pk


def test_two_meetings_pinned_to_one_table_are_refused(mm, network):
    banyuwangi = profile_for(mm.setup, network.banyuwangi_officer, kind="city", city=network.banyuwangi)
    first = _accept(mm.makassar, mm.company)
    second = _accept(banyuwangi, mm.danang)
    third = _accept(banyuwangi, mm.company)
    slot = mm.setup.slots.order_by("starts_at").first()
    t1 = mm.setup.locations.get(code="T01")
    moves.pin_request(None, first, slot=slot, location=t1)
    with pytest.raises(MatchmakingError, match="Table 1 is taken at .*pinned"):
        moves.pin_request(None, third, slot=slot, location=t1)
    with pytest.raises(MatchmakingError, match="takes part online"):
        moves.pin_request(None, second, slot=slot, location=t1)
    assert list(Pin.objects.values_list("request_id", flat=True)) == [first.pk]


def test_must_happen_is_required_and_pins_are_fixed_in_the_instance(mm, network):
    banyuwangi = profile_for(mm.setup, network.banyuwangi_officer, kind="city", city=network.banyuwangi)
    set_by_organiser = services.organiser_set_meeting(None, mm.makassar, banyuwangi)
    wish = _accept(mm.danang, mm.company)
    slot = mm.setup.slots.order_by("starts_at").last()
    moves.pin_request(None, wish, slot=slot, location=mm.setup.locations.get(code="V01"))
    meetings = {m["id"]: m for m in scheduling.build_instance(mm.setup)["meetings"]}
    organised = meetings[str(set_by_organiser.public_id)]
    assert organised["required"] is True and organised["weight"] == 3 and organised["fixed_slot"] is None
    pinned = meetings[str(wish.public_id)]
    assert (pinned["required"], pinned["fixed_slot"], pinned["fixed_location"]) == (True, slot.code, "V01")


def test_a_re_run_keeps_published_and_moved_meetings_and_places_the_new_one(world, network):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    target = _free_slot(mm, mm.r_dc)
    moves.move_meeting(None, row, slot=target, location=mm.v1, version=row.version)
    moves.unpin(None, mm.r_dc)  # kept because it is published, not because it is pinned
    before = {m.request_id: (m.slot_id, m.location_id) for m in ScheduledMeeting.objects.filter(run=mm.run1)}
    run2 = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    fixed = [m for m in run2.instance["meetings"] if m["fixed_slot"]]
    assert len(fixed) == 3 and all(m["required"] for m in fixed)
    diff = history.schedule_diff(mm.setup, run2)
    assert diff.counts() == {"kept": 3, "moved": 0, "added": 0, "dropped": 0, "affected": 0}
    scheduling.publish_run(None, run2)
    after = {m.request_id: (m.slot_id, m.location_id) for m in ScheduledMeeting.objects.filter(run=run2)}
    assert after == before


def test_from_scratch_keeps_only_pins_and_the_page_shows_the_diff(world, client_for, network):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    moves.pin_meeting(None, row)
    run2 = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False, from_scratch=True).pk)
    fixed = {m["id"] for m in run2.instance["meetings"] if m["fixed_slot"]}
    assert fixed == {str(mm.r_dc.public_id)}
    html = client_for(network.secretariat).get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/runs/2/")
    text = html.content.decode()
    assert html.status_code == 200 and 'data-testid="diff"' in text and "kept" in text


def test_rollback_publishes_an_earlier_run_again_and_tells_those_affected(
    world, django_capture_on_commit_callbacks
):
    mm = world
    original = {
        m.request_id: (m.slot_id, m.location_id) for m in ScheduledMeeting.objects.filter(run=mm.run1)
    }
    row = _row(mm.run1, mm.r_dc)
    target = _free_slot(mm, mm.r_dc)
    moves.move_meeting(None, row, slot=target, location=mm.v1, version=row.version)
    run2, _ = _publish(mm)  # keeps the move
    # Run 1 as published then (the move was made on its rows): republish it as run 3.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run3, summary = history.rollback(None, mm.setup, 1)
    assert run3.number == 3 and run3.restored_from == mm.run1 and run3.status == "published"
    assert summary["moved"] == 0 and summary["notified"] == 0
    assert {m.request_id: (m.slot_id, m.location_id) for m in ScheduledMeeting.objects.filter(run=run3)} == {
        **original,
        mm.r_dc.pk: (target.pk, mm.v1.pk),
    }
    assert mail.outbox == []


def test_rollback_to_a_failed_or_running_run_is_refused(world):
    mm = world
    failed = ScheduleRun.objects.create(setup=mm.setup, number=7, data_version=0, status="failed")
    running = ScheduleRun.objects.create(setup=mm.setup, number=8, data_version=0, status="running")
    with pytest.raises(MatchmakingError, match="Run 7 is failed: only a finished run"):
        history.rollback(None, mm.setup, 7)
    with pytest.raises(MatchmakingError, match="Run 8 is running: only a finished run"):
        history.rollback(None, mm.setup, 8)
    with pytest.raises(MatchmakingError, match="Run 1 is the published schedule already"):
        history.rollback(None, mm.setup, 1)
    assert failed.pk and running.pk and ScheduleRun.objects.count() == 3
    mm.setup.refresh_from_db()
    assert mm.setup.published_run == mm.run1


# --- one door: every write path refuses a double booking -------------------------------------


def test_grid_path_refuses_a_double_booking(world, client_for, network):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    busy = _row(mm.run1, mm.r_mc).slot
    response = client_for(network.secretariat).post(
        f"/meetings/{mm.meeting.slug}/matchmaking/organise/meetings/{row.public_id}/",
        {"action": "move", "slot": busy.code, "location": "V01", "version": row.version},
        follow=True,
    )
    assert f"{mm.company.name} is busy in another meeting" in response.content.decode()
    assert _row(mm.run1, mm.r_dc).slot_id == row.slot_id


def test_re_run_path_refuses_a_double_booking(world):
    mm = world
    run2 = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    # A result that puts the company in two meetings at once (a bug, a hand-edited file): refused.
    mc = next(a for a in run2.result["assignments"] if a["meeting"] == str(mm.r_mc.public_id))
    for a in run2.result["assignments"]:
        if a["meeting"] == str(mm.r_dc.public_id):
            a["slot"] = mc["slot"]
    run2.save(update_fields=["result"])
    with pytest.raises(MatchmakingError, match=f"{mm.company.name} is busy in another meeting"):
        scheduling.publish_run(None, run2)
    mm.setup.refresh_from_db()
    assert mm.setup.published_run == mm.run1 and not ScheduledMeeting.objects.filter(run=run2).exists()


def test_rollback_path_refuses_a_placement_that_no_longer_fits(world):
    mm = world
    run2, _ = _publish(mm, from_scratch=True)
    mc = _row(mm.run1, mm.r_mc)
    # Since run 1, the company signed up for a forum in the slot run 1 gave Makassar and the company.
    from ascnhub.events.models import ForumSignup

    forum = SessionFactory(
        meeting=mm.meeting, title="Investors' forum", starts_at=mc.slot.starts_at, ends_at=mc.slot.ends_at
    )
    ForumSignup.objects.create(registration=mm.company.owner, session=forum)
    with pytest.raises(MatchmakingError, match="Run 3 cannot be published: .*Investors' forum"):
        history.rollback(None, mm.setup, 1)
    mm.setup.refresh_from_db()
    assert mm.setup.published_run == run2 and not ScheduleRun.objects.filter(number=3).exists()


def test_admin_path_refuses_a_double_booking(world, django_user_model):
    mm = world
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    from django.test import Client

    client = Client()
    client.force_login(admin)
    row = _row(mm.run1, mm.r_dc)
    busy = _row(mm.run1, mm.r_mc).slot
    url = f"/admin/matchmaking/scheduledmeeting/{row.pk}/change/"
    response = client.post(url, {"slot": busy.pk, "location": mm.v1.pk})
    assert response.status_code == 200
    assert f"{mm.company.name} is busy in another meeting" in response.content.decode()
    assert _row(mm.run1, mm.r_dc).slot_id == row.slot_id
    # A free place goes through the move service: same row, new version, pinned.
    free = _free_slot(mm, mm.r_dc)
    response = client.post(url, {"slot": free.pk, "location": mm.v1.pk})
    assert response.status_code == 302
    moved = _row(mm.run1, mm.r_dc)
    assert (moved.slot_id, moved.version) == (free.pk, row.version + 1) and Pin.objects.filter(
        request=mm.r_dc
    ).exists()
    assert client.get("/admin/matchmaking/scheduledmeeting/add/").status_code == 403


def test_time_is_named_in_the_meeting_time_zone(world):
    mm = world
    slot = mm.slots[0]
    assert slot.starts_at.astimezone(TOKYO).time() == datetime.time(13, 0)
    board = moves.Board.load(mm.setup, [])
    assert board.when(slot) == "19 Oct 13:00"


def test_a_moved_meeting_keeps_its_calendar_uid_at_the_new_time(world, client_for):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    target = _free_slot(mm, mm.r_dc)
    moves.move_meeting(None, row, slot=target, location=mm.v1, version=row.version)
    ics = client_for(mm.danang.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda.ics")
    text = ics.content.decode()
    # The UID comes from the request, so the event moves in the calendar instead of doubling.
    assert f"UID:matchmaking-{row.request.public_id}@ascnhub" in text
    assert f"DTSTART:{target.starts_at:%Y%m%dT%H%M%S}Z" in text
    row.request.refresh_from_db()
    assert row.request.calendar_sequence >= 1 and f"SEQUENCE:{row.request.calendar_sequence}" in text


def test_the_run_page_offers_an_earlier_run_again_with_its_diff(world, client_for, network):
    mm = world
    row = _row(mm.run1, mm.r_dc)
    target = _free_slot(mm, mm.r_dc)
    moves.move_meeting(None, row, slot=target, location=mm.v1, version=row.version)
    run2 = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False, from_scratch=True).pk)
    scheduling.publish_run(None, run2)
    client = client_for(network.secretariat)
    url = f"/meetings/{mm.meeting.slug}/matchmaking/organise/runs/1/"
    html = client.get(url).content.decode()
    assert 'data-testid="diff"' in html and "Publish this run again" in html
    response = client.post(url, {"action": "rollback"}, follow=True)
    assert "Published:" in response.content.decode()
    mm.setup.refresh_from_db()
    assert mm.setup.published_run.restored_from_id == mm.run1.pk
    assert _row(mm.setup.published_run, mm.r_dc).slot_id == target.pk


def test_rolling_back_tells_only_the_people_whose_meeting_moves_back(
    world, django_capture_on_commit_callbacks
):
    mm = world
    draft = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)  # as run 1
    row = _row(mm.run1, mm.r_dc)
    original = (row.slot_id, row.location_id)
    moves.move_meeting(None, row, slot=_free_slot(mm, mm.r_dc), location=mm.v1, version=row.version)
    diff = history.schedule_diff(mm.setup, draft)
    assert [c.request.pk for c in diff.moved] == [mm.r_dc.pk] and len(diff.kept) == 2
    assert diff.affected == {mm.danang.pk, mm.company.pk}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run, summary = history.rollback(None, mm.setup, draft.number)
    assert summary["moved"] == 1 and summary["notified"] == 2
    assert (_row(run, mm.r_dc).slot_id, _row(run, mm.r_dc).location_id) == original
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mm.danang.owner.email, mm.company.owner.email])
    assert Pin.objects.get(request=mm.r_dc).slot_id == original[0]  # the pin follows the rollback


def test_an_exhibitors_own_table_binds_only_its_in_person_meetings(world):
    mm = world
    mm.company.home_location = mm.t2
    mm.company.save(update_fields=["home_location"])
    mc, dc = _row(mm.run1, mm.r_mc), _row(mm.run1, mm.r_dc)
    board = moves.Board.load(mm.setup, [mm.makassar.pk, mm.company.pk, mm.danang.pk])
    problems = board.conflicts(mm.r_mc.pk, mm.makassar.pk, mm.company.pk, mc.slot, mm.t1)
    assert problems == [f"{mm.company.name} meets at its own table T02"]
    assert board.conflicts(mm.r_mc.pk, mm.makassar.pk, mm.company.pk, mc.slot, mm.t2) == []
    assert board.conflicts(mm.r_dc.pk, mm.danang.pk, mm.company.pk, dc.slot, mm.v1) == []


def test_a_draft_solved_before_a_hand_move_is_not_published_over_it(world):
    mm = world
    draft = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    row = _row(mm.run1, mm.r_dc)
    target = _free_slot(mm, mm.r_dc)
    moves.move_meeting(None, row, slot=target, location=mm.v1, version=row.version)
    with pytest.raises(
        MatchmakingError,
        match=f"Run 2 was solved before {mm.danang.name} — {mm.company.name} was pinned or moved to V01",
    ):
        scheduling.publish_run(None, draft)
    mm.setup.refresh_from_db()
    assert mm.setup.published_run == mm.run1 and _row(mm.run1, mm.r_dc).slot_id == target.pk
    fresh = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    scheduling.publish_run(None, fresh)
    assert _row(fresh, mm.r_dc).slot_id == target.pk
