"""After the match, in a real browser: the company asks, the city accepts, and only then does each
see the other's shared contact details; the company's personal calendar feed, fetched without a
session, parses, and after the organiser moves the meeting it has the same UID and SEQUENCE + 1."""

from __future__ import annotations

import urllib.request

import pytest
from icalendar import Calendar

from ascnhub.matchmaking import scheduling, services
from ascnhub.matchmaking.models import ScheduledMeeting
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


def _organiser_run(mm) -> None:
    """What the organiser's run-and-publish does (the browser path is tested elsewhere)."""
    services.bump_version(mm.setup)
    run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    scheduling.publish_run(None, run)


def _feed(url: str) -> dict:
    with urllib.request.urlopen(url) as response:  # no cookies: a calendar app's request
        assert response.status == 200
        cal = Calendar.from_ical(response.read())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_contacts_after_acceptance_and_a_feed_that_follows_a_move(page, network, live_server):
    from tests.matchmaking.factories import make_world

    mm = make_world(network)
    mm.company.share_email, mm.company.contact_phone, mm.company.share_phone = True, "+81 3 1234 5678", True
    mm.company.save()
    mm.makassar.contact_handle, mm.makassar.share_handle = "WhatsApp: +62 811 400 2000", True
    mm.makassar.save()
    base = f"/meetings/{mm.meeting.slug}/matchmaking/"

    # The company sees Makassar's page without its contact details, and asks for a meeting.
    _sign_in(page, mm.company.owner.user.email)
    page.goto(base + f"p/{mm.makassar.public_id}/")
    assert "WhatsApp: +62 811 400 2000" not in page.content()
    page.get_by_role("button", name="Send request").click()
    assert "Request sent" in page.locator(".messages").inner_text()

    # Makassar sees nothing of the company before answering; it accepts; then both see.
    _sign_in(page, mm.makassar.owner.user.email)
    page.goto(base + f"p/{mm.company.public_id}/")
    assert "+81 3 1234 5678" not in page.content() and mm.company.owner.email not in page.content()
    page.goto(base + "requests/")
    page.get_by_role("button", name="Accept").click()
    page.goto(base + f"p/{mm.company.public_id}/")
    contacts = page.get_by_test_id("shared-contacts").inner_text()
    assert "+81 3 1234 5678" in contacts and mm.company.owner.email in contacts
    assert axe_violations(page) == []

    _sign_in(page, mm.company.owner.user.email)
    page.goto(base + f"p/{mm.makassar.public_id}/")
    assert "WhatsApp: +62 811 400 2000" in page.get_by_test_id("shared-contacts").inner_text()

    # The organiser publishes the schedule; the company subscribes to its personal calendar.
    _organiser_run(mm)
    page.goto(base + "calendar/")
    page.get_by_role("button", name="Get my calendar address").click()
    https = page.get_by_test_id("feed-https").input_value()
    assert page.get_by_test_id("feed-webcal").get_attribute("href").startswith("webcal://")
    assert axe_violations(page) == []
    path = https.split("://", 1)[1].split("/", 1)[1]
    before = _feed(f"{live_server.url}/{path}")
    ((uid, event),) = before.items()
    assert str(event["status"]) == "CONFIRMED" and event.get("dtstamp") is not None

    # The organiser moves the meeting (Makassar cannot make its slot; a new run re-places it).
    mm.setup.refresh_from_db()
    placed = ScheduledMeeting.objects.get(run=mm.setup.published_run)
    mm.makassar.unavailable.add(placed.slot)
    _organiser_run(mm)
    after = _feed(f"{live_server.url}/{path}")
    assert list(after) == [uid]
    assert int(after[uid]["sequence"]) == int(event["sequence"]) + 1
    assert after[uid].decoded("dtstart") != event.decoded("dtstart")
