"""The sentence on a progress report's figures is written in the reader's language (issue 19, item 6):
computed when the page is shown, never stored as English text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from ascnhub.projects.models import ProgressReport, Project
from tests.projects.factories import ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code,behind,on_track",
    [
        (
            "en",
            "Physical progress 25% against 40% planned: behind plan.",
            "31% against 30%",
        ),
        (
            "id",
            "fisik 25% dari 40% yang direncanakan: tertinggal dari rencana.",
            "31% dari 30%",
        ),
        (
            "ja",
            "物理的進捗は計画40%に対して25%で、計画より遅れています。",
            "30%に対して31%で、計画どおり",
        ),
        ("vi", "Tiến độ vật chất 25% so với 40% theo kế hoạch: chậm so với kế hoạch.", "31% so với 30%"),
        ("th", "ความก้าวหน้าทางกายภาพ 25% เทียบกับแผน 40% ล่าช้ากว่าแผน", "31% เทียบกับแผน 30% เป็นไปตามแผน"),
    ],
)
def test_the_report_summary_is_in_the_readers_language(client, code, behind, on_track):
    project = ProjectFactory()
    late = ReportFactory(project=project, physical_planned=Decimal(40), physical_actual=Decimal(25))
    ReportFactory(project=project, physical_planned=Decimal("30.0"), physical_actual=Decimal("31.4"))
    client.post("/i18n/setlang/", {"language": code, "next": "/"})

    page = client.get(project.get_absolute_url()).content.decode()
    assert behind in page and on_track in page
    assert behind in client.get(late.get_absolute_url()).content.decode()
    assert ProgressReport.objects.filter(narrative__contains="%").count() == 0  # nothing stored


def test_a_completed_project_reports_its_handover():
    report = ReportFactory.build(status=Project.Status.COMPLETION, physical_actual=Decimal(100))
    with translation.override("en"):
        assert report.summary == "Work completed and handed over in the period."
    with translation.override("ja"):
        assert report.summary == "この期間に作業が完了し、引き渡されました。"
