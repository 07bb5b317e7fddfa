"""The network dashboard's figures: counts and aggregates over what is public.

Each function is one question asked of the database; the dashboard view turns the answers into
charts. Only published projects, approved reports and public needs, offers and partnerships count.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Avg, Count, OuterRef, Q, Subquery

from ascnhub.projects.codes import FocusArea
from ascnhub.projects.models import FocusAreaTag, Need, Offer, Partnership, ProgressReport, Project
from ascnhub.registry.models import MemberState

#: A chart's rows: (label, value, link to the filtered list or "").
Items = list[tuple[str, float, str]]


def headline_figures() -> dict[str, int]:
    """How many public projects (and in how many cities), approved reports, open needs, offers and
    partnerships there are."""
    public = Project.objects.public()
    return {
        "projects": public.count(),
        "cities": public.values("city").distinct().count(),
        "reports": ProgressReport.objects.public().count(),
        "needs": Need.objects.public().filter(is_open=True).count(),
        "offers": Offer.objects.public().count(),
        "partnerships": Partnership.objects.public().count(),
    }


def projects_by_focus_area() -> Items:
    """Public projects per ASEAN Smart Cities Framework focus area, every area listed."""
    by_focus = dict(
        FocusAreaTag.objects.annotate(n=Count("projects", filter=Q(projects__published=True))).values_list(
            "code", "n"
        )
    )
    return [
        (str(label), by_focus.get(code, 0), f"/projects/?focus={code}") for code, label in FocusArea.choices
    ]


def projects_by_country() -> Items:
    """Public projects per member state that has any, most first."""
    by_country = (
        MemberState.objects.annotate(n=Count("cities__projects", filter=Q(cities__projects__published=True)))
        .filter(n__gt=0)
        .order_by("-n", "name")
        .values_list("name", "n", "code")
    )
    return [(name, n, f"/projects/?country={code}") for name, n, code in by_country]


def projects_by_status() -> Items:
    """Public projects per status, every status listed."""
    by_status = Counter(Project.objects.public().values_list("status", flat=True))
    return [
        (str(label), by_status.get(code, 0), f"/projects/?status={code}")
        for code, label in Project.Status.choices
    ]


def progress_by_country() -> list[dict]:
    """Per country, the average physical progress (actual and planned, in percent) of the public
    projects, each as its latest approved report gives it, and how many projects that covers."""
    latest = ProgressReport.objects.filter(
        project=OuterRef("pk"), state=ProgressReport.State.APPROVED
    ).order_by("-period_end", "-id")
    progress = (
        Project.objects.public()
        .annotate(
            actual=Subquery(latest.values("physical_actual")[:1]),
            planned=Subquery(latest.values("physical_planned")[:1]),
        )
        .filter(actual__isnull=False)
        .values("city__country__name")
        .annotate(actual_avg=Avg("actual"), planned_avg=Avg("planned"), n=Count("id"))
        .order_by("city__country__name")
    )
    return [
        {
            "country": r["city__country__name"],
            "actual": round(float(r["actual_avg"]), 1),
            "planned": round(float(r["planned_avg"]), 1),
            "n": r["n"],
        }
        for r in progress
    ]


def partnerships_by_year() -> list[tuple[str, int]]:
    """Public partnerships per starting year, from the first year to the last (none: empty)."""
    years: dict[int, int] = defaultdict(int)
    for d in Partnership.objects.public().values_list("start_date", flat=True):
        years[d.year] += 1
    return [(str(y), years.get(y, 0)) for y in range(min(years), max(years) + 1)] if years else []
