"""A visitor and a city officer use the registry in a real browser."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ascnhub.registry.models import City
from tests.e2e.conftest import SCREENSHOTS, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_switches_language_opens_a_city_then_its_officer_edits_it(page, monkeypatch):
    monkeypatch.setenv("ASCNHUB_DEMO_PASSWORD", "officer-pass-123")
    call_command("demo", "load", stdout=io.StringIO())

    page.goto("/")
    assert page.locator("h1").inner_text() == "ASEAN Smart Cities Network"
    page.wait_for_selector("#city-map.map-ready")
    assert page.locator(".leaflet-interactive").count() == 31  # one marker per city, tiles or not
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=False)
    assert axe_violations(page) == []

    with page.expect_navigation():
        page.select_option("#language-select", "id")  # submits by itself
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Jaringan Kota Cerdas ASEAN"

    page.get_by_role("link", name="Kota", exact=True).first.click()
    assert page.locator("h1").inner_text() == "Kota percontohan ASCN"
    assert page.locator("tbody tr").count() == 31
    assert axe_violations(page) == []
    page.get_by_role("link", name="Makassar", exact=True).click()
    assert page.locator("h1").inner_text() == "Makassar"
    assert page.get_by_text("Andi Pratama").is_visible()
    assert page.get_by_role("link", name="Ubah kota ini").count() == 0  # not signed in

    page.get_by_role("link", name="Masuk").click()
    page.fill("input[name=login]", "csco.makassar@demo.ascnhub.example")
    page.fill("input[name=password]", "officer-pass-123")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/cities/makassar/")
    page.get_by_role("link", name="Ubah kota ini").click()
    page.fill("#id_description", "Kota Daeng: gerbang Indonesia timur.")
    page.fill("#id_population", "1571814")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/cities/makassar/")
    assert page.get_by_text("Kota Daeng: gerbang Indonesia timur.").is_visible()
    assert "Tersimpan" in page.locator(".messages").inner_text()
    assert City.objects.get(slug="makassar").population == 1571814

    # Bad input in the browser: the field is named, nothing is stored.
    page.goto("/cities/makassar/edit/")
    page.fill("#id_latitude", "123")
    page.get_by_role("button", name="Simpan").click()
    assert page.locator("#id_latitude-errors").is_visible()
    assert str(City.objects.get(slug="makassar").latitude) == "-5.14770"

    # Another city is not the officer's to edit.
    response = page.goto("/cities/da-nang/edit/")
    assert response.status == 403
