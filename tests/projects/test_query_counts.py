"""Every list page costs the same number of queries for a few rows and for many (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CityFactory, OrganisationFactory
from tests.projects.factories import (
    NeedFactory,
    OfferFactory,
    PartnershipFactory,
    PartyFactory,
    ProjectFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/projects/",
    "/projects/?focus=civic_social&country=ID",
    "/needs/",
    "/offers/",
    "/partnerships/",
    "/search/?q=smart",
    "/dashboard/",
    "/open-data/",
    "/cities/makassar/",
    "/open-data/projects.csv",
    "/open-data/projects.json",
    "/open-data/needs.csv",
    "/open-data/needs.json",
    "/open-data/offers.csv",
    "/open-data/offers.json",
    "/open-data/partnerships.csv",
    "/open-data/partnerships.json",
    "/open-data/progress-reports.csv",
    "/open-data/progress-reports.json",
    "/open-data/projects.oc4ids.json",
    "/companies/acme/",
]


def _add_rows(network, n: int, start: int) -> None:
    company = OrganisationFactory.create(slug="acme", kind="company") if start == 0 else None
    from ascnhub.registry.models import Organisation

    company = company or Organisation.objects.get(slug="acme")
    for i in range(start, start + n):
        city = network.makassar if i % 2 else CityFactory(country=network.indonesia)
        project = ProjectFactory(
            city=city, title=f"Smart thing {i}", focus=["civic_social", "health_wellbeing"]
        )
        PartyFactory(project=project)
        PartyFactory(project=project, organisation=company, role="partner")
        ReportFactory(project=project)
        ReportFactory(project=project, period_start="2024-07-01", period_end="2024-12-31")
        NeedFactory(
            city=city, project=project, title=f"Smart need {i}", focus=["civic_social", "safety_security"]
        )
        OfferFactory(
            organisation=company, title=f"Smart offer {i}", focus=["civic_social", "industry_innovation"]
        )
        PartnershipFactory(
            city=city, organisation=company, project=project, start_date=f"{2019 + i % 6}-05-01"
        )


def _counts(client) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    return counts


@pytest.mark.parametrize("who", ["anonymous", "officer"])
def test_list_pages_query_count_does_not_grow_with_rows(network, client_for, who):
    client = client_for(None if who == "anonymous" else network.makassar_officer.user)
    _add_rows(network, 3, 0)
    few = _counts(client)
    _add_rows(network, 12, 3)
    many = _counts(client)
    assert few == many
