"""The demo projects: realistic, across all 31 cities, marked as demo, loadable twice, valid OC4IDS."""

from __future__ import annotations

import pytest

from ascnhub.projects import demo as projects_demo
from ascnhub.projects.exporters import oc4ids_package
from ascnhub.projects.models import Need, Offer, Partnership, ProgressReport, Project
from ascnhub.projects.oc4ids.schema import package_errors
from ascnhub.registry import demo as registry_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_with_the_same_result_and_valid_open_data():
    registry_demo.load(lambda s: None)
    first = projects_demo.load(lambda s: None)
    second = projects_demo.load(lambda s: None)
    assert first == second
    public = Project.objects.public()
    assert public.count() >= 60
    assert public.values("city").distinct().count() == 31
    assert not Project.objects.filter(is_demo=False).exists()
    assert Project.objects.filter(published=False).exists()  # drafts show what stays private
    assert Offer.objects.public().count() >= 40
    assert Offer.objects.values("organisation").distinct().count() >= 15
    assert Need.objects.public().count() >= 20 and Partnership.objects.public().count() >= 15
    for project in public.filter(status__in=["implementation", "completion"]):
        assert project.reports.filter(state="approved").exists(), project
    assert ProgressReport.objects.filter(state="submitted").exists()
    titles = set(public.values_list("title", flat=True))
    for expected in [
        "Kampong Ayer revitalisation",
        "Traffic CCTV monitoring centre",
        "Luang Prabang smart city master plan",
        "Cebu mobility data platform",
    ]:
        assert expected in titles
    assert any("JAKI" in t for t in titles) and any("Smart Kampung" in t for t in titles)
    assert any("Dottorota" in t for t in titles) and any("Bản đồ số" in t for t in titles)
    assert (
        Project.objects.get(title="Urban mobility and tourism data-collection study")
        .parties.filter(organisation__slug="mlit-japan", role="funder")
        .exists()
    )
    assert package_errors(oc4ids_package()) == []
