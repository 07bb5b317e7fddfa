"""The funding dashboard: committed and pledged money of public projects, by source and by country."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.programmes.dashboards import funding_summary
from ascnhub.projects import services
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _fund(world, project, org, amount, currency, status):
    services.add_funding(
        world.net.secretariat, project, source=org, amount=Decimal(amount), currency=currency, status=status
    )


def test_funding_by_source_and_by_country_leaves_drafts_out(world, client):
    bank = OrganisationFactory(name="Nusa Bank", slug="nusa-bank")
    agency = OrganisationFactory(name="Tokyo Agency", slug="tokyo-agency")
    _fund(world, world.public, bank, "1000000", "IDR", "committed")
    _fund(world, world.public, agency, "50000", "JPY", "pledged")
    _fund(world, world.danang, agency, "20000", "JPY", "committed")
    _fund(world, world.draft, bank, "999", "IDR", "committed")  # a draft: never counted
    summary = funding_summary()
    by_source = {(r["label"], r["currency"]): (r["committed"], r["pledged"]) for r in summary["sources"]}
    assert by_source == {
        ("Nusa Bank", "IDR"): (Decimal("1000000"), Decimal(0)),
        ("Tokyo Agency", "JPY"): (Decimal("20000"), Decimal("50000")),
    }
    # Tokyo Agency funds two projects in yen: one by commitment, one by pledge.
    assert {r["label"]: r["projects"] for r in summary["sources"]} == {"Nusa Bank": 1, "Tokyo Agency": 2}
    by_country = {(r["label"], r["currency"]): r["total"] for r in summary["countries"]}
    assert by_country == {
        (world.net.indonesia.name, "IDR"): Decimal("1000000"),
        (world.net.indonesia.name, "JPY"): Decimal("50000"),
        (world.net.vietnam.name, "JPY"): Decimal("20000"),
    }
    body = client.get("/programmes/funding/").content.decode()
    assert "Nusa Bank" in body and "1,000,000" in body and "70,000" in body
    assert "999" not in body


def test_the_dashboard_costs_the_same_queries_for_few_and_many_fundings(world, client):
    org = OrganisationFactory()
    _fund(world, world.public, org, "10", "USD", "committed")
    client.get("/programmes/funding/")
    with CaptureQueriesContext(connection) as few:
        client.get("/programmes/funding/")
    for i in range(8):
        _fund(world, world.danang, OrganisationFactory(), str(100 + i), ["USD", "THB"][i % 2], "pledged")
    with CaptureQueriesContext(connection) as many:
        client.get("/programmes/funding/")
    assert len(many) == len(few)


def test_the_project_page_shows_its_funding_by_source_and_om_cost(world, client):
    bank = OrganisationFactory(name="Nusa Bank", slug="nusa-bank")
    _fund(world, world.public, bank, "1000000", "IDR", "committed")
    world.public.om_cost_per_year = Decimal("120000")
    world.public.om_cost_currency = "IDR"
    world.public.save()
    body = client.get(world.public.get_absolute_url()).content.decode()
    assert "Funding by source" in body and "Nusa Bank" in body and "1,000,000 IDR" in body
    assert "Operation and maintenance cost per year: 120,000 IDR" in body
    assert f"/open-data/projects/{world.public.slug}.oc4ids.json" in body
