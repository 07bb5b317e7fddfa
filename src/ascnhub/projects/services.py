"""Every change to projects, needs, reports, partnerships and offers: validate, write, log — in one
transaction. Views and importers call these; they never save models themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ascnhub.common import activity
from ascnhub.common.errors import DomainError
from ascnhub.notices.services import notify

from .models import (
    FocusAreaTag,
    Funding,
    Need,
    Offer,
    OutcomeTag,
    Partnership,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectParty,
    ReportAttachment,
)

if TYPE_CHECKING:
    from ascnhub.common.models import User


class ReviewError(DomainError):
    """A report cannot change state this way (e.g. approving a draft); `code` says why.

    The report's state is what is wrong, so `field` is "state" unless said otherwise.
    """

    http_status = 409

    def __init__(self, code: str, message: Any, field: str | None = "state") -> None:
        super().__init__(code, message, field)


def unique_slug(model, text: str, *, exclude_pk: int | None = None, max_length: int = 110) -> str:
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or "item"
    slug, n = base, 2
    qs = model.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _m2m_codes(obj, name: str) -> list[str]:
    return sorted(getattr(obj, name).values_list("code", flat=True)) if obj.pk else []


def _save(actor: User, obj, data: dict[str, Any], m2m: dict[str, list[str]] | None = None) -> dict:
    """Set fields, validate, save, set many-to-many codes and log the difference."""
    creating = obj.pk is None
    m2m = m2m or {}
    before = {} if creating else activity.snapshot(obj)
    before.update({k: _m2m_codes(obj, k) for k in m2m} if not creating else {})
    for name, value in data.items():
        setattr(obj, name, value)
    if "focus_areas" in m2m and not m2m["focus_areas"]:
        raise ValidationError({"focus_areas": _("Choose at least one focus area.")})
    obj.full_clean()
    obj.save()
    for name, codes in m2m.items():
        model = FocusAreaTag if name == "focus_areas" else OutcomeTag
        getattr(obj, name).set(model.objects.filter(code__in=[getattr(c, "code", c) for c in codes]))
    after = activity.snapshot(obj)
    after.update({k: _m2m_codes(obj, k) for k in m2m})
    changes = activity.diff(before, after)
    activity.record(actor, "create" if creating else "update", obj, changes)
    return changes


@transaction.atomic
def save_project(
    actor: User,
    project: Project,
    data: dict[str, Any],
    *,
    focus_areas: list[str],
    outcomes: list[str] | None = None,
) -> Project:
    """Create or update a project (a new one gets a slug from its city and title)."""
    if project.pk is None:
        project.created_by = actor if getattr(actor, "is_authenticated", False) else None
        city = data.get("city") or project.city
        project.slug = unique_slug(Project, f"{city.slug} {data.get('title', project.title)}")
    _save(actor, project, data, {"focus_areas": focus_areas, "outcomes": outcomes or []})
    return project


@transaction.atomic
def add_party(actor: User, project: Project, organisation, role: str, note: str = "") -> ProjectParty:
    party = ProjectParty(project=project, organisation=organisation, role=role, note=note)
    party.full_clean()
    party.save()
    activity.record(actor, "add_party", project, {"parties": [None, str(party)]})
    return party


@transaction.atomic
def remove_party(actor: User, party: ProjectParty) -> None:
    activity.record(actor, "remove_party", party.project, {"parties": [str(party), None]})
    party.delete()


@transaction.atomic
def add_funding(
    actor: User,
    project: Project,
    *,
    source,
    amount,
    currency: str,
    status: str = Funding.Status.PLEDGED,
    description: str = "",
) -> Funding:
    """Record one funding source's share of a project's budget (amount in an ISO 4217 currency,
    committed or pledged). A second line for the same source, status and currency is refused."""
    funding = Funding(
        project=project,
        source=source,
        amount=amount,
        currency=(currency or "").strip().upper(),
        status=status,
        description=description,
    )
    funding.full_clean()
    funding.save()
    activity.record(actor, "add_funding", project, {"fundings": [None, str(funding)]})
    return funding


@transaction.atomic
def remove_funding(actor: User, funding: Funding) -> None:
    """Delete one funding line of a project (logged on the project)."""
    activity.record(actor, "remove_funding", funding.project, {"fundings": [str(funding), None]})
    funding.delete()


class FundingRowsError(DomainError):
    """Some lines of a project's funding are wrong: `rows` maps each wrong line (0-based) to its
    fields and their messages; `fields` does the same for the project-wide fields."""

    def __init__(self, rows: dict[int, dict[str, list[str]]], fields: dict[str, list[str]]) -> None:
        first = next(iter(rows.items()), None)
        if first is not None:
            index, errors = first
            name, messages = next(iter(errors.items()))
            text = _("Row %(row)s, %(field)s: %(message)s") % {
                "row": index + 1,  # of the lines given; pages pass their own row numbers as "row"
                "field": name,
                "message": " ".join(messages),
            }
        else:
            name, messages = next(iter(fields.items()))
            text = f"{name}: {' '.join(messages)}"
        super().__init__("invalid_funding", text, name)
        self.rows, self.fields = rows, fields


@transaction.atomic
def set_fundings(
    actor: User,
    project: Project,
    rows: list[dict[str, Any]],
    *,
    om_cost_per_year=None,
    om_cost_currency: str = "",
) -> list[Funding]:
    """Replace a project's budget lines with `rows` and set its operation-and-maintenance cost per
    year. Each row: source, amount, currency, status, description; `public_id` keeps an existing
    line; `row` is the number a page shows it under. Every line is checked first: an amount that is
    not positive, a currency that is not ISO 4217, or two lines for the same source, status and
    currency refuse the whole change (`FundingRowsError`, naming each wrong line and field) and
    nothing is written."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    existing = {str(f.public_id): f for f in project.fundings.all()}
    # Read before the rows below change these same objects.
    before = sorted(str(f) for f in existing.values())
    stored_keys = {f.pk: (f.source_id, f.status, f.currency) for f in existing.values()}
    lines: list[Funding] = []
    errors: dict[int, dict[str, list[str]]] = {}
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        funding = existing.get(str(row.get("public_id") or "")) or Funding(project=project)
        funding.source = row["source"]
        funding.amount = row["amount"]
        funding.currency = (row.get("currency") or "").strip().upper()
        funding.status = row.get("status") or Funding.Status.PLEDGED
        funding.description = row.get("description") or ""
        try:
            # The project-wide uniqueness is checked below, across the new lines, not the stored ones.
            funding.full_clean(validate_unique=False, validate_constraints=False)
            if funding.amount is not None and funding.amount <= 0:
                raise ValidationError({"amount": [_("The amount must be more than zero.")]})
        except ValidationError as exc:
            errors[index] = {k: list(v) for k, v in exc.message_dict.items()}
            continue
        key = (funding.source.pk, funding.status, funding.currency)
        if key in seen:
            errors[index] = {
                "source": [
                    _("Row %(row)s already gives this source's %(status)s amount in %(currency)s.")
                    % {
                        "row": rows[seen[key]].get("row", seen[key] + 1),
                        "status": funding.get_status_display(),
                        "currency": funding.currency,
                    }
                ]
            }
            continue
        seen[key] = index
        lines.append(funding)
    project.om_cost_per_year = om_cost_per_year
    project.om_cost_currency = (
        (om_cost_currency or "").strip().upper() if om_cost_per_year is not None else ""
    )
    fields: dict[str, list[str]] = {}
    try:
        project.clean_fields(
            exclude=[f.name for f in Project._meta.fields if not f.name.startswith("om_cost")]
        )
        project.clean()
    except ValidationError as exc:
        fields = {k: list(v) for k, v in exc.message_dict.items() if k.startswith("om_cost")}
    if errors or fields:
        raise FundingRowsError(errors, fields)
    kept = {f.pk for f in lines if f.pk}
    project.fundings.exclude(pk__in=kept).delete()
    # A kept line whose source, status or currency changed is written again under its own id and
    # public_id, after the others' old rows are gone: two lines may swap their status in one save.
    moved = [f for f in lines if f.pk and stored_keys[f.pk] != (f.source.pk, f.status, f.currency)]
    Funding.objects.filter(pk__in=[f.pk for f in moved]).delete()
    for funding in lines:
        funding.save(force_insert=funding in moved)
    project.save(update_fields=["om_cost_per_year", "om_cost_currency", "updated_at"])
    activity.record(actor, "set_fundings", project, {"fundings": [before, sorted(str(f) for f in lines)]})
    return lines


