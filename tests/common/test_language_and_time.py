"""Language switch and times shown in the viewer's zone."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code,expected", [("id", "Kota percontohan ASCN"), ("ja", "ASCN パイロット都市")])
def test_switching_language_translates_the_pages(client, network, code, expected):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/cities/"})
    assert response.status_code == 302
    html = client.get("/cities/").content.decode()
    assert expected in html and f'lang="{code}"' in html


def test_a_language_without_a_catalogue_is_not_offered_and_changes_nothing(client, network):
    # Lao has no catalogue: it is not in the switcher, and asking for it keeps the page as it was.
    assert 'value="lo"' not in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "lo", "next": "/"})
    html = client.get("/cities/").content.decode()
    assert "ASCN pilot cities" in html and 'lang="en"' in html


def test_viewer_zone_comes_from_the_person_then_the_browser(client, client_for, network):
    assert "Asia/Jakarta" in client.get("/").content.decode()  # site default
    client.cookies["ascnhub_tz"] = "Asia/Tokyo"
    assert "Times are shown in Asia/Tokyo" in client.get("/").content.decode()
    officer = network.danang_officer
    officer.timezone = "Asia/Ho_Chi_Minh"
    officer.save()
    assert "Times are shown in Asia/Ho_Chi_Minh" in client_for(officer.user).get("/").content.decode()


def test_bad_zone_is_refused(client, db):
    assert client.post("/timezone/", {"timezone": "Nowhere/City"}).status_code == 400
    response = client.post("/timezone/", {"timezone": "Asia/Yangon", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_zoned_filter_names_the_zone():
    moment = datetime.datetime(2021, 10, 19, 0, 0, tzinfo=datetime.UTC)
    with timezone.override("Asia/Jakarta"):
        text = Template("{% load ascnhub %}{{ t|zoned }} / {{ t|zoned:'Asia/Tokyo' }}").render(
            Context({"t": moment})
        )
    assert "7 a.m. (Asia/Jakarta, UTC+07:00)" in text or "07:00 (Asia/Jakarta, UTC+07:00)" in text
    assert "(Asia/Tokyo, UTC+09:00)" in text and "9 a.m." in text or "09:00" in text
