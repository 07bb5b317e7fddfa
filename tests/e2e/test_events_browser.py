"""An online participant from Jakarta registers and follows the agenda; a staff member checks people in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from ascnhub.events import services
from ascnhub.events.models import CheckIn, OnlineAttendance, Registration
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/ascnhub-events-screenshots")
SLUG = "asean-japan-hlm-2021"


@pytest.fixture
def demo_meeting(settings, monkeypatch):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setenv("ASCNHUB_DEMO_PASSWORD", "staff-pass-123")
    from ascnhub.events import demo
    from ascnhub.registry import demo as registry_demo

    registry_demo.load(lambda _: None)
    demo.load(lambda _: None)
    SHOTS.mkdir(parents=True, exist_ok=True)


def test_online_participant_from_jakarta_registers_and_staff_checks_in_by_badge(page, demo_meeting):
    page.context.route(
        "https://meet.demo.ascnhub.example/**",
        lambda route: route.fulfill(status=200, body="<title>Video room</title>video room"),
    )
    mail.outbox.clear()

    page.goto(f"/meetings/{SLUG}/")
    assert "3rd ASEAN–Japan Smart Cities Network High Level Meeting" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Register: City delegation").click()
    assert page.locator("#id_timezone").input_value() == "Asia/Jakarta"  # the browser's zone
    assert axe_violations(page) == []
    page.fill("#id_name", "Rina Kusumawati")
    page.fill("#id_email", "rina.online@jakarta.example")
    page.fill("#id_organisation_name", "DKI Jakarta Smart City Agency")
    page.select_option("#id_country", "ID")
    page.select_option("#id_language", "id")
    page.check("input[name=mode][value=online]")
    page.fill("#id_q_city", "DKI Jakarta")
    page.check("#id_consent_list")
    page.screenshot(path=str(SHOTS / "register.png"), full_page=True)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r".*/registration/.*key=.*"))
    assert page.locator("#reg-status").inner_text() == "awaiting approval"  # the NR decides for delegates
    assert page.locator("#reg-mode").inner_text() == "online"

    reg = Registration.objects.get(email="rina.online@jakarta.example")
    assert reg.timezone == "Asia/Jakarta" and reg.mode == "online" and reg.country == "ID"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rina.online@jakarta.example"] and message.extra_headers["Content-Language"] == "id"
    assert message.attachments[0][0] == f"{SLUG}.ics"
    assert reg.get_absolute_url() in message.body

    # The agenda in Jakarta time beside the venue's.
    page.goto(f"/meetings/{SLUG}/agenda/")
    assert "Your time: Asia/Jakarta (UTC+07:00)" in page.locator("#agenda-zones").inner_text()
    first = page.locator(".slot").first
    assert "09:30–10:15" in first.locator(".venue").inner_text()
    assert first.locator(".viewer").inner_text() == "07:30–08:15 Asia/Jakarta"
    page.screenshot(path=str(SHOTS / "agenda-jakarta.png"), full_page=False)
    assert axe_violations(page) == []

    # Approved by Indonesia's NR: the personal page now offers the online rooms, and opening one counts.
    services.decide(None, reg, approve=True)
    assert len(mail.outbox) == 2
    page.goto(reg.get_absolute_url())
    assert page.locator("#reg-status").inner_text() == "approved"
    page.get_by_role("link", name="Join online").first.click()
    page.wait_for_url("https://meet.demo.ascnhub.example/**")
    assert OnlineAttendance.objects.filter(registration=reg).count() == 1

    # A staff member at the check-in desk scans an in-person participant's badge.
    guest = Registration.objects.get(email="showcase-ja@demo.ascnhub.example")
    token = services.badge_token(guest)
    page.goto("/accounts/login/?next=/meetings/asean-japan-hlm-2021/check-in/")
    page.fill("input[name=login]", "yamamoto.aiko@demo.ascnhub.example")
    page.fill("input[name=password]", "staff-pass-123")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(rf".*/meetings/{SLUG}/check-in/$"))
    before = int(page.locator("#count-checked-in").inner_text())
    page.fill("#id_token", token)
    page.get_by_role("button", name="Check in", exact=True).first.click()
    result = page.locator("#check-in-result")
    assert "Checked in." in result.inner_text() and "山田 花子" in result.inner_text()
    assert "Government delegation" in result.inner_text()
    page.screenshot(path=str(SHOTS / "check-in.png"), full_page=False)
    assert axe_violations(page) == []
    page.fill("#id_token", token)
    page.get_by_role("button", name="Check in", exact=True).first.click()
    assert "Already checked in today" in page.locator("#check-in-result").inner_text()
    assert CheckIn.objects.filter(registration=guest).count() == 1
    assert int(page.locator("#count-checked-in").inner_text()) == before + 1
    # A forged code is refused with a clear message.
    page.fill("#id_token", token[:-4] + "AAAA")
    page.get_by_role("button", name="Check in", exact=True).first.click()
    assert "may be forged or altered" in page.locator("#check-in-result").inner_text()
