"""Progress reports: a city files them, its National Representative approves or returns them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.forms import form_status, submit_form
from ascnhub.common.http import LoginRequired, require_perm
from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from .. import services
from ..forms import ReportForm, ReviewForm
from ..models import ProgressReport, Project
from .helpers import visible_or_404


def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("city__country"), slug=slug)
    visible_or_404(request, "projects.view_project", project)
    require_perm(request, "projects.add_progressreport", project)
    last = project.reports.order_by("-period_end").first()
    initial = {"status": project.status}
    if last:
        initial.update(
            {
                "period_start": last.period_end,
                "physical_planned": last.physical_planned,
                "financial_planned": last.financial_planned,
            }
        )
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    submitting = "submit" in request.POST

    def save() -> ProgressReport:
        report = services.save_report(
            request.user, ProgressReport(project=project), form.model_data(), form.attachments()
        )
        if submitting:
            services.submit_report(request.user, report)
        return report

    success = _("Report submitted for review.") if submitting else _("Report saved as a draft.")
    if done := submit_form(request, form, save, success=success):
        return done
    return render(
        request,
        "projects/report_form.html",
        {"form": form, "project": project, "report": None},
        status=form_status(form),
    )


def _report(request: HttpRequest, public_id) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related("project__city__country", "reviewed_by", "created_by"),
        public_id=public_id,
    )
    visible_or_404(request, "projects.view_progressreport", report)
    return report


def report_detail(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    can_review = request.user.has_perm("projects.review_progressreport", report)
    return render(
        request,
        "projects/report_detail.html",
        {
            "report": report,
            "project": report.project,
            "attachments": list(report.attachments.all()),
            "can_edit": request.user.has_perm("projects.change_progressreport", report),
            "can_review": can_review,
            "review_form": ReviewForm() if can_review else None,
        },
    )


def report_edit(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    require_perm(request, "projects.change_progressreport", report)
    form = ReportForm(
        request.POST or None, request.FILES or None, instance=ProgressReport.objects.get(pk=report.pk)
    )
    submitting = "submit" in request.POST

    def save() -> ProgressReport:
        services.save_report(request.user, report, form.model_data(), form.attachments())
        if submitting:
            services.submit_report(request.user, report)
        return report

    success = _("Report submitted for review.") if submitting else _("Saved.")
    try:
        done = submit_form(request, form, save, success=success)
    except services.ReviewError as exc:  # the report's state forbids it: said on its page
        messages.error(request, str(exc))
        return redirect(report)
    if done:
        return done
    return render(
        request,
        "projects/report_form.html",
        {"form": form, "project": report.project, "report": report},
        status=form_status(form),
    )


@require_POST
def report_submit(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    require_perm(request, "projects.change_progressreport", report)
    try:
        services.submit_report(request.user, report)
        messages.success(request, _("Report submitted for review."))
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect(report)


@require_POST
def report_review(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    require_perm(request, "projects.review_progressreport", report)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "projects/report_detail.html",
            {
                "report": report,
                "project": report.project,
                "attachments": list(report.attachments.all()),
                "can_review": True,
                "review_form": form,
            },
            status=400,
        )
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.review_report(request.user, report, approve=approve, comment=form.cleaned_data["comment"])
    except services.ReviewError as exc:
        messages.error(request, str(exc))
        return redirect(report)
    messages.success(
        request, _("Report approved and published.") if approve else _("Report returned to the city.")
    )
    return redirect("projects:reviews")


def review_queue(request: HttpRequest) -> HttpResponse:
    """Reports waiting for the signed-in NR (or the secretariat), and the officer's own reports."""
    if not request.user.is_authenticated:
        raise LoginRequired()
    countries, cities = represented_country_ids(request.user), officer_city_ids(request.user)
    if not (countries or cities or is_secretariat(request.user)):
        raise PermissionDenied()
    base = ProgressReport.objects.select_related("project__city__country").order_by("-submitted_at", "-id")
    if is_secretariat(request.user):
        to_review = base.filter(state=ProgressReport.State.SUBMITTED)
    else:
        to_review = base.filter(state=ProgressReport.State.SUBMITTED, project__city__country_id__in=countries)
    mine = base.filter(project__city_id__in=cities).exclude(state=ProgressReport.State.APPROVED)
    return render(request, "projects/review_queue.html", {"to_review": to_review, "mine": mine})
