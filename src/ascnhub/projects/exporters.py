"""Open data: every public list as rows (for CSV and JSON) and all public projects as an OC4IDS
project package. Only public records ever reach these functions' output: published projects,
needs and offers, approved progress reports.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import queries
from .codes import FocusArea, Outcome
from .models import Funding, ProgressReport, Project, ProjectDocument, ProjectParty

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
OC4IDS_VERSION = "0.9"
FOCUS_SCHEME = "ASCF-focusArea"
OUTCOME_SCHEME = "ASCF-strategicOutcome"
# Our classification of a cost (open classificationScheme codelist; docs/open-data.md).
COST_SCHEME = "ASCNHub-costPeriod"
# The role budgetBreakdown.sourceParty asks its party to carry; partyRole.csv does not list it
# (docs/open-data.md).
SOURCE_PARTY_ROLE = "sourceParty"

StrOrPromise = str | Promise

# Every value we use in an open OC4IDS codelist that the codelist does not list, with its meaning:
# shown on the publication policy page, documented in docs/open-data.md, and checked against what
# lib-cove-oc4ids reports (tests/portal/test_oc4ids_validator.py). The meanings are translated
# on the page; docs/open-data.md keeps the English.
OPEN_CODELIST_ADDITIONS: dict[str, list[tuple[str, StrOrPromise]]] = {
    "classificationScheme (additionalClassifications.scheme, costs.classification.scheme)": [
        (FOCUS_SCHEME, _("The six focus areas of the ASEAN Smart Cities Framework.")),
        (OUTCOME_SCHEME, _("The three strategic outcomes of the ASEAN Smart Cities Framework.")),
        (COST_SCHEME, _("How often a cost recurs; `perYear`: every year of operation.")),
    ],
    "partyRole (parties.roles)": [
        ("partner", _("Works with the city on the project without funding or building it.")),
        ("implementer", _("Builds, delivers or operates the project's result.")),
        ("adviser", _("Gives technical advice (studies, design, supervision).")),
        (SOURCE_PARTY_ROLE, _("Provides funds in budget.budgetBreakdowns (the schema asks for this role).")),
    ],
    "documentType (documents.documentType)": [
        ("webpage", _("The project's page on ASCN Hub.")),
        ("completionReport", _("The city's report at the end of the project.")),
        ("other", _("A document of no type above.")),
    ],
}


def oc4ids_prefix() -> str:
    """The deployment's registered project-identifier prefix (ASCNHUB_OC4IDS_PREFIX)."""
    return settings.ASCNHUB_OC4IDS_PREFIX


def oc4ids_id(project: Project) -> str:
    return f"{oc4ids_prefix()}{project.public_id}"


