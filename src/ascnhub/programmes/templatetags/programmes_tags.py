"""Blocks other apps' pages include: a city's studies, agreements, council and action plan; the
cooperation items beside the recommendations in the outcomes tracker."""

from __future__ import annotations

from django import template
from django.db.models import Prefetch

from ascnhub.projects.models import Project

from ..models import ActionPlanItem, Agreement, CooperationItem, Council, Study

register = template.Library()


@register.inclusion_tag("programmes/_city_programmes.html")
def city_programmes(city) -> dict:
    """The city's public studies, agreements and councils, and its action-plan items."""
    return {
        "city": city,
        "studies": list(Study.objects.public().filter(cities=city).select_related("programme")),
        "agreements": list(Agreement.objects.public().filter(cities=city)),
        "councils": list(Council.objects.public().filter(city=city)),
        "plan": list(
            ActionPlanItem.objects.filter(city=city).prefetch_related(
                Prefetch("projects", queryset=Project.objects.public(), to_attr="public_projects")
            )
        ),
    }


@register.inclusion_tag("programmes/_tracker_items.html")
def cooperation_items() -> dict:
    """Every public agreement's cooperation items with their status, for the outcomes tracker."""
    items = (
        CooperationItem.objects.filter(agreement__published=True)
        .select_related("agreement")
        .order_by("-agreement__signed_on", "agreement__title", "number")
    )
    return {"items": list(items)}
