"""API v1: a city's officer files progress reports on the city's projects (`write:progress_reports`).

The same rules as the web pages (projects/rules.py): only the officer of the project's city (or
the secretariat) files a report; another city's officer gets 403 on a published project and 404
on a draft one. The report form checks the fields; projects/services.py saves and submits.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from ascnhub.projects import services
from ascnhub.projects.forms import ReportForm
from ascnhub.projects.models import ProgressReport, Project

from .auth import WRITE_THROTTLE, TokenAuth, require_any_scope, require_scope
from .errors import InvalidFields
from .schemas import ErrorOut, FieldErrorsOut

router = Router(tags=["progress reports"], auth=TokenAuth())
SCOPE = "write:progress_reports"
Percent = Field(ge=0, le=100, description="Per cent, one decimal place at most.")


class ReportIn(Schema):
    period_start: datetime.date
    period_end: datetime.date
    status: Project.Status = Field(description="The project's status at the end of the period.")
    physical_planned: float = Percent
    physical_actual: float = Percent
    financial_planned: float = Percent
    financial_actual: float = Percent
    milestones_met: str = Field("", description="One milestone a line.")
    narrative: str
    submit: bool = Field(
        True, description="Send it to the National Representative for review (false: a draft)."
    )


class ReportOut(Schema):
    id: uuid.UUID
    project: str
    period_start: datetime.date
    period_end: datetime.date
    status: str
    physical_planned: float
    physical_actual: float
    financial_planned: float
    financial_actual: float
    milestones_met: str
    narrative: str
    state: str = Field(description="draft, submitted, returned or approved")
    submitted_at: datetime.datetime | None
    review_comment: str
    url: str


def _out(request, r: ProgressReport) -> dict:
    return {
        "id": r.public_id,
        "project": r.project.slug,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "status": r.status,
        "physical_planned": float(r.physical_planned),
        "physical_actual": float(r.physical_actual),
        "financial_planned": float(r.financial_planned),
        "financial_actual": float(r.financial_actual),
        "milestones_met": r.milestones_met,
        "narrative": r.narrative,
        "state": r.state,
        "submitted_at": r.submitted_at,
        "review_comment": r.review_comment,
        "url": request.build_absolute_uri(r.get_absolute_url()),
    }


def _invalid(exc: ValidationError) -> InvalidFields:
    if hasattr(exc, "error_dict"):
        return InvalidFields(
            {name: [m for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
        )
    return InvalidFields({"report": exc.messages})


def _report(request, report_id: uuid.UUID) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related("project__city__country"), public_id=report_id
    )
    if not request.user.has_perm("projects.view_progressreport", report):
        raise HttpError(404, "Not found.")
    return report


@router.post(
    "/projects/{slug}/reports",
    response={
        201: ReportOut,
        400: FieldErrorsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    throttle=WRITE_THROTTLE,
    summary="File a progress report on one of your city's projects",
    description="Submitted for review at once unless `submit` is false. 400 names every wrong field.",
)
def create_report(request, slug: str, payload: ReportIn):
    require_scope(request, SCOPE)
    project = get_object_or_404(Project.objects.select_related("city__country"), slug=slug)
    if not request.user.has_perm("projects.view_project", project):
        raise HttpError(404, "Not found.")
    if not request.user.has_perm("projects.add_progressreport", project):
        raise HttpError(403, f"only the officer of {project.city.name} files reports on this project")
    data = payload.model_dump(exclude={"submit"})
    form = ReportForm({k: ("" if v is None else str(v)) for k, v in data.items()})
    if not form.is_valid():
        raise InvalidFields({name: [str(m) for m in msgs] for name, msgs in form.errors.items()})
    try:
        report = services.save_report(request.user, ProgressReport(project=project), form.model_data())
        if payload.submit:
            report = services.submit_report(request.user, report)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, _out(request, report))


@router.get(
    "/reports/{report_id}",
    response={200: ReportOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One progress report and its review state",
)
def get_report(request, report_id: uuid.UUID):
    require_any_scope(request, SCOPE, "read:private")
    return _out(request, _report(request, report_id))


@router.post(
    "/reports/{report_id}/submit",
    response={
        200: ReportOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    throttle=WRITE_THROTTLE,
    summary="Submit a draft or returned report for review",
)
def submit_report(request, report_id: uuid.UUID):
    require_scope(request, SCOPE)
    report = _report(request, report_id)
    if not request.user.has_perm("projects.change_progressreport", report):
        if report.is_editable:
            raise HttpError(403, "only the officer of the project's city submits its reports")
        raise HttpError(409, f"state: a {report.state} report cannot be submitted again")
    return _out(request, services.submit_report(request.user, report))
