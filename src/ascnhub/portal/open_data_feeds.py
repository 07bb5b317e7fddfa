"""Open data beside the full OC4IDS package: one package per project and per city, the Atom feed of
published changes, and the publication policy every package links to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ascnhub.projects import exporters
from ascnhub.projects.models import ProgressReport, Project
from ascnhub.registry.models import City

FEED_LENGTH = 50


def _package_response(package: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = f'<{exporters.LICENCE_URL}>; rel="license"'
    return response


@require_GET
@cache_control(max_age=300, public=True)
def project_package(request: HttpRequest, slug: str) -> HttpResponse:
    """One public project as an OC4IDS package (404 for a draft: it is not published)."""
    projects = exporters.oc4ids_projects_queryset().filter(slug=slug)
    if not projects.exists():
        raise Http404()
    uri = exporters._url(reverse("portal:project_oc4ids", args=[slug]))
    return _package_response(exporters.oc4ids_package(projects, uri=uri), f"{slug}.oc4ids.json")


@require_GET
@cache_control(max_age=300, public=True)
def city_package(request: HttpRequest, slug: str) -> HttpResponse:
    """A city's public projects as an OC4IDS package (404 when it has none: a package holds at least
    one project)."""
    city = get_object_or_404(City, slug=slug)
    projects = exporters.oc4ids_projects_queryset().filter(city=city)
    if not projects.exists():
        raise Http404()
    uri = exporters._url(reverse("portal:city_oc4ids", args=[slug]))
    return _package_response(exporters.oc4ids_package(projects, uri=uri), f"{slug}.oc4ids.json")


def publication_policy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/publication_policy.html",
        {
            "licence_url": exporters.LICENCE_URL,
            "licence_name": exporters.LICENCE_NAME,
            "prefix": exporters.oc4ids_prefix(),
            "additions": list(exporters.OPEN_CODELIST_ADDITIONS.items()),
        },
    )


@dataclass(frozen=True)
class Change:
    """One published change: a project as it now stands, or an approved progress report."""

    guid: str
    title: str
    summary: str
    link: str
    package: str
    when: datetime


def published_changes(limit: int = FEED_LENGTH) -> list[Change]:
    """The latest public changes, newest first: each public project at its last update and each
    approved progress report at its approval. Drafts and unapproved reports never appear."""
    changes = []
    projects = Project.objects.public().select_related("city").order_by("-updated_at")[:limit]
    for p in projects:
        stamp = exporters._datetime(p.updated_at)
        changes.append(
            Change(
                guid=f"{exporters.oc4ids_id(p)}#{stamp}",
                title=_("Project updated: %(title)s (%(city)s)") % {"title": p.title, "city": p.city.name},
                summary=p.description[:500],
                link=exporters._url(p.get_absolute_url()),
                package=exporters._url(reverse("portal:project_oc4ids", args=[p.slug])),
                when=p.updated_at,
            )
        )
    # A report imported as approved may have no review time: it was published when last saved.
    reports = (
        ProgressReport.objects.public()
        .select_related("project__city")
        .annotate(published_at=Coalesce("reviewed_at", "updated_at"))
        .order_by("-published_at")[:limit]
    )
    for r in reports:
        changes.append(
            Change(
                guid=f"{exporters.oc4ids_id(r.project)}#report-{r.public_id}",
                title=_("Progress approved: %(title)s, %(start)s – %(end)s")
                % {"title": r.project.title, "start": r.period_start, "end": r.period_end},
                summary=r.narrative[:500],
                link=exporters._url(r.get_absolute_url()),
                package=exporters._url(reverse("portal:project_oc4ids", args=[r.project.slug])),
                when=r.published_at,
            )
        )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


class ChangesFeed(Feed):
    """Atom: what was published, newest first; each entry links the page and its OC4IDS package."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("ASCN Hub — published changes")

    def link(self) -> str:
        return exporters._url(reverse("portal:open_data"))

    def subtitle(self) -> str:
        return _("Public projects and approved progress reports, with their OC4IDS packages.")

    def feed_url(self) -> str:
        return exporters._url(reverse("portal:changes_feed"))

    def items(self) -> list[Change]:
        return published_changes()

    def item_title(self, item: Change) -> str:
        return item.title

    def item_description(self, item: Change) -> str:
        return f"{item.summary}\n\nOC4IDS: {item.package}"

    def item_link(self, item: Change) -> str:
        return item.link

    def item_guid(self, item: Change) -> str:
        return item.guid

    def item_guid_is_permalink(self, item: Change) -> bool:
        return False

    def item_updateddate(self, item: Change) -> datetime:
        return item.when

    def item_pubdate(self, item: Change) -> datetime:
        return item.when


changes_feed = ChangesFeed()
