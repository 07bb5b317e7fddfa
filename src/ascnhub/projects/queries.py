"""Read-side helpers shared by the pages, the open data and the search: filters and list query sets.

Every list is built here once, with the joins and prefetches it needs, so that a page shows 20 or
2,000 rows with the same number of queries, and the CSV/JSON downloads filter exactly like the page.
"""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from ascnhub.registry.models import City, MemberState, Organisation

from .codes import FocusArea
from .models import Need, Offer, Partnership, ProgressReport, Project, ProjectParty, fold

PROJECT_FILTERS = ["country", "city", "focus", "status", "funder", "q"]


def _latest_report(field: str) -> Subquery:
    return Subquery(
        ProgressReport.objects.filter(project=OuterRef("pk"), state=ProgressReport.State.APPROVED)
        .order_by("-period_end", "-id")
        .values(field)[:1]
    )


def project_rows(base: QuerySet | None = None) -> QuerySet:
    """Projects with what a list shows: city, country, focus areas, funders, latest approved progress."""
    qs = Project.objects.public() if base is None else base
    return (
        qs.select_related("city__country")
        .prefetch_related(
            "focus_areas",
            "outcomes",
            Prefetch(
                "parties", queryset=ProjectParty.objects.select_related("organisation"), to_attr="party_list"
            ),
        )
        .annotate(
            progress_physical=_latest_report("physical_actual"),
            progress_financial=_latest_report("financial_actual"),
            progress_date=_latest_report("period_end"),
        )
    )


def filter_projects(qs: QuerySet, params) -> tuple[QuerySet, dict[str, str]]:
    """Apply the list filters in `params` (a QueryDict or dict).

    Returns the filtered query set and the active filters."""
    active = {k: (params.get(k) or "").strip() for k in PROJECT_FILTERS}
    if active["country"]:
        active["country"] = active["country"].upper()
        qs = qs.filter(city__country__code=active["country"])
    if active["city"]:
        qs = qs.filter(city__slug=active["city"])
    if active["focus"]:
        qs = qs.filter(focus_areas__code=active["focus"])
    if active["status"]:
        qs = qs.filter(status=active["status"])
    if active["funder"]:
        qs = qs.filter(parties__organisation__slug=active["funder"], parties__role=ProjectParty.Role.FUNDER)
    if active["q"]:
        qs = qs.filter(search_text__contains=fold(active["q"]))
    if active["focus"] or active["funder"]:
        qs = qs.distinct()
    return qs, active


def project_filter_options() -> dict:
    public = Project.objects.public()
    return {
        "countries": MemberState.objects.filter(cities__projects__in=public).distinct().order_by("name"),
        "cities": City.objects.filter(projects__in=public).distinct().order_by("name"),
        "focus_areas": FocusArea.choices,
        "statuses": Project.Status.choices,
        "funders": Organisation.objects.filter(
            project_roles__role=ProjectParty.Role.FUNDER, project_roles__project__in=public
        )
        .distinct()
        .order_by("name"),
    }


def need_rows(base: QuerySet | None = None) -> QuerySet:
    qs = Need.objects.public() if base is None else base
    return qs.select_related("city__country", "project").prefetch_related("focus_areas")


def filter_needs(qs: QuerySet, params) -> tuple[QuerySet, dict[str, str]]:
    active = {
        k: (params.get(k) or "").strip() for k in ["country", "city", "focus", "kind", "stage", "open", "q"]
    }
    if active["country"]:
        active["country"] = active["country"].upper()
        qs = qs.filter(city__country__code=active["country"])
    if active["city"]:
        qs = qs.filter(city__slug=active["city"])
    if active["focus"]:
        qs = qs.filter(focus_areas__code=active["focus"]).distinct()
    if active["kind"]:
        qs = qs.filter(kind=active["kind"])
    if active["stage"]:
        qs = qs.filter(stage=active["stage"])
    if active["open"] in ("yes", "no"):
        qs = qs.filter(is_open=active["open"] == "yes")
    if active["q"]:
        qs = qs.filter(search_text__contains=fold(active["q"]))
    return qs, active


def offer_rows(base: QuerySet | None = None) -> QuerySet:
    qs = Offer.objects.public() if base is None else base
    return qs.select_related("organisation").prefetch_related("focus_areas")


def filter_offers(qs: QuerySet, params) -> tuple[QuerySet, dict[str, str]]:
    active = {k: (params.get(k) or "").strip() for k in ["focus", "country", "deployed", "company", "q"]}
    if active["focus"]:
        qs = qs.filter(focus_areas__code=active["focus"]).distinct()
    if active["country"]:
        active["country"] = active["country"].upper()
        qs = qs.filter(organisation__country=active["country"])
    if active["deployed"]:
        active["deployed"] = active["deployed"].upper()[:2]
        qs = qs.filter(Q(deployed_in__contains=active["deployed"]))
    if active["company"]:
        qs = qs.filter(organisation__slug=active["company"])
    if active["q"]:
        qs = qs.filter(search_text__contains=fold(active["q"]))
    return qs, active


def partnership_rows(base: QuerySet | None = None) -> QuerySet:
    qs = Partnership.objects.public() if base is None else base
    return qs.select_related("city__country", "organisation", "project")


def filter_partnerships(qs: QuerySet, params) -> tuple[QuerySet, dict[str, str]]:
    active = {k: (params.get(k) or "").strip() for k in ["country", "city", "kind", "organisation"]}
    if active["country"]:
        active["country"] = active["country"].upper()
        qs = qs.filter(city__country__code=active["country"])
    if active["city"]:
        qs = qs.filter(city__slug=active["city"])
    if active["kind"]:
        qs = qs.filter(kind=active["kind"])
    if active["organisation"]:
        qs = qs.filter(organisation__slug=active["organisation"])
    return qs, active


def report_rows(base: QuerySet | None = None) -> QuerySet:
    qs = ProgressReport.objects.public() if base is None else base
    return qs.select_related("project__city__country").prefetch_related("attachments")
