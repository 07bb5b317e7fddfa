"""Dashboard and the one search across projects, needs and offers, in any language."""

from __future__ import annotations

import pytest

from tests.projects.factories import NeedFactory, OfferFactory, PartnershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_search_finds_every_kind_in_any_language_and_script(world, client):
    ProjectFactory(
        city=world.net.danang,
        title="Bản đồ số thành phố Đà Nẵng",
        language="vi",
        description="Bản đồ số dùng chung",
        translations={"en": {"title": "Da Nang digital map", "description": "A shared map"}},
    )
    OfferFactory(title="河川水位センサー", language="ja", description="洪水早期警報")
    NeedFactory(city=world.net.banyuwangi, title="เซนเซอร์ฝุ่น PM2.5", language="th", description="โรงเรียน")
    for q, expected in [
        ("BẢN ĐỒ", "Bản đồ số thành phố Đà Nẵng"),
        ("shared map", "Bản đồ số thành phố Đà Nẵng"),
        ("洪水", "河川水位センサー"),
        ("ฝุ่น", "เซนเซอร์ฝุ่น PM2.5"),
        ("TELEMEDICINE kits", "Telemedicine kits"),
        ("watch-over", "Watch-over sensors"),
    ]:
        body = client.get("/search/", {"q": q}).content.decode()
        assert expected in body, q
    body = client.get("/search/", {"q": "secret"}).content.decode()
    assert "Secret flood pumps" not in body and "Secret pump need" not in body
    only_offers = client.get("/search/", {"q": "sensors", "kind": "offer"}).content.decode()
    assert "Watch-over sensors" in only_offers
    assert 'data-kind="project"' not in only_offers and 'data-kind="offer"' in only_offers


def test_dashboard_shows_the_figures_as_charts_and_tables(world, client):
    PartnershipFactory(city=world.net.makassar, start_date="2021-10-18")
    PartnershipFactory(city=world.net.danang, start_date="2023-10-26")
    body = client.get("/dashboard/").content.decode()
    assert body.count("<svg") >= 5
    assert 'id="chart-focus-title"' in body and 'id="chart-years-title"' in body
    assert "Indonesia" in body and "2021" in body and "2023" in body


def test_project_page_shows_timeline_and_chart(world, client):
    body = client.get(world.public.get_absolute_url()).content.decode()
    assert 'id="progress-chart-title"' in body and "physical-actual" in body
    assert "Approved narrative" in body and "Tender awarded" in body


def test_charts_stay_valid_svg_in_other_languages(world, client):
    """Indonesian writes 12,5 for 12.5: numbers inside SVG attributes must not be localised."""
    import re

    from ascnhub.projects.models import ProgressReport

    ProgressReport.objects.filter(pk=world.approved.pk).update(physical_actual="25.5")
    client.cookies["django_language"] = "id"
    body = client.get(world.public.get_absolute_url()).content.decode()
    assert 'lang="id"' in body
    pairs = [p for points in re.findall(r'points="([^"]*)"', body) for p in points.split()]
    assert pairs and all(re.fullmatch(r"-?\d+(\.\d+)?,-?\d+(\.\d+)?", p) for p in pairs), pairs
    for value in re.findall(r'\s(?:x|y|cx|cy|width|height)="([^"]*)"', body):
        assert re.fullmatch(r"-?\d+(\.\d+)?%?", value), value


def test_company_page_lists_offers_and_projects(world, client):
    org = world.net.company_person.organisation
    body = client.get(f"/companies/{org.slug}/").content.decode()
    assert "Watch-over sensors" in body
    assert client.get("/companies/nobody/").status_code == 404


def test_city_page_shows_its_projects(world, client):
    body = client.get("/cities/makassar/").content.decode()
    assert "Makassar home-care visits" in body and "Secret flood pumps" not in body
    assert "Telemedicine kits" in body
