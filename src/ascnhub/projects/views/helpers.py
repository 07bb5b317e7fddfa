"""What the projects pages share: paging, the cities a user edits for, hiding what is private."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.models import City
from ascnhub.registry.rules import officer_city_ids

PAGE_SIZE = 25


def page_of(request: HttpRequest, qs) -> Page:
    """The `?page=` page of a list."""
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def editable_cities(user) -> QuerySet[City]:
    """The cities the user may add projects, needs and partnerships for."""
    if is_secretariat(user):
        return City.objects.select_related("country").order_by("name")
    return City.objects.filter(pk__in=officer_city_ids(user)).select_related("country").order_by("name")


def visible_or_404(request: HttpRequest, perm: str, obj) -> None:
    """Private things are not found by those who may not see them (no hint that they exist)."""
    if not request.user.has_perm(perm, obj):
        raise Http404()


def map_tiles() -> tuple[str, str]:
    """The map's tile server and its attribution."""
    return settings.MAP_TILE_URL, settings.MAP_TILE_ATTRIBUTION
