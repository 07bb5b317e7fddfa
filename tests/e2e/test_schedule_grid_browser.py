"""The organiser in the schedule grid: drags a meeting to another cell, is refused a busy slot with
the conflict named, pins a meeting, re-runs; the pinned and published meetings stay where they were."""

from __future__ import annotations

import pytest

from ascnhub.matchmaking import scheduling, services
from ascnhub.matchmaking.models import Pin, ScheduledMeeting, SlotBooking
from tests.e2e.test_matchmaking_browser import _sign_in
from tests.matchmaking.factories import make_world, profile_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _placement(run_id: int) -> dict[int, tuple[int, int]]:
    return {m.request_id: (m.slot_id, m.location_id) for m in ScheduledMeeting.objects.filter(run_id=run_id)}


def _cell(page, slot_code: str, location_code: str):
    return page.locator(f'#grid td.cell[data-slot="{slot_code}"][data-location="{location_code}"]')


def test_grid_move_refuse_pin_and_rerun(page, network):
    mm = make_world(network)
    mm.setup.solver_time_limit = 3
    mm.setup.save()
    banyuwangi = profile_for(mm.setup, network.banyuwangi_officer, kind="city", city=network.banyuwangi)
    accepted = []
    for a, b in ((mm.makassar, mm.company), (mm.danang, mm.company), (banyuwangi, mm.makassar)):
        accepted.append(services.answer_request(None, services.send_request(None, a, b), accept=True))
    mc, dc, _bm = accepted
    run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    scheduling.publish_run(None, run, notify=False)
    slots = list(mm.setup.slots.order_by("starts_at"))
    company_busy = set(
        SlotBooking.objects.filter(run=run, profile=mm.company).values_list("slot_id", flat=True)
    )
    free = next(s for s in slots if s.pk not in company_busy)
    busy = ScheduledMeeting.objects.get(run=run, request=mc).slot  # the company meets Makassar then

    _sign_in(page, network.secretariat.email)
    page.goto(f"/meetings/{mm.meeting.slug}/matchmaking/organise/grid/")
    label = f"{mm.danang.name} — {mm.company.name}"
    meeting = page.locator("#grid .m[draggable='true']", has_text=label)
    assert meeting.count() == 1

    # Drag Da Nang's meeting to a free slot of the video room: it moves (same row), and is pinned.
    meeting.drag_to(_cell(page, free.code, "V01"))
    page.wait_for_selector(f'#grid td.cell[data-slot="{free.code}"][data-location="V01"] .m.pinned')
    assert "moved to" in page.locator("#grid").inner_text()
    row = ScheduledMeeting.objects.get(run=run, request=dc)
    assert row.slot_id == free.pk and row.version == 2

    # Drag it into the slot where the company meets Makassar: refused, the conflict named.
    page.locator("#grid .m[draggable='true']", has_text=label).drag_to(_cell(page, busy.code, "V01"))
    page.wait_for_selector("#grid .msg-error")
    error = page.locator("#grid .msg-error").inner_text()
    assert f"{mm.company.name} is busy in another meeting" in error
    assert ScheduledMeeting.objects.get(run=run, request=dc).slot_id == free.pk

    # Pin Makassar's meeting with the company from its own page.
    page.locator("#grid a", has_text=f"{mm.makassar.name} — {mm.company.name}").click()
    page.get_by_role("button", name="Pin here").click()
    assert "Pinned" in page.locator(".messages").inner_text()
    assert Pin.objects.filter(request=mc).exists()

    # Re-run from the organiser's page and publish it: nothing published moves.
    before = _placement(run.pk)
    page.goto(f"/meetings/{mm.meeting.slug}/matchmaking/organise/")
    page.get_by_role("button", name="Start a scheduling run").click()
    page.wait_for_selector("[data-testid=run-status]:has-text('draft ready')", timeout=60000)
    assert "0 moved, 0 added, 0 dropped" in page.locator("[data-testid=diff]").inner_text()
    page.get_by_role("button", name="Publish this schedule").click()
    mm.setup.refresh_from_db()
    assert mm.setup.published_run.number == 2
    assert _placement(mm.setup.published_run_id) == before
