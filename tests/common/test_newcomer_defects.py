"""Defects a newcomer met on a first walk through the site (issue 19), each pinned by a test."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from ascnhub.common import activity
from ascnhub.events.models import Registration
from ascnhub.registry.countries import country_choices, country_name

pytestmark = pytest.mark.django_db


def test_a_percent_encoded_zone_cookie_is_understood(client, network):
    # Browsers' scripts percent-encode the slash; the zone must still be used, not the default.
    client.cookies["ascnhub_tz"] = "Asia%2FTokyo"
    assert "Times are shown in Asia/Tokyo" in client.get("/").content.decode()


def test_an_unknown_zone_gives_the_form_again_with_suggestions_and_a_way_back(client, db):
    response = client.post("/timezone/", {"timezone": "Tokyo", "next": "/cities/"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "“Tokyo” is not a time zone we know" in html
    assert 'value="Asia/Tokyo"' in html  # offered as a one-click suggestion
    assert 'href="/cities/"' in html and 'name="timezone"' in html
    # The suggestion works: it sets the zone and returns where the visitor was.
    chosen = client.post("/timezone/", {"timezone": "Asia/Tokyo", "next": "/cities/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/cities/"
    assert client.cookies["ascnhub_tz"].value == "Asia/Tokyo"


def test_a_zone_typed_with_spaces_and_lower_case_is_suggested(client, db):
    html = client.post("/timezone/", {"timezone": "ho chi minh"}).content.decode()
    assert 'value="Asia/Ho_Chi_Minh"' in html


def test_the_activity_filter_names_kinds_of_objects_in_words(client_for, network):
    activity.record(network.secretariat, "update", network.makassar, {"description": ["a", "b"]})
    html = client_for(network.secretariat).get("/activity/").content.decode()
    assert '<option value="registry.city">City</option>' in html
    assert ">registry.city<" not in html


def test_people_are_greeted_by_name_not_by_their_internal_account_id(client, network):
    officer = network.makassar_officer
    assert str(officer.user) == officer.name
    assert str(network.outsider) == network.outsider.email  # no person: the e-mail
    officer.user.set_password("pw-for-tests-1")
    officer.user.save()
    response = client.post(
        "/accounts/login/", {"login": officer.user.email, "password": "pw-for-tests-1"}, follow=True
    )
    html = response.content.decode()
    assert f"Successfully signed in as {officer.name}" in html
    assert officer.user.username not in html


def _switcher_codes(html: str) -> list[str]:
    switcher = html[
        html.index('id="language-select"') : html.index("</select>", html.index('id="language-select"'))
    ]
    return re.findall(r'<option value="([^"]+)"', switcher)


def test_the_switcher_offers_only_translated_languages_and_each_one_switches(client, network):
    offered = _switcher_codes(client.get("/").content.decode())
    assert offered == ["en", "id", "ja", "vi", "th"]  # vi and th cover the public pages (test_catalogues)
    for code in offered:
        client.post("/i18n/setlang/", {"language": code, "next": "/"})
        html = client.get("/cities/").content.decode()
        assert f'<html lang="{code}"' in html
        assert _switcher_codes(html) == offered


@pytest.mark.parametrize("code", [c for c in settings.COMPLETE_LANGUAGES if c != "en"])
def test_every_complete_language_has_a_complete_catalogue(code):
    po = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=True
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_people_may_still_prefer_a_language_the_interface_lacks(network):
    officer = network.danang_officer
    officer.preferred_language = "vi"
    officer.full_clean()  # person and registration choices keep every ASEAN language
    assert "vi" in [code for code, _name in Registration._meta.get_field("language").choices]


@pytest.mark.parametrize(
    "code,indonesia,vietnam,japan",
    [("id", "Indonesia", "Vietnam", "Jepang"), ("ja", "インドネシア", "ベトナム", "日本")],
)
def test_country_names_follow_the_language(client, network, code, indonesia, vietnam, japan):
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    html = client.get("/cities/").content.decode()
    assert f">{indonesia} (" in html  # the country filter
    assert f"<td>{vietnam}</td>" in html and "Viet Nam" not in html
    with translation.override(code):
        assert country_name("JP") == japan
        assert dict(country_choices())["JP"] == japan
    assert country_name("JP", "en") == "Japan" and country_name("EU", code) == "European Union"


@pytest.mark.parametrize(
    "code,day,dates,agenda_time",
    [
        ("en", "Monday 18 October 2021", "18 Oct 2021", "09:30"),
        ("id", "Senin, 18 Oktober 2021", "18 Okt. 2021", "09.30"),
        ("ja", "2021年10月18日（月曜日）", "2021年10月18日", "09:30"),
        ("vi", "Thứ 2, 18 tháng 10 năm 2021", "18 tháng 10 năm 2021", "09:30"),
        ("th", "วันจันทร์ที่ 18 ตุลาคม 2021", "18 ตุลาคม 2021", "09:30"),
    ],
)
def test_dates_follow_the_language_in_pages_and_emails(client, code, day, dates, agenda_time):
    from tests.events.factories import make_meeting, registration_data

    hlm = make_meeting()
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    html = client.get("/meetings/hlm-test/").content.decode()
    assert day in html  # the meeting's dates with their weekday, in the language's own order
    agenda = client.get("/meetings/hlm-test/agenda/").content.decode()
    assert day in agenda and agenda_time in agenda
    assert dates in client.get("/meetings/").content.decode()
    assert "18 10月" not in html + agenda and "a.m." not in html + agenda
    from ascnhub.events import services
    from ascnhub.events.tasks import build_registration_email

    reg, _created = services.register(hlm.meeting, hlm.city, registration_data(language=code))
    assert dates in build_registration_email(reg, "received").body


def test_chart_month_labels_follow_the_language():
    from types import SimpleNamespace

    from ascnhub.projects.charts import progress_chart

    reports = [
        SimpleNamespace(
            pk=n,
            period_end=end,
            physical_planned=10,
            physical_actual=5,
            financial_planned=10,
            financial_actual=5,
        )
        for n, end in enumerate([datetime.date(2026, 3, 31), datetime.date(2026, 8, 31)])
    ]
    with translation.override("ja"):
        assert [t["label"] for t in progress_chart(reports)["x_ticks"]] == ["2026年3月", "2026年8月"]
    with translation.override("id"):
        assert [t["label"] for t in progress_chart(reports)["x_ticks"]] == ["Maret 2026", "Agustus 2026"]
    with translation.override("vi"):
        assert [t["label"] for t in progress_chart(reports)["x_ticks"]] == [
            "tháng 3 năm 2026",
            "tháng 8 năm 2026",
        ]
    with translation.override("th"):
        assert [t["label"] for t in progress_chart(reports)["x_ticks"]] == ["มีนาคม 2026", "สิงหาคม 2026"]


@pytest.mark.parametrize(
    "code,label", [("id", "E-mail"), ("ja", "メールアドレス"), ("vi", "E-mail"), ("th", "อีเมล")]
)
def test_the_sign_in_and_sign_up_forms_name_the_email_field_in_the_language(client, db, code, label):
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert f'<label for="id_login">{label}:</label>' in client.get("/accounts/login/").content.decode()
    assert f'<label for="id_email">{label}:</label>' in client.get("/accounts/signup/").content.decode()
