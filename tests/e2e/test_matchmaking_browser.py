"""The whole matchmaking path in a real browser: suggestion → request → accept → organiser runs and
publishes the schedule → each side sees the meeting in their own time, at a table or in a video room."""

from __future__ import annotations

import pytest

from ascnhub.matchmaking import services, suggestions
from tests.e2e.conftest import axe_violations

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


def _sign_in(page, email: str) -> None:
    page.goto("/accounts/logout/")
    if page.locator("main form button[type=submit]").count():
        page.locator("main form button[type=submit]").first.click()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_suggest_request_accept_schedule_publish_and_see_it(page, network):
    from tests.matchmaking.factories import make_world

    mm = make_world(network)
    mm.setup.solver_time_limit = 5
    mm.setup.save()
    mm.company.focus_areas = mm.danang.focus_areas = ["safety_security"]
    mm.company.save()
    mm.danang.save()
    suggestions.refresh(mm.setup)
    # The organiser also set a meeting between Makassar and the company (both in person: a table).
    services.organiser_set_meeting(network.secretariat, mm.makassar, mm.company)
    base = f"/meetings/{mm.meeting.slug}/matchmaking/"

    # Da Nang's officer (online, Ho Chi Minh City) sees the company suggested, with reasons, and asks.
    _sign_in(page, mm.danang.owner.user.email)
    page.goto(base)
    card = page.locator("ol.suggestions > li", has_text=mm.company.name)
    assert card.count() == 1 and "safety & security" in card.inner_text()
    assert axe_violations(page) == []
    card.get_by_role("link", name="Ask for a meeting").click()
    page.fill("#id_message", "Chúng tôi muốn tìm hiểu về cảm biến mực nước sông.")
    page.get_by_role("button", name="Send request").click()
    assert "Request sent" in page.locator(".messages").inner_text()

    # The company (in person) sees Da Nang suggested too, and accepts the request.
    _sign_in(page, mm.company.owner.user.email)
    page.goto(base)
    assert page.locator("ol.suggestions > li", has_text=mm.danang.name).count() == 1
    page.goto(base + "requests/")
    page.get_by_role("button", name="Accept").click()
    assert "accepted" in page.locator("table").first.inner_text()

    # The organiser starts a run, watches it finish and publishes the draft.
    _sign_in(page, network.secretariat.email)
    page.goto(base + "organise/")
    page.get_by_role("button", name="Start a scheduling run").click()
    page.wait_for_url("**/organise/runs/1/")
    page.wait_for_selector("text=draft ready", timeout=60000)
    assert "Load per participant" in page.content()
    page.get_by_role("button", name="Publish this schedule").click()
    assert "Published: 2 meetings" in page.locator(".messages").inner_text()

    # Each side sees its meetings in its own time: online means a video room, in person a table.
    _sign_in(page, mm.danang.owner.user.email)
    page.goto(base + "agenda/")
    row = page.locator("table.agenda tbody tr").first
    assert "(Asia/Ho_Chi_Minh, UTC+07:00)" in row.locator("[data-testid=local-time]").inner_text()
    assert "Video room V01" in row.locator("[data-testid=where]").inner_text()
    assert row.get_by_role("link", name="join").get_attribute("href").startswith("https://video.example/")
    page.screenshot(path="/tmp/matchmaking-agenda.png", full_page=True)

    _sign_in(page, mm.company.owner.user.email)
    page.goto(base + "agenda/")
    rows = page.locator("table.agenda tbody tr")
    assert rows.count() == 2
    assert all(
        "(Asia/Tokyo, UTC+09:00)" in t for t in rows.locator("[data-testid=local-time]").all_inner_texts()
    )
    places = sorted(rows.locator("[data-testid=where]").all_inner_texts())
    assert places[0].startswith("Table T0") and places[1].startswith("Video room V01")

    _sign_in(page, mm.makassar.owner.user.email)
    page.goto(base + "agenda/")
    row = page.locator("table.agenda tbody tr").first
    assert "(Asia/Jakarta, UTC+07:00)" in row.locator("[data-testid=local-time]").inner_text()
    assert row.locator("[data-testid=where]").inner_text().startswith("Table T0")
