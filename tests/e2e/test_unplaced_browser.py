"""An accepted request the published schedule left out, as one side sees it in the browser: the
requests page says so and why, the request's page explains it and offers the ways out."""

from __future__ import annotations

import pytest

from ascnhub.matchmaking import scheduling, services
from ascnhub.matchmaking.models import Setup, UnplacedRequest
from tests.e2e.conftest import axe_violations
from tests.e2e.test_matchmaking_browser import _sign_in

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


def test_one_side_sees_why_its_accepted_meeting_has_no_slot_and_meets_online(page, network):
    from tests.matchmaking.factories import make_world

    mm = make_world(network)
    for a in (mm.makassar, mm.danang):
        services.answer_request(None, services.send_request(None, a, mm.company), accept=True)
    # The organiser lowers the limit to one meeting each: the company's second meeting has no slot.
    Setup.objects.filter(pk=mm.setup.pk).update(
        max_meetings=1, solver_time_limit=5, video_link_template="https://meet.jit.si/{room}"
    )
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    scheduling.publish_run(None, run)
    left_out = UnplacedRequest.objects.select_related("request").get().request
    other = left_out.other_side(mm.company)
    base = f"/meetings/{mm.meeting.slug}/matchmaking/"

    _sign_in(page, other.owner.user.email)
    page.goto(base + "requests/")
    row = page.locator("tr", has_text=mm.company.name)
    assert "accepted, without a slot" in row.inner_text()
    assert f"{mm.company.name} already has as many meetings as one participant may have" in row.inner_text()
    assert axe_violations(page) == []
    row.get_by_role("link", name="accepted, without a slot").click()
    page.wait_for_url(f"**/requests/{left_out.public_id}/")
    assert "Why this meeting has no slot" in page.content()
    assert (
        "as many meetings as one participant may have at this meeting (1)"
        in page.get_by_test_id("unplaced-reason").inner_text()
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Meet online instead").click()
    assert "now online" in page.locator(".messages").inner_text()
    link = page.get_by_test_id("online-link").get_by_role("link")
    assert link.inner_text() == f"https://meet.jit.si/ascn-{mm.meeting.slug}-{left_out.public_id.hex}"
