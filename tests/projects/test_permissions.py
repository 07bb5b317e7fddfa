"""Who may do what, tried from the outside: anonymous visitors, another city's officer, another
country's National Representative, a company — and each time, nothing changed."""

from __future__ import annotations

import pytest

from ascnhub.common.models import ActivityLog
from ascnhub.projects.models import Offer, ProgressReport, Project

pytestmark = pytest.mark.django_db

PROJECT_POST = {
    "city": "",
    "title": "Changed title",
    "language": "en",
    "description": "Changed.",
    "focus_areas": ["civic_social"],
    "status": "preparation",
    "budget_currency": "",
    "published": "on",
}


def _project_post(city) -> dict:
    return {**PROJECT_POST, "city": city.pk}


def test_anonymous_reads_public_things_only(world, client_for):
    anon = client_for(None)
    assert anon.get(world.public.get_absolute_url()).status_code == 200
    assert anon.get(world.approved.get_absolute_url()).status_code == 200
    assert anon.get(world.need.get_absolute_url()).status_code == 200
    # Drafts and reports not approved are not found at all.
    assert anon.get(world.draft.get_absolute_url()).status_code == 404
    assert anon.get(world.submitted.get_absolute_url()).status_code == 404
    assert anon.get(world.draft_report.get_absolute_url()).status_code == 404
    assert anon.get(world.secret_need.get_absolute_url()).status_code == 404
    page = anon.get(world.public.get_absolute_url()).content.decode()
    assert "Approved narrative" in page
    assert "Submitted narrative" not in page and "Draft narrative" not in page
    listing = anon.get("/projects/").content.decode()
    assert "Makassar home-care visits" in listing and "Secret flood pumps" not in listing


def test_anonymous_is_sent_to_sign_in_and_changes_nothing(world, client_for):
    anon = client_for(None)
    for url in [
        "/projects/new/",
        f"/projects/{world.public.slug}/edit/",
        f"/projects/{world.public.slug}/reports/new/",
        "/needs/new/",
        "/offers/new/",
        "/projects/import/",
        "/reviews/",
    ]:
        response = anon.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    response = anon.post(f"/projects/{world.public.slug}/edit/", _project_post(world.net.makassar))
    assert response.status_code == 302
    response = anon.post(f"/reports/{world.submitted.public_id}/review/", {"decision": "approve"})
    assert response.status_code == 404  # not even visible
    world.public.refresh_from_db()
    world.submitted.refresh_from_db()
    assert world.public.title == "Makassar home-care visits"
    assert world.submitted.state == ProgressReport.State.SUBMITTED
    assert not ActivityLog.objects.exists()


def test_officer_edits_own_city_project(world, client_for):
    officer = client_for(world.net.makassar_officer.user)
    assert officer.get(world.draft.get_absolute_url()).status_code == 200  # own draft
    response = officer.post(f"/projects/{world.public.slug}/edit/", _project_post(world.net.makassar))
    assert response.status_code == 302
    world.public.refresh_from_db()
    assert world.public.title == "Changed title"
    assert ActivityLog.objects.filter(object_type="projects.project", action="update").exists()


def test_another_citys_officer_cannot_touch_the_project(world, client_for):
    other = client_for(world.net.banyuwangi_officer.user)  # same country, other city
    assert other.get(f"/projects/{world.public.slug}/edit/").status_code == 403
    assert (
        other.post(f"/projects/{world.public.slug}/edit/", _project_post(world.net.banyuwangi)).status_code
        == 403
    )
    assert other.get(f"/projects/{world.public.slug}/reports/new/").status_code == 403
    assert (
        other.post(
            f"/projects/{world.public.slug}/parties/",
            {"party-organisation": world.net.company_person.organisation.pk, "party-role": "funder"},
        ).status_code
        == 403
    )
    assert other.get(world.draft.get_absolute_url()).status_code == 404
    assert other.get(world.draft_report.get_absolute_url()).status_code == 404
    # Creating a project in a city that is not theirs: the city is not a valid choice.
    before = Project.objects.count()
    response = other.post("/projects/new/", _project_post(world.net.makassar))
    assert response.status_code == 400
    assert Project.objects.count() == before
    world.public.refresh_from_db()
    assert world.public.title == "Makassar home-care visits" and world.public.parties.count() == 1
    assert not ActivityLog.objects.exists()