def publication_policy_url() -> str:
    from django.urls import reverse

    return settings.ASCNHUB_OPEN_DATA_POLICY_URL or _url(reverse("portal:publication_policy"))


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: datetime.date | datetime.datetime | None) -> str | None:
    """An RFC 3339 date-time in UTC (what OC4IDS asks for); a date becomes midnight UTC."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{value.isoformat()}T00:00:00Z"


def _url(path: str) -> str:
    return settings.SITE_URL + path


# --- flat datasets --------------------------------------------------------------------------------


def project_records(qs: QuerySet) -> Iterable[dict[str, Any]]:
    for p in qs:
        parties = getattr(p, "party_list", None)
        if parties is None:
            parties = list(p.parties.select_related("organisation"))
        yield {
            "id": str(p.public_id),
            "slug": p.slug,
            "url": _url(p.get_absolute_url()),
            "title": p.title,
            "description": p.description,
            "language": p.language,
            "translations": p.translations or {},
            "city": p.city.name,
            "city_slug": p.city.slug,
            "country": p.city.country.code,
            "focus_areas": [f.code for f in p.focus_areas.all()],
            "strategic_outcomes": [o.code for o in p.outcomes.all()],
            "status": p.status,
            "start_date": _date(p.start_date),
            "end_date": _date(p.end_date),
            "budget_amount": _num(p.budget_amount),
            "budget_currency": p.budget_currency or None,
            "funders": [x.organisation.name for x in parties if x.role == ProjectParty.Role.FUNDER],
            "partners": [x.organisation.name for x in parties if x.role != ProjectParty.Role.FUNDER],
            "latitude": p.point[0] if p.point else None,
            "longitude": p.point[1] if p.point else None,
            "physical_progress": _num(getattr(p, "progress_physical", None)),
            "financial_progress": _num(getattr(p, "progress_financial", None)),
            "progress_date": _date(getattr(p, "progress_date", None)),
            "is_demo": p.is_demo,
            "updated": _datetime(p.updated_at),
        }


def need_records(qs: QuerySet) -> Iterable[dict[str, Any]]:
    for n in qs:
        yield {
            "id": str(n.public_id),
            "url": _url(n.get_absolute_url()),
            "title": n.title,
            "description": n.description,
            "language": n.language,
            "translations": n.translations or {},
            "city": n.city.name,
            "country": n.city.country.code,
            "project": n.project.slug if n.project_id else None,
            "kind": n.kind,
            "focus_areas": [f.code for f in n.focus_areas.all()],
            "stage": n.stage,
            "budget_amount": _num(n.budget_amount),
            "budget_currency": n.budget_currency or None,
            "budget_usd": n.budget_usd,
            "open": n.is_open,
            "is_demo": n.is_demo,
            "updated": _datetime(n.updated_at),
        }


def offer_records(qs: QuerySet) -> Iterable[dict[str, Any]]:
    for o in qs:
        yield {
            "id": o.slug,
            "url": _url(o.get_absolute_url()),
            "title": o.title,
            "description": o.description,
            "language": o.language,
            "translations": o.translations or {},
            "organisation": o.organisation.name,
            "organisation_slug": o.organisation.slug,
            "country": o.organisation.country,
            "focus_areas": [f.code for f in o.focus_areas.all()],
            "deployed_in": o.deployed_in_codes,
            "references": o.reference_list,
            "contact_name": o.contact_name,
            "contact_email": o.contact_email,
            "contact_url": o.contact_url,
            "is_demo": o.is_demo,
            "updated": _datetime(o.updated_at),
        }


def partnership_records(qs: QuerySet) -> Iterable[dict[str, Any]]:
    for p in qs:
        yield {
            "id": str(p.public_id),
            "title": p.title,
            "kind": p.kind,
            "city": p.city.name,
            "country": p.city.country.code,
            "organisation": p.organisation.name,
            "organisation_country": p.organisation.country,
            "project": p.project.slug if p.project_id else None,
            "start_date": _date(p.start_date),
            "end_date": _date(p.end_date),
            "origin": p.origin,
            "is_demo": p.is_demo,
        }


def report_records(qs: QuerySet) -> Iterable[dict[str, Any]]:
    for r in qs:
        yield {
            "id": str(r.public_id),
            "url": _url(r.get_absolute_url()),
            "project": r.project.slug,
            "project_title": r.project.title,
            "city": r.project.city.name,
            "country": r.project.city.country.code,
            "period_start": _date(r.period_start),
            "period_end": _date(r.period_end),
            "status": r.status,
            "physical_planned": _num(r.physical_planned),
            "physical_actual": _num(r.physical_actual),
            "financial_planned": _num(r.financial_planned),
            "financial_actual": _num(r.financial_actual),
            "milestones_met": r.milestones,
            "narrative": r.narrative,
            "approved": _datetime(r.reviewed_at),
            "attachments": [_url(a.file.url) for a in r.attachments.all()],
            "is_demo": r.is_demo,
        }


DATASETS = {
    # name: (title, public rows with filters, record maker)
    "projects": (
        lambda params: queries.filter_projects(queries.project_rows(), params)[0].order_by(
            "city__name", "title"
        ),
        project_records,
    ),
    "needs": (lambda params: queries.filter_needs(queries.need_rows(), params)[0], need_records),
    "offers": (
        lambda params: queries.filter_offers(queries.offer_rows(), params)[0].order_by("title"),
        offer_records,
    ),
    "partnerships": (
        lambda params: queries.filter_partnerships(queries.partnership_rows(), params)[0],
        partnership_records,
    ),
    "progress-reports": (
        lambda params: queries.report_rows().order_by("project__slug", "period_end"),
        report_records,
    ),
}


def dataset(name: str, params=None) -> list[dict[str, Any]]:
    rows, make = DATASETS[name]
    return list(make(rows(params or {})))


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """One CSV row: lists joined with "; ", translations as JSON text."""
    import json

    out = {}
    for key, value in record.items():
        if isinstance(value, list):
            out[key] = "; ".join(str(v) for v in value)
        elif isinstance(value, dict):
            out[key] = json.dumps(value, ensure_ascii=False) if value else ""
        elif value is None:
            out[key] = ""
        else:
            out[key] = value
    return out


# --- OC4IDS ---------------------------------------------------------------------------------------


def oc4ids_projects_queryset() -> QuerySet:
    return (
        Project.objects.public()
        .select_related("city__country")
        .prefetch_related(
            "focus_areas",
            "outcomes",
            Prefetch(
                "parties", queryset=ProjectParty.objects.select_related("organisation"), to_attr="party_list"
            ),
            Prefetch(
                "documents", queryset=ProjectDocument.objects.order_by("added_at"), to_attr="document_list"
            ),
            Prefetch(
                "fundings",
                queryset=Funding.objects.select_related("source").order_by("status", "-amount", "id"),
                to_attr="funding_list",
            ),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(state=ProgressReport.State.APPROVED).order_by(
                    "period_end", "id"
                ),
                to_attr="approved_reports",
            ),
        )
        .order_by("city__country__code", "city__name", "slug")
    )


def _schema_currencies() -> set[str]:
    from .oc4ids.schema import project_schema

    return set(project_schema()["definitions"]["Value"]["properties"]["currency"]["enum"])


def oc4ids_project(p: Project, currencies: set[str]) -> dict[str, Any]:
    city, country = p.city, p.city.country
    authority_id = f"city-{city.slug}"
    project: dict[str, Any] = {
        "id": oc4ids_id(p),
        "updated": _datetime(p.updated_at),
        "language": p.language,
        "identifiers": [{"id": p.slug, "scheme": "ASCN Hub project slug"}],
        "title": p.title,
        "description": p.description,
        "status": p.status,
        "publicAuthority": {"id": authority_id, "name": f"{city.name} ({country.name})"},
    }
    classifications = [
        {"scheme": FOCUS_SCHEME, "id": f.code, "description": str(FocusArea(f.code).label)}
        for f in p.focus_areas.all()
    ]
    classifications += [
        {"scheme": OUTCOME_SCHEME, "id": o.code, "description": str(Outcome(o.code).label)}
        for o in p.outcomes.all()
    ]
    if classifications:
        project["additionalClassifications"] = classifications
    period = {
        k: v for k, v in {"startDate": _datetime(p.start_date), "endDate": _datetime(p.end_date)}.items() if v
    }
    if p.start_date and p.end_date:
        period["durationInDays"] = (p.end_date - p.start_date).days
    if period:
        project["period"] = period
    budget: dict[str, Any] = {}
    if p.budget_amount is not None and p.budget_currency in currencies:
        budget["amount"] = {"amount": float(p.budget_amount), "currency": p.budget_currency}
        if p.budget_description:
            budget["description"] = p.budget_description
    fundings = [f for f in getattr(p, "funding_list", []) if f.currency in currencies]
    groups = []
    for status, label in Funding.Status.choices:
        lines = [
            {
                "id": str(f.public_id),
                "description": f.description or f"{f.source.name} ({label})",
                "amount": {"amount": float(f.amount), "currency": f.currency},
                "sourceParty": {"id": f"org-{f.source.slug}", "name": f.source.name},
            }
            for f in fundings
            if f.status == status
        ]
        if lines:
            groups.append(
                {"id": status, "description": f"{label} funding, by source", "budgetBreakdown": lines}
            )
    if groups:
        budget["budgetBreakdowns"] = groups
    if budget:
        project["budget"] = budget
    if p.om_cost_per_year is not None and p.om_cost_currency in currencies:
        om_value = {"amount": float(p.om_cost_per_year), "currency": p.om_cost_currency}
        project["costMeasurements"] = [
            {
                "id": "operation-and-maintenance",
                "costGroups": [
                    {
                        "id": "operation-and-maintenance",
                        "category": "operation",
                        "costs": [
                            {
                                "id": "per-year",
                                "classification": {
                                    "scheme": COST_SCHEME,
                                    "id": "perYear",
                                    "description": "Operation and maintenance cost per year",
                                },
                                "value": om_value,
                            }
                        ],
                    }
                ],
            }
        ]
    point = p.point
    if point:
        location: dict[str, Any] = {
            "id": "1",
            "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
            "address": {"locality": city.name, "countryName": country.name},
        }
        if p.location_description:
            location["description"] = p.location_description
        project["locations"] = [location]
    parties = [
        {
            "id": authority_id,
            "name": f"{city.name} ({country.name})",
            "roles": ["publicAuthority"],
            "address": {"locality": city.name, "countryName": country.name},
            "identifier": {"scheme": "ASCN-city", "id": city.slug},
        }
    ]
    by_org: dict[int, dict] = {}
    # Every funding source is a party too, so that each sourceParty reference finds its entry.
    roles_of = [(party.organisation, party.role) for party in getattr(p, "party_list", [])]
    for f in fundings:
        roles_of += [(f.source, ProjectParty.Role.FUNDER.value), (f.source, SOURCE_PARTY_ROLE)]
    for org, role in roles_of:
        entry = by_org.get(org.pk)
        if entry is None:
            entry = {
                "id": f"org-{org.slug}",
                "name": org.name,
                "roles": [],
                "identifier": {"scheme": "ASCN-organisation", "id": org.slug},
            }
            if org.website:
                entry["contactPoint"] = {"url": org.website}
            by_org[org.pk] = entry
            parties.append(entry)
        if role not in entry["roles"]:
            entry["roles"].append(role)
    project["parties"] = parties
    documents = [
        {
            "id": str(d.public_id),
            "documentType": d.kind,
            "title": d.title,
            "url": _url(d.href) if d.file else d.url,
            "language": d.language,
            "datePublished": _datetime(d.added_at),
        }
        for d in getattr(p, "document_list", [])
    ]
    project_url = _url(p.get_absolute_url())
    documents.append(
        {
            "id": "project-page",
            "documentType": "webpage",
            "title": p.title,
            "url": project_url,
            "language": p.language,
        }
    )
    reports = getattr(p, "approved_reports", [])
    for r in reports:
        documents.append(
            {
                "id": f"report-{r.public_id}",
                "documentType": "physicalProgressReport",
                "title": f"Progress report {r.period_start.isoformat()} – {r.period_end.isoformat()}",
                "description": r.narrative[:2000] or "—",
                "url": _url(r.get_absolute_url()),
                "language": p.language,
                "datePublished": _datetime(r.reviewed_at or r.updated_at),
            }
        )
    project["documents"] = documents
    milestones = []
    for r in reports:
        for i, title in enumerate(r.milestones, start=1):
            milestones.append(
                {
                    "id": f"{r.public_id}-{i}",
                    "title": title,
                    "status": "met",
                    "dateMet": _datetime(r.period_end),
                }
            )
    if milestones:
        project["milestones"] = milestones
    if reports:
        metrics = []
        for key, title, planned, actual in [
            ("physicalProgress", "Physical progress", "physical_planned", "physical_actual"),
            ("financialProgress", "Financial progress", "financial_planned", "financial_actual"),
        ]:
            observations = []
            for r in reports:
                period = {"startDate": _datetime(r.period_start), "endDate": _datetime(r.period_end)}
                for kind, field in (("planned", planned), ("actual", actual)):
                    observations.append(
                        {
                            "id": f"{r.public_id}-{kind}",
                            "period": period,
                            "measure": float(getattr(r, field)),
                            "unit": {"name": "percent"},
                            "dimensions": {"type": kind},
                        }
                    )
            metrics.append({"id": key, "title": title, "observations": observations})
        project["metrics"] = metrics
    return project


def oc4ids_package(projects: Iterable[Project] | None = None, *, uri: str | None = None) -> dict[str, Any]:
    """Public projects as an OC4IDS project package (all of them, or those given, e.g. one city's),
    with its licence and publication-policy URLs. The standard's validator, lib-cove-oc4ids, accepts
    it with no schema error and no additional-check finding (tests/portal/test_oc4ids_validator.py).

    `publishedDate` is the last change to a project in the package, as the standard asks of a
    package generated on demand (now, for an empty one).
    """
    qs = oc4ids_projects_queryset() if projects is None else projects
    currencies = _schema_currencies()
    chosen = list(qs)
    items = [oc4ids_project(p, currencies) for p in chosen]
    last_change = max((p.updated_at for p in chosen), default=None) or timezone.now()
    return {
        "uri": uri or _url("/open-data/projects.oc4ids.json"),
        "publishedDate": _datetime(last_change),
        "publisher": {"name": "ASCN Hub — ASEAN Smart Cities Network", "uri": settings.SITE_URL + "/"},
        "version": OC4IDS_VERSION,
        "license": LICENCE_URL,
        "publicationPolicy": publication_policy_url(),
        "projects": items,
    }
