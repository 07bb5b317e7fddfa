"""A visitor on a 390 px phone in Tokyo walks the key public pages (issue 19).

No page may be wider than the screen (wide tables scroll in their own box), axe finds no serious
violation, and the times are shown in the browser's own zone.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = 390
PUBLIC_PAGES = [
    "/",
    "/cities/",
    "/projects/",
    "/offers/",
    "/meetings/",
    "/meetings/asean-japan-hlm-2021/",
    "/meetings/asean-japan-hlm-2021/agenda/",
    "/outcomes/",
    "/knowledge/",
    "/open-data/",
    "/dashboard/",
    "/leads/",
]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Asia/Tokyo",
        viewport={"width": PHONE, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(status=204, body=""))
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _page_width(page) -> int:
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def test_key_public_pages_fit_a_phone_in_the_browsers_time_zone(phone, monkeypatch):
    monkeypatch.setenv("ASCNHUB_DEMO_PASSWORD", "phone-pass-123")
    call_command("demo", "load", stdout=io.StringIO())

    phone.goto("/")  # the first page tells the server the browser's zone
    phone.goto("/")
    assert "Times are shown in Asia/Tokyo" in phone.locator("footer").inner_text()

    too_wide, problems = {}, {}
    for url in PUBLIC_PAGES:
        response = phone.goto(url)
        assert response.status == 200, url
        width = _page_width(phone)
        if width > PHONE:
            too_wide[url] = width
        violations = axe_violations(phone)
        if violations:
            problems[url] = violations
    assert too_wide == {}
    assert problems == {}


def test_every_language_the_switcher_offers_switches_the_page(page, network):
    page.goto("/cities/")
    offered = page.locator("#language-select option").evaluate_all("els => els.map(e => e.value)")
    assert offered == ["en", "id", "ja", "vi", "th"]  # only languages whose catalogue covers the pages
    headings = {
        "en": "ASCN pilot cities",
        "id": "Kota percontohan ASCN",
        "ja": "ASCN パイロット都市",
        "vi": "Các thành phố thí điểm ASCN",
        "th": "เมืองนำร่อง ASCN",
    }
    for code in ["id", "ja", "vi", "th", "en"]:
        with page.expect_navigation():
            page.select_option("#language-select", code)  # submits by itself
        assert page.locator("html").get_attribute("lang") == code
        assert page.locator("h1").inner_text() == headings[code]
        assert axe_violations(page) == []