def test_a_projects_unapproved_reports_show_on_its_page_to_the_city_its_nr_and_the_secretariat(
    world, client_for
):
    url = world.public.get_absolute_url()
    net = world.net
    for user in (net.makassar_officer.user, net.indonesia_nr.user, net.secretariat):
        page = client_for(user).get(url).content.decode()
        assert "Submitted narrative" in page and "Draft narrative" in page, user
    # Another city's officer (even in the same country), another country's NR, a company, anyone else.
    for user in (
        net.banyuwangi_officer.user,
        net.vietnam_nr.user,
        net.company_person.user,
        net.outsider,
    ):
        page = client_for(user).get(url).content.decode()
        assert "Approved narrative" in page, user
        assert "Submitted narrative" not in page and "Draft narrative" not in page, user


def test_officer_cannot_approve_own_report(world, client_for):
    officer = client_for(world.net.makassar_officer.user)
    response = officer.post(f"/reports/{world.submitted.public_id}/review/", {"decision": "approve"})
    assert response.status_code == 403
    world.submitted.refresh_from_db()
    assert world.submitted.state == ProgressReport.State.SUBMITTED


def test_another_countrys_nr_cannot_see_or_approve(world, client_for):
    vn = client_for(world.net.vietnam_nr.user)
    assert vn.get(world.submitted.get_absolute_url()).status_code == 404
    assert (
        vn.post(f"/reports/{world.submitted.public_id}/review/", {"decision": "approve"}).status_code == 404
    )
    assert vn.get(world.draft.get_absolute_url()).status_code == 404
    world.submitted.refresh_from_db()
    assert world.submitted.state == ProgressReport.State.SUBMITTED


def test_own_countrys_nr_approves_and_the_report_becomes_public(world, client_for):
    nr = client_for(world.net.indonesia_nr.user)
    assert (
        "Submitted narrative" in nr.get("/reviews/").content.decode()
        or nr.get("/reviews/").status_code == 200
    )
    assert nr.get(world.draft.get_absolute_url()).status_code == 200  # an NR sees its country's drafts
    assert nr.get(f"/projects/{world.public.slug}/edit/").status_code == 403  # but does not edit them
    response = nr.post(f"/reports/{world.submitted.public_id}/review/", {"decision": "approve"})
    assert response.status_code == 302
    world.submitted.refresh_from_db()
    assert world.submitted.state == ProgressReport.State.APPROVED
    assert world.submitted.reviewed_by == world.net.indonesia_nr.user
    assert client_for(None).get(world.submitted.get_absolute_url()).status_code == 200


def test_nr_returns_a_report_only_with_a_comment(world, client_for):
    nr = client_for(world.net.indonesia_nr.user)
    response = nr.post(f"/reports/{world.submitted.public_id}/review/", {"decision": "return", "comment": ""})
    assert response.status_code == 400
    world.submitted.refresh_from_db()
    assert world.submitted.state == ProgressReport.State.SUBMITTED
    nr.post(
        f"/reports/{world.submitted.public_id}/review/", {"decision": "return", "comment": "Add the costs."}
    )
    world.submitted.refresh_from_db()
    assert world.submitted.state == ProgressReport.State.RETURNED
    assert world.submitted.review_comment == "Add the costs."


def test_company_edits_only_its_own_offers(world, client_for):
    company = client_for(world.net.company_person.user)
    data = {
        "organisation": world.net.company_person.organisation.pk,
        "title": "Better sensors",
        "language": "ja",
        "description": "センサー",
        "focus_areas": ["health_wellbeing"],
        "deployed_in": "JP, TH",
        "published": "on",
    }
    assert company.post(f"/offers/{world.offer.slug}/edit/", data).status_code == 302
    world.offer.refresh_from_db()
    assert world.offer.title == "Better sensors" and world.offer.deployed_in == "JP,TH"
    assert company.get(f"/offers/{world.other_offer.slug}/edit/").status_code == 403
    assert (
        company.post(f"/offers/{world.other_offer.slug}/edit/", {**data, "title": "Hijacked"}).status_code
        == 403
    )
    # A new offer cannot be filed in another company's name.
    before = Offer.objects.count()
    response = company.post("/offers/new/", {**data, "organisation": world.other_offer.organisation.pk})
    assert response.status_code == 400 and Offer.objects.count() == before
    # Nor can a company touch a city's project.
    assert company.get(f"/projects/{world.public.slug}/edit/").status_code == 403
    assert company.get("/projects/new/").status_code == 403
    world.other_offer.refresh_from_db()
    assert world.other_offer.title != "Hijacked"


