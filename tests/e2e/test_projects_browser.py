"""An officer files a progress report, the National Representative approves it, and the public sees it on
the project page and in the open data — in a real browser."""

from __future__ import annotations

import json

import pytest

from ascnhub.projects import demo as projects_demo
from ascnhub.projects.exporters import oc4ids_id
from ascnhub.projects.models import ProgressReport, Project
from ascnhub.projects.oc4ids.schema import package_errors
from ascnhub.registry import demo as registry_demo
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

OFFICER = "csco.makassar@demo.ascnhub.example"
NR = "nr.id@demo.ascnhub.example"
PASSWORD = "report-pass-123"


def _sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_officer_reports_nr_approves_public_sees_it(page, live_server, monkeypatch):
    monkeypatch.setenv("ASCNHUB_DEMO_PASSWORD", PASSWORD)
    registry_demo.load(lambda s: None)
    projects_demo.load(lambda s: None)
    project = Project.objects.get(title__startswith="Dottorota")
    narrative = "Forty more home-care teams are on the road; the 112 line now books visits."

    # The public list and project page, checked for accessibility.
    page.goto("/projects/?country=ID")
    assert page.locator("h1").inner_text() == "Smart city projects"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Dottorota: home-care health visits").first.click()
    assert page.locator("svg.chart").count() == 1
    assert axe_violations(page) == []

    # The officer files and submits a report.
    _sign_in(page, OFFICER)
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="File a progress report").click()
    page.fill("#id_period_start", "2025-07-01")
    page.fill("#id_period_end", "2025-12-31")
    page.fill("#id_physical_planned", "90")
    page.fill("#id_physical_actual", "84.5")
    page.fill("#id_financial_planned", "92")
    page.fill("#id_financial_actual", "80")
    page.fill("#id_milestones_met", "Forty new home-care teams")
    page.fill("#id_narrative", narrative)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/reports/**")
    assert page.locator("#report-state").inner_text() == "Submitted for review"
    report = ProgressReport.objects.get(narrative=narrative)
    _sign_out(page)

    # Not yet public: not on the project page, not in the open data.
    assert page.goto(report.get_absolute_url()).status == 404
    page.goto(project.get_absolute_url())
    assert page.get_by_text(narrative).count() == 0
    assert str(report.public_id) not in page.goto("/open-data/projects.oc4ids.json").text()

    # The National Representative approves it from the review list.
    _sign_in(page, NR)
    page.goto("/reviews/")
    page.get_by_role("link", name=project.title).first.click()
    page.get_by_label("Approve and publish").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send decision").click()
    page.wait_for_url("**/reviews/")
    assert "approved and published" in page.locator(".messages").inner_text()
    _sign_out(page)

    # Public: on the project page (timeline and chart) and in the open data.
    page.goto(project.get_absolute_url())
    assert page.get_by_text(narrative).is_visible()
    assert page.get_by_text("Forty new home-care teams").first.is_visible()
    package = json.loads(page.goto("/open-data/projects.oc4ids.json").text())
    assert package_errors(package) == []
    entry = next(p for p in package["projects"] if p["id"] == oc4ids_id(project))
    observed = [
        o["measure"]
        for m in entry["metrics"]
        if m["id"] == "physicalProgress"
        for o in m["observations"]
        if o["id"] == f"{report.public_id}-actual"
    ]
    assert observed == [84.5]
    rows = page.request.get(f"{live_server.url}/open-data/progress-reports.csv").text()
    assert narrative in rows

    # The dashboard, open-data page and offers list are accessible too.
    for url in ["/dashboard/", "/open-data/", "/offers/", "/search/?q=banjir"]:
        page.goto(url)
        assert axe_violations(page) == [], url
