"""Organisations and cities as searchable kinds of the one search (common.search_index)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ascnhub.common.search_index import Passage, SearchableKind, register

from .models import City, Organisation


def organisation_passages(org: Organisation) -> list[Passage]:
    # Organisations have no language field. One with no description is found by its name (words)
    # only: "X city government" alone would sit near every query in meaning and crowd out the rest.
    if not org.description.strip():
        return []
    return [Passage("", org.name, org.description)]


def city_passages(city: City) -> list[Passage]:
    return [Passage("", city.name, f"{city.name}, {city.country.name}. {city.description}")]


def _words(fields: tuple[str, ...]):
    def match(words: list[str]) -> Q:
        cond = Q()
        for w in words:
            any_field = Q()
            for f in fields:
                any_field |= Q(**{f"{f}__icontains": w})
            cond &= any_field
        return cond

    return match


def _everyone(model, *related: str):
    # Registry entries are public records of the network.
    def visible(user) -> QuerySet:
        return model.objects.select_related(*related) if related else model.objects.all()

    return visible


def register_kinds() -> None:
    """Called from RegistryConfig.ready()."""
    register(
        SearchableKind(
            "organisation",
            _("Organisation"),
            Organisation,
            organisation_passages,
            _everyone(Organisation),
            _words(("name", "description")),
        )
    )
    register(
        SearchableKind(
            "city",
            _("City"),
            City,
            city_passages,
            _everyone(City, "country"),
            _words(("name", "description", "country__name")),
        )
    )
