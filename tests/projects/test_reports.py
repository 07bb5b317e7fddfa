"""The progress-report workflow: draft → submitted → approved (public) or returned (with a comment)."""

from __future__ import annotations

import pytest

from ascnhub.common.models import ActivityLog
from ascnhub.projects import services
from ascnhub.projects.models import ProgressReport, Project
from tests.projects.factories import ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_approval_publishes_and_moves_the_project_status(network):
    project = ProjectFactory(city=network.makassar, status=Project.Status.IMPLEMENTATION)
    report = ReportFactory(
        project=project,
        state=ProgressReport.State.DRAFT,
        status=Project.Status.COMPLETION,
        physical_actual=100,
        physical_planned=100,
    )
    assert not ProgressReport.objects.public().exists()
    services.submit_report(network.makassar_officer.user, report)
    services.review_report(network.indonesia_nr.user, report, approve=True)
    report.refresh_from_db()
    project.refresh_from_db()
    assert report.state == ProgressReport.State.APPROVED and report.reviewed_at is not None
    assert project.status == Project.Status.COMPLETION
    assert list(ProgressReport.objects.public()) == [report]
    actions = list(ActivityLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["submit", "approve", "update"]


def test_an_older_report_approved_late_does_not_roll_the_status_back(network):
    project = ProjectFactory(city=network.makassar, status=Project.Status.COMPLETION)
    ReportFactory(project=project, period_end="2025-06-30", status=Project.Status.COMPLETION)
    old = ReportFactory(
        project=project,
        period_end="2024-06-30",
        state=ProgressReport.State.SUBMITTED,
        status=Project.Status.IMPLEMENTATION,
    )
    services.review_report(network.indonesia_nr.user, old, approve=True)
    project.refresh_from_db()
    assert project.status == Project.Status.COMPLETION


def test_state_rules(network):
    report = ReportFactory(project=ProjectFactory(city=network.makassar), state=ProgressReport.State.DRAFT)
    with pytest.raises(services.ReviewError) as exc:
        services.review_report(network.indonesia_nr.user, report, approve=True)
    assert exc.value.code == "not_submitted"
    services.submit_report(network.makassar_officer.user, report)
    with pytest.raises(services.ReviewError) as exc:
        services.submit_report(network.makassar_officer.user, report)
    assert exc.value.code == "not_editable"
    with pytest.raises(services.ReviewError) as exc:
        services.save_report(network.makassar_officer.user, report, {"narrative": "changed after submitting"})
    assert exc.value.code == "not_editable"
    with pytest.raises(services.ReviewError) as exc:
        services.review_report(network.indonesia_nr.user, report, approve=False, comment="  ")
    assert exc.value.code == "comment_required"
    services.review_report(network.indonesia_nr.user, report, approve=False, comment="Add the costs.")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.RETURNED and report.is_editable
    services.save_report(network.makassar_officer.user, report, {"narrative": "With the costs."})
    services.submit_report(network.makassar_officer.user, report)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED and report.narrative == "With the costs."


def test_admin_pages_for_the_secretariat(network, client_for):
    from tests.projects.factories import OfferFactory

    network.secretariat.is_staff = True
    network.secretariat.is_superuser = True
    network.secretariat.save()
    ProjectFactory(city=network.makassar)
    OfferFactory()
    admin = client_for(network.secretariat)
    for url in [
        "/admin/projects/project/",
        "/admin/projects/project/import/",
        "/admin/projects/offer/",
        "/admin/projects/progressreport/",
        "/admin/projects/need/",
        "/admin/projects/partnership/",
        f"/admin/projects/project/{Project.objects.get().pk}/change/",
    ]:
        assert admin.get(url).status_code == 200, url


def test_needs_and_offers_feed_the_matching_engine_format(network, tmp_path):
    """`as_match_input()` writes `ascnhub-match/1` lines that the engine's own reader accepts."""
    import json

    from ascnhub.engine.matching import read_needs, read_offers
    from tests.projects.factories import NeedFactory, OfferFactory

    need = NeedFactory(
        city=network.danang,
        language="vi",
        title="Cảnh báo ngập",
        focus=["safety_security"],
        stage="procurement",
        budget_usd=250000,
    )
    offer = OfferFactory(language="ja", title="洪水警報", focus=["safety_security"], deployed_in="JP,VN")
    (tmp_path / "needs.jsonl").write_text(json.dumps(need.as_match_input(), ensure_ascii=False) + "\n")
    (tmp_path / "offers.jsonl").write_text(json.dumps(offer.as_match_input(), ensure_ascii=False) + "\n")
    [n] = read_needs(tmp_path / "needs.jsonl")
    [o] = read_offers(tmp_path / "offers.jsonl")
    assert (n.country, n.language, n.focus_areas, n.stage, n.budget_usd) == (
        "VN",
        "vi",
        ("safety_security",),
        "procurement",
        250000,
    )
    assert o.deployed_in == ("JP", "VN") and o.language == "ja"
