"""factory_boy factories for projects, needs, reports, partnerships and offers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from ascnhub.projects.models import (
    FocusAreaTag,
    Need,
    Offer,
    Partnership,
    ProgressReport,
    Project,
    ProjectParty,
)
from tests.factories import CityFactory, OrganisationFactory


class _WithFocusAreas(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def focus(self, create, extracted, **kwargs):
        if create:
            codes = extracted or ["civic_social"]
            self.focus_areas.set(FocusAreaTag.objects.filter(code__in=codes))


class ProjectFactory(_WithFocusAreas):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Smart project {n}")
    slug = factory.Sequence(lambda n: f"smart-project-{n}")
    description = "A project of the city's Smart City Action Plan."
    language = "en"
    city = factory.SubFactory(CityFactory)
    status = Project.Status.IMPLEMENTATION
    start_date = datetime.date(2024, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    budget_amount = Decimal(250000)
    budget_currency = "USD"
    published = True


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectParty

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind="partner_government")
    role = ProjectParty.Role.FUNDER


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    project = factory.SubFactory(ProjectFactory)
    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2024, 6, 30)
    status = Project.Status.IMPLEMENTATION
    physical_planned = Decimal(30)
    physical_actual = Decimal(25)
    financial_planned = Decimal(35)
    financial_actual = Decimal(20)
    milestones_met = "Tender awarded\nPilot district live"
    narrative = "Work goes on as planned."
    state = ProgressReport.State.APPROVED


class NeedFactory(_WithFocusAreas):
    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"Need {n}")
    description = "The city looks for a partner."
    language = "en"
    city = factory.SubFactory(CityFactory)
    stage = Need.Stage.PLANNING
    budget_usd = 100000


class OfferFactory(_WithFocusAreas):
    class Meta:
        model = Offer

    title = factory.Sequence(lambda n: f"Offer {n}")
    slug = factory.Sequence(lambda n: f"offer-{n}")
    description = "A proven solution."
    language = "en"
    organisation = factory.SubFactory(OrganisationFactory, kind="company")
    deployed_in = "JP,VN"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    city = factory.SubFactory(CityFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Partnership.Kind.MOU
    title = factory.Sequence(lambda n: f"Partnership {n}")
    start_date = datetime.date(2023, 10, 1)
    origin = "Met at the 5th ASEAN–Japan Smart Cities Network High Level Meeting"
