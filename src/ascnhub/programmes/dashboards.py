"""The funding dashboard: money committed and pledged to public projects, by source and by country.

Amounts are summed per currency and never converted: the page shows what the sources stated.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ascnhub.projects.models import Funding


def _rows(values: list[dict], projects: list[dict], key: str, label: str, link) -> list[dict]:
    """One row per (key, currency): committed, pledged, total and the number of projects funded."""
    counts = {(v[key], v["currency"]): v["n"] for v in projects}
    table: dict[tuple, dict] = {}
    for v in values:
        row = table.setdefault(
            (v[key], v["currency"]),
            {
                "label": v[label],
                "link": link(v),
                "currency": v["currency"],
                "committed": Decimal(0),
                "pledged": Decimal(0),
                "projects": 0,
            },
        )
        row[v["status"]] += v["total"]
        row["projects"] = counts.get((v[key], v["currency"]), 0)
    rows = list(table.values())
    for row in rows:
        row["total"] = row["committed"] + row["pledged"]
    rows.sort(key=lambda r: (r["label"], r["currency"]))
    return rows


def funding_summary() -> dict[str, list[dict]]:
    """Funding of public projects by source and by country, per currency and status (four queries)."""
    public = Funding.objects.filter(project__published=True)
    tables = {}
    for name, key, label, link in [
        (
            "sources",
            "source__slug",
            "source__name",
            lambda v: reverse("registry:organisation", args=[v["source__slug"]]),
        ),
        (
            "countries",
            "project__city__country__code",
            "project__city__country__name",
            lambda v: f"{reverse('projects:projects')}?country={v['project__city__country__code']}",
        ),
    ]:
        sums = public.values(key, label, "currency", "status").annotate(total=Sum("amount")).order_by()
        # A project funded both by commitment and by pledge counts once.
        projects = public.values(key, "currency").annotate(n=Count("project", distinct=True)).order_by()
        tables[name] = _rows(list(sums), list(projects), key, label, link)
    return tables


def funding(request: HttpRequest) -> HttpResponse:
    summary = funding_summary()
    currencies: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"committed": Decimal(0), "pledged": Decimal(0)}
    )
    for row in summary["sources"]:
        currencies[row["currency"]]["committed"] += row["committed"]
        currencies[row["currency"]]["pledged"] += row["pledged"]
    return render(
        request,
        "programmes/funding.html",
        {
            "currencies": sorted(currencies.items()),
            "tables": [
                (_("By source"), summary["sources"], "by-source"),
                (_("By country"), summary["countries"], "by-country"),
            ],
        },
    )
