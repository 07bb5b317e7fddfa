"""Template tags for other apps' pages: a city's projects and needs on the city page."""

from __future__ import annotations

from django import template

from ascnhub.projects import queries
from ascnhub.projects.models import Need

register = template.Library()


@register.inclusion_tag("projects/_city_projects.html", takes_context=True)
def city_projects(context, city) -> dict:
    """The city's public projects (with their latest approved progress) and open needs."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "city": city,
        "projects": list(queries.project_rows().filter(city=city).order_by("title")),
        "needs": list(Need.objects.public().filter(city=city, is_open=True).order_by("title")),
        "can_add": bool(user and user.has_perm("projects.add_project", city)),
    }


@register.inclusion_tag("projects/_project_funding.html")
def project_funding(project) -> dict:
    """The project's funding by source (committed, then pledged) and its yearly O&M cost."""
    return {"project": project, "fundings": list(project.fundings.select_related("source"))}
