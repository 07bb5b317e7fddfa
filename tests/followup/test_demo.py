"""The demo outcomes and knowledge load on top of the registry and meetings, twice without change."""

from __future__ import annotations

import datetime

import pytest

from ascnhub.followup import demo as followup_demo
from ascnhub.followup.models import Commitment, OutcomeDocument, Recommendation, StatusUpdate
from ascnhub.knowledge import demo as knowledge_demo
from ascnhub.knowledge.models import Case, Chapter, ChapterRevision
from ascnhub.registry import demo as registry_demo
from tests.followup.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_demo_outcomes_and_knowledge_load_idempotently(client):
    registry_demo.load(lambda *_: None)
    for year in (2020, 2021, 2022):
        make_meeting(f"asean-japan-hlm-{year}", year)
    for _ in range(2):
        followup_demo.load(lambda *_: None)
        knowledge_demo.load(lambda *_: None)
    doc = OutcomeDocument.objects.get(meeting__slug="asean-japan-hlm-2021")
    assert doc.recommendations.get(number=1).title.startswith("Smart cities in every member state")
    assert doc.recommendations.count() == 4
    assert "planning guidebook jointly by the end of the year" in doc.recommendations.get(number=1).text
    assert Recommendation.objects.get(document=doc, number=4).carried_from.document.adopted_on.year == 2020
    assert Commitment.objects.count() == 15 and StatusUpdate.objects.count() == 15
    assert Commitment.objects.overdue(datetime.date(2026, 11, 28)).exists()
    assert Case.objects.count() == 12
    assert len(set(Case.objects.values_list("language", flat=True))) >= 5
    assert Chapter.objects.count() == 4 and ChapterRevision.objects.count() == 7
    assert set(Chapter.objects.values_list("status", flat=True)) == {"published", "draft", "review"}
    page = client.get("/outcomes/").content.decode()
    assert "Three principles for successful smart-city projects" in page
