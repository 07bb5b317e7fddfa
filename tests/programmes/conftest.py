"""A small world of programmes: one programme with a public and a draft study, an MoU with two
items between Makassar and a company, and a council."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from ascnhub.programmes import services
from ascnhub.programmes.models import Council, Programme
from tests.factories import OrganisationFactory
from tests.projects.conftest import world  # noqa: F401  (the projects' small world)
from tests.projects.factories import ProjectFactory


@pytest.fixture
def progs(network):
    consultant = OrganisationFactory(name="Kaizen Consulting", slug="kaizen-consulting")
    programme = Programme.objects.create(slug="test-jamp", name="Test JAMP", funder=consultant)
    project = ProjectFactory(city=network.makassar, title="Makassar smart bus shelters", slug="mks-shelters")
    study = services.create_study(
        None,
        {
            "programme": programme,
            "title": "Smart bus shelters",
            "theme": "Public transport",
            "fiscal_year": 2021,
            "kickoff_date": datetime.date(2021, 9, 1),
            "deliverables": "Site survey\nDesign",
        },
        cities=[network.makassar],
        consortium=[consultant],
        projects=[project],
    )
    draft = services.create_study(
        None,
        {
            "programme": programme,
            "title": "Secret study",
            "theme": "Water",
            "fiscal_year": 2022,
            "published": False,
        },
        cities=[network.makassar],
    )
    mou = services.create_agreement(
        None,
        {"title": "Makassar MoU", "signed_on": datetime.date(2022, 5, 1), "study": study},
        cities=[network.makassar],
        organisations=[consultant],
        items=[
            {"number": 1, "title": "Bus shelters", "projects": [project]},
            {"number": 2, "title": "Training"},
        ],
    )
    council = Council.objects.create(
        city=network.banyuwangi,
        slug="bwi-council",
        name="Banyuwangi council",
        established_on=datetime.date(2024, 1, 1),
    )
    return SimpleNamespace(
        net=network, programme=programme, study=study, draft=draft, mou=mou, project=project,
        consultant=consultant, council=council, items={i.number: i for i in mou.items.all()},
    )  # fmt: skip