@transaction.atomic
def add_document(actor: User, project: Project, data: dict[str, Any]) -> ProjectDocument:
    doc = ProjectDocument(project=project, **data)
    doc.full_clean()
    doc.save()
    activity.record(actor, "add_document", project, {"documents": [None, doc.title]})
    return doc


@transaction.atomic
def remove_document(actor: User, doc: ProjectDocument) -> None:
    activity.record(actor, "remove_document", doc.project, {"documents": [doc.title, None]})
    doc.file.delete(save=False) if doc.file else None
    doc.delete()


@transaction.atomic
def save_need(actor: User, need: Need, data: dict[str, Any], *, focus_areas: list[str]) -> Need:
    if need.pk is None:
        need.created_by = actor if getattr(actor, "is_authenticated", False) else None
    _save(actor, need, data, {"focus_areas": focus_areas})
    return need


@transaction.atomic
def save_offer(actor: User, offer: Offer, data: dict[str, Any], *, focus_areas: list[str]) -> Offer:
    if offer.pk is None:
        offer.created_by = actor if getattr(actor, "is_authenticated", False) else None
        org = data.get("organisation") or offer.organisation
        offer.slug = unique_slug(Offer, f"{org.slug} {data.get('title', offer.title)}")
    _save(actor, offer, data, {"focus_areas": focus_areas})
    return offer


