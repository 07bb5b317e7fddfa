"""The check-in web app on a staff phone: it caches, checks badges in offline, syncs, and a second
device sees "already checked in". A badge QR played through Chromium's fake camera is read too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone

from ascnhub.events import services
from ascnhub.events.models import CheckIn
from tests.e2e.conftest import CHROMIUM, axe_violations
from tests.events.factories import RegistrationFactory, make_meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

APP = "/meetings/hlm-test/check-in/app/"
PASSWORD = "door-staff-pass-1"


@pytest.fixture
def meeting_with_staff(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    hlm = make_meeting()
    staff = UserFactory(email="door@test.example", password=PASSWORD)
    hlm.meeting.check_in_staff.add(staff)
    names = ("Sari Wulandari", "山田 花子", "Somchai Prasert", "Cancelled Early", "Cancelled Late")
    regs = [RegistrationFactory(meeting=hlm.meeting, category=hlm.private, name=name) for name in names]
    services.cancel(None, regs[3])  # before the device's sync: the device knows
    return hlm, staff, regs


def sign_in_and_open_app(page) -> None:
    page.goto(f"/accounts/login/?next={APP}")
    page.fill("input[name=login]", "door@test.example")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(rf".*{APP}$"))
    page.wait_for_selector("body[data-ready='1']")


def scan_typed(page, text: str) -> str:
    shown = page.locator("#result").get_attribute("data-shown") or "0"
    page.fill("#code", text)
    page.get_by_role("button", name="Check in", exact=True).click()
    page.wait_for_function(f"() => document.getElementById('result').dataset.shown !== '{shown}'")
    return page.locator("#result").inner_text()


def test_staff_check_in_offline_then_sync_and_a_second_device_sees_it(
    browser, live_server, meeting_with_staff
):
    hlm, staff, regs = meeting_with_staff
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 412, "height": 915}
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    sign_in_and_open_app(page)
    # 1. The app caches: once its service worker is active, the page opens with no network.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    services.cancel(None, regs[4])  # after the device's sync: the device cannot know yet
    page.fill("#entrance", "North entrance")
    page.locator("#entrance").dispatch_event("change")
    assert axe_violations(page) == []

    # 2. Offline: three badges check in on the device, a forged one is refused there.
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("#net").inner_text().startswith("Offline")
    assert page.locator("#entrance").input_value() == "North entrance"
    tokens = [services.badge_token(r) for r in regs]
    for reg, token in zip(regs[:3], tokens[:3], strict=True):
        shown = scan_typed(page, token)
        assert "Checked in (offline: will sync)." in shown and reg.name in shown
    forged = tokens[0][:-4] + ("AAAA" if not tokens[0].endswith("AAAA") else "BBBB")
    assert "may be forged or altered" in scan_typed(page, forged)
    assert "Already checked in at" in scan_typed(page, tokens[1])  # the same badge again, still offline
    # A registration cancelled before the last sync is refused with no network ...
    shown = scan_typed(page, tokens[3])
    assert "This registration is cancelled: do not admit." in shown and "As of the last sync" in shown
    # ... one cancelled since is accepted on its signature and refused when the queue syncs.
    assert "Checked in (offline: will sync)." in scan_typed(page, tokens[4])
    assert page.locator("#queue-summary").get_attribute("data-waiting") == "4"
    assert CheckIn.objects.count() == 0

    # A second phone opened while the first is offline: it knows of no check-in yet; then it loses
    # the network too.
    other = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 412, "height": 915}
    )
    second = other.new_page()
    second.set_default_timeout(20000)
    sign_in_and_open_app(second)
    second.fill("#entrance", "South entrance")
    second.locator("#entrance").dispatch_event("change")
    other.set_offline(True)

    # 3. Back online: the queue syncs and the server holds the three check-ins.
    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('queue-summary').dataset.waiting === '0'")
    names = sorted(CheckIn.objects.values_list("registration__name", flat=True))
    assert names == sorted(r.name for r in regs[:3])
    assert set(CheckIn.objects.values_list("entrance", flat=True)) == {"North entrance"}
    assert page.locator("#queue li[data-outcome='ok']").count() == 3
    refused = page.locator("#queue li[data-outcome='refused']")
    assert refused.count() == 1 and "Cancelled Late" in refused.inner_text()
    assert "This registration is cancelled: do not admit." in refused.inner_text()
    # The live counts show today's three.
    today = timezone.localtime(timezone.now(), hlm.meeting.tz).date().isoformat()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#day-counts tbody tr')].some("
        f"tr => tr.cells[0].textContent === '{today}' && tr.cells[1].textContent === '3')"
    )

    # 4. The second phone scans one of the same badges with no network: it cannot know, and queues
    # it; at its sync the server answers "already checked in", with the first phone's time and door.
    first_time = CheckIn.objects.get(registration=regs[0]).when
    local = first_time.astimezone(hlm.meeting.tz).strftime("%H:%M")
    assert "Checked in (offline: will sync)." in scan_typed(second, tokens[0])
    shown = second.locator("#result").get_attribute("data-shown")
    other.set_offline(False)
    second.wait_for_function(f"() => document.getElementById('result').dataset.shown !== '{shown}'")
    assert f"Already checked in at {local} at North entrance." in second.locator("#result").inner_text()
    second.wait_for_selector("#queue li[data-outcome='again']")
    assert second.locator("#queue li[data-outcome='again']").count() == 1
    # Online, with the synced state, a scan of another of them is answered on the phone at once.
    assert "Already checked in at" in scan_typed(second, tokens[1])
    check_in = CheckIn.objects.get(registration=regs[0])
    assert (check_in.entrance, CheckIn.objects.count()) == ("North entrance", 3)
    other.close()
    context.close()


def _qr_y4m(text: str, path: Path, size: int = 480, frames: int = 10) -> None:
    """A Y4M video (grey frames) of the QR code for `text`, for Chromium's fake camera."""
    import segno

    qr = segno.make(text, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix) + 8  # quiet zone of four modules each side
    scale = size // n
    side = n * scale
    luma = bytearray(b"\xff" * side * side)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = ((y + 4) * scale + dy) * side + (x + 4) * scale
                    luma[start : start + scale] = b"\x00" * scale
    chroma = b"\x80" * ((side // 2) * (side // 2))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{side} H{side} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_the_camera_reads_a_badge_qr(browser, live_server, meeting_with_staff, tmp_path):
    hlm, staff, regs = meeting_with_staff
    video = tmp_path / "badge.y4m"
    _qr_y4m(services.badge_token(regs[2]), video)
    # A browser of its own: the fake camera is chosen at launch.
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(base_url=live_server.url, locale="en-GB", permissions=["camera"])
        page = context.new_page()
        page.set_default_timeout(20000)
        sign_in_and_open_app(page)
        page.get_by_role("button", name="Scan with the camera").click()
        page.wait_for_function("() => document.getElementById('result').dataset.shown !== undefined")
        shown = page.locator("#result").inner_text()
        assert "Checked in." in shown and "Somchai Prasert" in shown
        page.wait_for_function("() => document.getElementById('queue-summary').dataset.waiting === '0'")
        assert CheckIn.objects.filter(registration=regs[2]).count() == 1
    finally:
        camera_browser.close()
