"""Public pages: network dashboards, one search across everything, open data."""

from __future__ import annotations

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ascnhub.common import search_index
from ascnhub.matchmaking.outcomes import matchmaking_outcomes
from ascnhub.projects import exporters
from ascnhub.projects.charts import bar_chart, column_chart
from ascnhub.projects.codes import FocusArea
from ascnhub.projects.models import Project

from . import search as search_module
from . import stats
from .field_docs import FIELD_DOCS


def dashboard(request: HttpRequest) -> HttpResponse:
    focus_items = stats.projects_by_focus_area()
    country_items = stats.projects_by_country()
    status_items = stats.projects_by_status()
    progress_rows = stats.progress_by_country()
    progress_items = [(r["country"], r["actual"], "") for r in progress_rows]
    year_items = stats.partnerships_by_year()
    return render(
        request,
        "portal/dashboard.html",
        {
            "figures": stats.headline_figures(),
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
    kinds = [k for k in request.GET.getlist("kind") if k in search_index.kinds()]
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    results = search_module.search(q, request.user, kinds or None, page=page) if q else None
    return render(
        request,
        "portal/search.html",
        {"q": q, "results": results, "kinds": kinds, "all_kinds": search_index.kinds().values()},
    )


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
