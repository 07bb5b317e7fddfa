"""The short-lived cache of anonymous visitors' pages (common/pagecache.py).

What matters to people: anonymous visitors get the page fast and see changes within the cache's
lifetime; nobody ever receives a page rendered for someone else (a signed-in person, a token
holder, a form carrying another visitor's CSRF token); whoever just changed something sees it.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from ascnhub.common.pagecache import FRESH_COOKIE
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.ASCNHUB_PAGE_CACHE_SECONDS = 60
    return settings


def test_anonymous_visitors_share_a_page_until_it_expires(cached, network):
    first = Client().get("/cities/")
    assert first.status_code == 200 and "Age" not in first
    CityFactory(name="Luang Prabang", slug="luang-prabang", country=network.vietnam)
    again = Client().get("/cities/")
    assert again.status_code == 200 and "Age" in again
    assert again.content == first.content and "Luang Prabang" not in again.content.decode()

    cached.ASCNHUB_PAGE_CACHE_SECONDS = 1
    Client().get("/cities/?page=1")  # stored for one second
    time.sleep(1.1)
    assert "Luang Prabang" in Client().get("/cities/?page=1").content.decode()


def test_a_signed_in_persons_page_is_never_stored_nor_served_from_the_cache(cached, network, client_for):
    officer = network.makassar_officer
    mine = client_for(officer.user).get("/cities/")
    assert "Sign out" in mine.content.decode() and "Age" not in mine
    anonymous = Client().get("/cities/")
    assert "Sign out" not in anonymous.content.decode() and "Sign in" in anonymous.content.decode()
    again = client_for(officer.user).get("/cities/")  # the anonymous page is now cached
    assert "Age" not in again and "Sign out" in again.content.decode()


def test_api_callers_with_a_token_bypass_the_cache(cached, network):
    Client().get("/api/v1/cities")
    assert "Age" in Client().get("/api/v1/cities")
    with_token = Client().get("/api/v1/cities", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert "Age" not in with_token


def test_pages_with_a_form_keep_each_visitors_own_csrf_token(cached, network):
    from ascnhub.events.models import Meeting

    meeting = Meeting.objects.create(
        slug="m",
        title="M",
        start_date="2030-10-18",
        end_date="2030-10-19",
        status="open",
        timezone="Asia/Tokyo",
    )
    meeting.categories.create(code="city", name="City delegation", is_public=True)
    url = "/meetings/m/register/city/"
    one, two = Client().get(url), Client().get(url)
    assert one.status_code == two.status_code == 200
    assert "csrftoken" in one.cookies and "csrftoken" in two.cookies
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value
    assert "Age" not in two


def test_language_and_time_zone_each_get_their_own_page(cached, network):
    english = Client().get("/cities/", HTTP_ACCEPT_LANGUAGE="en")
    assert "ASCN pilot cities" in english.content.decode()
    japanese = Client().get("/cities/", HTTP_ACCEPT_LANGUAGE="ja")
    assert "ASCN パイロット都市" in japanese.content.decode() and "Age" not in japanese
    tokyo = Client()
    tokyo.cookies["ascnhub_tz"] = "Asia/Tokyo"
    page = tokyo.get("/cities/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Times are shown in Asia/Tokyo" in page.content.decode()


def test_a_cached_page_answers_conditional_requests(cached, network):
    first = Client().get("/cities/")
    etag = first["ETag"]
    Client().get("/cities/")
    not_modified = Client().get("/cities/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""


def test_whoever_changes_something_sees_fresh_pages(cached, network):
    visitor = Client()
    visitor.get("/cities/")
    response = visitor.post("/timezone/", {"timezone": "Asia/Manila", "next": "/cities/"})
    assert response.status_code == 302 and FRESH_COOKIE in response.cookies
    after = visitor.get("/cities/")
    assert "Age" not in after and "Times are shown in Asia/Manila" in after.content.decode()


def test_flash_messages_are_never_cached(cached, network):
    Client().get("/cities/")
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    assert "Age" not in visitor.get("/cities/")


def test_zero_seconds_turns_the_cache_off(settings, network):
    settings.ASCNHUB_PAGE_CACHE_SECONDS = 0
    Client().get("/cities/")
    assert "Age" not in Client().get("/cities/")


def test_the_language_and_time_zone_switches_work_without_a_csrf_token(network):
    # They sit on every page; a token there would make every page personal (and uncacheable).
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/i18n/setlang/", {"language": "ja", "next": "/cities/"}).status_code == 302
    assert browser.post("/timezone/", {"timezone": "Asia/Tokyo", "next": "/cities/"}).status_code == 302
    page = browser.get("/cities/")
    assert "ASCN パイロット都市" in page.content.decode() and "Asia/Tokyo" in page.content.decode()
    assert "csrftoken" not in page.cookies and "csrfmiddlewaretoken" not in page.content.decode()