def test_officer_cannot_edit_offers_and_outsider_cannot_add_any(world, client_for):
    assert (
        client_for(world.net.makassar_officer.user).get(f"/offers/{world.offer.slug}/edit/").status_code
        == 403
    )
    assert client_for(world.net.outsider).get("/offers/new/").status_code == 403
    assert client_for(world.net.outsider).get("/reviews/").status_code == 403


def test_secretariat_edits_everything(world, client_for):
    sec = client_for(world.net.secretariat)
    assert sec.get(world.draft.get_absolute_url()).status_code == 200
    assert (
        sec.post(f"/projects/{world.danang.slug}/edit/", _project_post(world.net.danang)).status_code == 302
    )
    assert sec.get(f"/offers/{world.other_offer.slug}/edit/").status_code == 200
    assert (
        sec.post(f"/reports/{world.submitted.public_id}/review/", {"decision": "approve"}).status_code == 302
    )
    world.danang.refresh_from_db()
    assert world.danang.title == "Changed title"


def test_officer_files_and_submits_a_report(world, client_for):
    officer = client_for(world.net.makassar_officer.user)
    data = {
        "period_start": "2025-07-01",
        "period_end": "2025-12-31",
        "status": "implementation",
        "physical_planned": "60",
        "physical_actual": "55",
        "financial_planned": "65",
        "financial_actual": "50",
        "milestones_met": "Second district live",
        "narrative": "Going well.",
        "submit": "1",
    }
    response = officer.post(f"/projects/{world.public.slug}/reports/new/", data)
    assert response.status_code == 302
    report = ProgressReport.objects.get(narrative="Going well.")
    assert (
        report.state == ProgressReport.State.SUBMITTED
        and report.created_by == world.net.makassar_officer.user
    )
    # Submitted: no longer editable by the officer; private until approved.
    assert officer.get(f"/reports/{report.public_id}/edit/").status_code == 403
    assert client_for(None).get(report.get_absolute_url()).status_code == 404


def test_bad_report_input_names_the_field_and_stores_nothing(world, client_for):
    officer = client_for(world.net.makassar_officer.user)
    data = {
        "period_start": "2025-07-01",
        "period_end": "2025-01-31",
        "status": "implementation",
        "physical_planned": "160",
        "physical_actual": "55",
        "financial_planned": "65",
        "financial_actual": "50",
        "narrative": "Bad.",
    }
    before = ProgressReport.objects.count()
    response = officer.post(f"/projects/{world.public.slug}/reports/new/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_physical_planned-errors"' in body and 'id="id_period_end-errors"' in body
    assert ProgressReport.objects.count() == before


def test_bad_currency_and_dates_on_a_project_are_refused(world, client_for):
    officer = client_for(world.net.makassar_officer.user)
    data = {
        **_project_post(world.net.makassar),
        "budget_amount": "1000",
        "budget_currency": "XYZ",
        "start_date": "2025-06-01",
        "end_date": "2025-01-01",
    }
    response = officer.post(f"/projects/{world.public.slug}/edit/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_budget_currency-errors"' in body and 'id="id_end_date-errors"' in body
    world.public.refresh_from_db()
    assert world.public.title == "Makassar home-care visits"


def test_uploads_are_limited_in_type_and_size(world, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    officer = client_for(world.net.makassar_officer.user)
    url = f"/projects/{world.public.slug}/documents/"
    exe = SimpleUploadedFile("tool.exe", b"MZ...", content_type="application/octet-stream")
    officer.post(url, {"doc-title": "Tool", "doc-kind": "other", "doc-language": "en", "doc-file": exe})
    big = SimpleUploadedFile(
        "plan.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf"
    )
    officer.post(url, {"doc-title": "Plan", "doc-kind": "projectPlan", "doc-language": "en", "doc-file": big})
    assert world.public.documents.count() == 0
    ok = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 small", content_type="application/pdf")
    officer.post(url, {"doc-title": "Plan", "doc-kind": "projectPlan", "doc-language": "en", "doc-file": ok})
    assert world.public.documents.count() == 1
