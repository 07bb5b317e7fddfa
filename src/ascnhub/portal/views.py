"""Public pages: network dashboards, one search across everything, open data."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ascnhub.matchmaking.outcomes import matchmaking_outcomes
from ascnhub.projects import exporters
from ascnhub.projects.charts import bar_chart, column_chart
from ascnhub.projects.codes import FocusArea
from ascnhub.projects.models import FocusAreaTag, Need, Offer, Partnership, ProgressReport, Project
from ascnhub.registry.models import MemberState

from . import search as search_module

FIELD_DOCS = {
    # dataset -> [(field, description)]; shown on the open-data page.
    "projects": [
        ("id", gettext_lazy("Stable identifier (UUID) of the project.")),
        ("slug, url", gettext_lazy("Short name in the address of the project page, and that address.")),
        (
            "title, description, language",
            gettext_lazy("As written by the city; language is a BCP 47 code (id, vi, th, ja, …)."),
        ),
        ("translations", gettext_lazy("Optional translations: {language: {title, description}}.")),
        ("city, city_slug, country", gettext_lazy("The ASCN city and its ISO 3166 country code.")),
        (
            "focus_areas",
            gettext_lazy(
                "ASEAN Smart Cities Framework focus areas: civic_social, health_wellbeing, safety_security, "
                "quality_environment, built_infrastructure, industry_innovation."
            ),
        ),
        (
            "strategic_outcomes",
            gettext_lazy("competitive_economy, sustainable_environment, quality_of_life."),
        ),
        (
            "status",
            gettext_lazy(
                "OC4IDS projectStatus: identification, preparation, implementation, completion, cancelled."
            ),
        ),
        ("start_date, end_date", gettext_lazy("Planned period (ISO 8601 dates).")),
        ("budget_amount, budget_currency", gettext_lazy("Total budget and its ISO 4217 currency.")),
        ("funders, partners", gettext_lazy("Organisations funding or working on the project.")),
        (
            "latitude, longitude",
            gettext_lazy("WGS 84 point of the project (the city centre when none was given)."),
        ),
        (
            "physical_progress, financial_progress, progress_date",
            gettext_lazy(
                "Actual progress in percent from the latest approved progress report, and its date."
            ),
        ),
        ("is_demo", gettext_lazy("True for invented demonstration records.")),
        ("updated", gettext_lazy("When the record last changed (UTC).")),
    ],
    "needs": [
        ("id, url, title, description, language, translations", gettext_lazy("As for projects.")),
        (
            "city, country, project",
            gettext_lazy("Who needs it, and the project it belongs to (slug) if any."),
        ),
        ("kind", gettext_lazy("technology, finance or expertise.")),
        ("focus_areas", gettext_lazy("As for projects.")),
        (
            "stage",
            gettext_lazy("idea, planning, procurement or implementation (the matching engine's stages)."),
        ),
        (
            "budget_amount, budget_currency, budget_usd",
            gettext_lazy("Budget as stated, and roughly in US dollars."),
        ),
        ("open", gettext_lazy("Whether the city is still looking.")),
    ],
    "offers": [
        (
            "id, url, title, description, language, translations",
            gettext_lazy("As for projects; id is the offer's slug."),
        ),
        ("organisation, organisation_slug, country", gettext_lazy("The company and its country.")),
        ("focus_areas", gettext_lazy("As for projects.")),
        ("deployed_in", gettext_lazy("ISO 3166 codes of the countries where the solution runs.")),
        (
            "references, contact_name, contact_email, contact_url",
            gettext_lazy("Given by the company for publication."),
        ),
    ],
    "partnerships": [
        ("id, title, kind", gettext_lazy("kind: mou, pilot, feasibility_study or contract.")),
        (
            "city, country, organisation, organisation_country, project",
            gettext_lazy("Who works with whom, on which project."),
        ),
        ("start_date, end_date", gettext_lazy("ISO 8601 dates.")),
        (
            "origin",
            gettext_lazy("Where it came from, e.g. a business matchmaking at an ASEAN–Japan meeting."),
        ),
    ],
    "progress-reports": [
        (
            "id, url, project, project_title, city, country",
            gettext_lazy("The approved report and its project."),
        ),
        (
            "period_start, period_end, status",
            gettext_lazy("Reporting period and the project status reported."),
        ),
        (
            "physical_planned, physical_actual, financial_planned, financial_actual",
            gettext_lazy("Progress in percent."),
        ),
        ("milestones_met, narrative, attachments", gettext_lazy("What was achieved, in the city's words.")),
        ("approved", gettext_lazy("When the National Representative approved it (UTC).")),
    ],
}


def dashboard(request: HttpRequest) -> HttpResponse:
    public = Project.objects.public()
    by_focus = dict(
        FocusAreaTag.objects.annotate(n=Count("projects", filter=Q(projects__published=True))).values_list(
            "code", "n"
        )
    )
    focus_items = [
        (str(label), by_focus.get(code, 0), f"/projects/?focus={code}") for code, label in FocusArea.choices
    ]
    by_country = list(
        MemberState.objects.annotate(n=Count("cities__projects", filter=Q(cities__projects__published=True)))
        .filter(n__gt=0)
        .order_by("-n", "name")
        .values_list("name", "n", "code")
    )
    country_items = [(name, n, f"/projects/?country={code}") for name, n, code in by_country]
    by_status = Counter(public.values_list("status", flat=True))
    status_items = [
        (str(label), by_status.get(code, 0), f"/projects/?status={code}")
        for code, label in Project.Status.choices
    ]
    latest = ProgressReport.objects.filter(
        project=OuterRef("pk"), state=ProgressReport.State.APPROVED
    ).order_by("-period_end", "-id")
    progress = (
        public.annotate(
            actual=Subquery(latest.values("physical_actual")[:1]),
            planned=Subquery(latest.values("physical_planned")[:1]),
        )
        .filter(actual__isnull=False)
        .values("city__country__name")
        .annotate(actual_avg=Avg("actual"), planned_avg=Avg("planned"), n=Count("id"))
        .order_by("city__country__name")
    )
    progress_rows = [
        {
            "country": r["city__country__name"],
            "actual": round(float(r["actual_avg"]), 1),
            "planned": round(float(r["planned_avg"]), 1),
            "n": r["n"],
        }
        for r in progress
    ]
    progress_items = [(r["country"], r["actual"], "") for r in progress_rows]
    years: dict[int, int] = defaultdict(int)
    for d in Partnership.objects.public().values_list("start_date", flat=True):
        years[d.year] += 1
    year_items = [(str(y), years.get(y, 0)) for y in range(min(years), max(years) + 1)] if years else []
    figures = {
        "projects": public.count(),
        "cities": public.values("city").distinct().count(),
        "reports": ProgressReport.objects.public().count(),
        "needs": Need.objects.public().filter(is_open=True).count(),
        "offers": Offer.objects.public().count(),
        "partnerships": Partnership.objects.public().count(),
    }
    return render(
        request,
        "portal/dashboard.html",
        {
            "figures": figures,
            "focus_chart": bar_chart(focus_items),
            "focus_items": focus_items,
            "country_chart": bar_chart(country_items),
            "country_items": country_items,
            "status_chart": bar_chart(status_items),
            "status_items": status_items,
            "progress_chart": bar_chart(progress_items, unit="%") if progress_items else None,
            "progress_rows": progress_rows,
            "years_chart": column_chart(year_items) if year_items else None,
            "year_items": year_items,
            "matchmaking": matchmaking_outcomes(),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    kinds = [k for k in request.GET.getlist("kind") if k in search_module.KINDS]
    hits = search_module.search(q, kinds or None) if q else []
    counts = Counter(h.kind for h in hits)
    return render(request, "portal/search.html", {"q": q, "hits": hits, "counts": counts, "kinds": kinds})


def open_data(request: HttpRequest) -> HttpResponse:
    datasets = [{"name": name, "fields": FIELD_DOCS[name]} for name in exporters.DATASETS]
    return render(
        request,
        "portal/open_data.html",
        {
            "datasets": datasets,
            "licence_url": exporters.LICENCE_URL,
            "licence_name": exporters.LICENCE_NAME,
            "focus_areas": FocusArea.choices,
            "statuses": Project.Status.choices,
        },
    )


def _attach(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = f'<{exporters.LICENCE_URL}>; rel="license"'
    return response


@require_GET
@cache_control(max_age=300, public=True)
def dataset(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in exporters.DATASETS or fmt not in ("csv", "json"):
        raise Http404()
    records = exporters.dataset(name, request.GET)
    stamp = timezone.now().strftime("%Y-%m-%d")
    if fmt == "json":
        body = {
            "dataset": name,
            "license": exporters.LICENCE_URL,
            "publisher": "ASCN Hub",
            "generated": exporters._datetime(timezone.now()),
            "count": len(records),
            "items": records,
        }
        return _attach(
            JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1}),
            f"ascnhub-{name}-{stamp}.json",
        )
    out = io.StringIO()
    fieldnames = list(records[0].keys()) if records else [f for f, _ in FIELD_DOCS[name]]
    writer = csv.DictWriter(out, fieldnames=fieldnames)
    writer.writeheader()
    for r in records:
        writer.writerow(exporters.flatten(r))
    # A BOM so that spreadsheet programs read the UTF-8 (Thai, Khmer, Japanese) correctly.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    return _attach(response, f"ascnhub-{name}-{stamp}.csv")


@require_GET
@cache_control(max_age=300, public=True)
def oc4ids(request: HttpRequest) -> HttpResponse:
    package = exporters.oc4ids_package()
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    return _attach(response, "projects.oc4ids.json")