@transaction.atomic
def save_partnership(actor: User, partnership: Partnership, data: dict[str, Any]) -> Partnership:
    _save(actor, partnership, data)
    return partnership


# --- progress reports -----------------------------------------------------------------------------


@transaction.atomic
def save_report(
    actor: User,
    report: ProgressReport,
    data: dict[str, Any],
    attachments: list[tuple[str, Any]] | None = None,
) -> ProgressReport:
    """Create or edit a report while it is a draft or returned; attachments are (title, file) pairs."""
    if report.pk is not None:
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if not locked.is_editable:
            raise ReviewError(
                "not_editable", _("This report has been submitted and can no longer be changed.")
            )
    else:
        report.created_by = actor if getattr(actor, "is_authenticated", False) else None
    _save(actor, report, data)
    for title, file in attachments or []:
        att = ReportAttachment(report=report, title=title or file.name, file=file)
        att.full_clean()
        att.save()
        activity.record(actor, "add_attachment", report, {"attachments": [None, att.title]})
    return report


@transaction.atomic
def submit_report(actor: User, report: ProgressReport) -> ProgressReport:
    """The officer sends the report to the National Representative for review."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise ReviewError("not_editable", _("Only a draft or a returned report can be submitted."))
    before = report.state
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["state", "submitted_at", "updated_at"])
    activity.record(actor, "submit", report, {"state": [before, report.state]})
    return report


@transaction.atomic
def review_report(actor: User, report: ProgressReport, *, approve: bool, comment: str = "") -> ProgressReport:
    """Approve (the report becomes public and the project takes its status) or return with a comment."""
    report = ProgressReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ReviewError("not_submitted", _("Only a submitted report can be reviewed."))
    if not approve and not comment.strip():
        raise ReviewError("comment_required", _("Say what should change when returning a report."))
    before = report.state
    report.state = ProgressReport.State.APPROVED if approve else ProgressReport.State.RETURNED
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.reviewed_at = timezone.now()
    report.review_comment = comment.strip()
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    activity.record(
        actor,
        "approve" if approve else "return",
        report,
        {"state": [before, report.state], "review_comment": ["", report.review_comment]},
    )
    if approve:
        project = report.project
        latest = (
            project.reports.filter(state=ProgressReport.State.APPROVED).order_by("-period_end", "-id").first()
        )
        if latest and latest.pk == report.pk and project.status != report.status:
            old = project.status
            project.status = report.status
            project.save(update_fields=["status", "updated_at"])
            activity.record(actor, "update", project, {"status": [old, project.status]})
    _tell_author(report, approve)
    return report


def _tell_author(report: ProgressReport, approved: bool) -> None:
    """The report's author gets a notice (and an e-mail if they chose so) in their language."""
    author = report.created_by
    if author is None or not author.is_active:
        return
    language = getattr(getattr(author, "person", None), "preferred_language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        text = (
            _("Your progress report on %(project)s was approved.")
            if approved
            else _("Your progress report on %(project)s was returned: %(comment)s")
        ) % {"project": report.project.title, "comment": report.review_comment}
    notify(author, "report_reviewed", text, report.project.get_absolute_url())
