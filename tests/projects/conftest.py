"""Fixtures for the projects tests: the small network with a few projects in it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ascnhub.projects.models import ProgressReport
from tests.projects.factories import NeedFactory, OfferFactory, PartyFactory, ProjectFactory, ReportFactory


@pytest.fixture
def world(network):
    """Makassar has a public project (with an approved, a submitted and a draft report) and a draft project;
    Da Nang has a public project; a company (the network's company person) has an offer."""
    public = ProjectFactory(
        city=network.makassar,
        title="Makassar home-care visits",
        slug="makassar-home-care",
        focus=["health_wellbeing"],
    )
    draft = ProjectFactory(
        city=network.makassar,
        title="Secret flood pumps",
        slug="makassar-secret-pumps",
        published=False,
        focus=["safety_security"],
    )
    danang = ProjectFactory(city=network.danang, title="Da Nang digital map", slug="da-nang-digital-map")
    PartyFactory(project=public)
    approved = ReportFactory(project=public, narrative="Approved narrative")
    submitted = ReportFactory(
        project=public,
        state=ProgressReport.State.SUBMITTED,
        narrative="Submitted narrative",
        period_start="2024-07-01",
        period_end="2024-12-31",
    )
    draft_report = ReportFactory(
        project=public,
        state=ProgressReport.State.DRAFT,
        narrative="Draft narrative",
        period_start="2025-01-01",
        period_end="2025-06-30",
    )
    need = NeedFactory(city=network.makassar, project=public, title="Telemedicine kits")
    secret_need = NeedFactory(city=network.makassar, project=draft, title="Secret pump need")
    offer = OfferFactory(organisation=network.company_person.organisation, title="Watch-over sensors")
    other_offer = OfferFactory(title="Someone else's offer")
    return SimpleNamespace(
        net=network,
        public=public,
        draft=draft,
        danang=danang,
        approved=approved,
        submitted=submitted,
        draft_report=draft_report,
        need=need,
        secret_need=secret_need,
        offer=offer,
        other_offer=other_offer,
    )
