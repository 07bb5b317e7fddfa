"""The directory of a meeting's matchmaking: everyone taking part, searchable and filterable.

A participant browses it as b2match or Brella users do: search by name, organisation and text, filter
by country, kind, focus area, what is offered or sought, and how they meet. Who may open it is who
may see suggestions (`matchmaking.view_directory`: approved participants and the organisers).

The text search is one small function, `search_profiles`: word matching over names and texts, plus
the site's cross-language search (`common.search_index`) over the participants' needs and offers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from ascnhub.common import search_index
from ascnhub.engine.matching.model import FOCUS_AREAS
from ascnhub.projects.models import fold
from ascnhub.registry.countries import country_name

from .models import Mode, Profile, Setup

log = logging.getLogger(__name__)

#: Entries per page: a page stays small on a phone and a slow connection.
PAGE_SIZE = 24

#: Which of a participant's texts the search looks in.
SIDES = ("all", "offering", "looking_for")


@dataclass(frozen=True)
class DirectoryFilters:
    """What the viewer asked for; empty strings mean "any"."""

    q: str = ""
    side: str = "all"
    country: str = ""
    kind: str = ""
    focus: str = ""
    mode: str = ""

    @classmethod
    def from_query(cls, data: Any) -> DirectoryFilters:
        """The filters from a GET query; a value the page does not offer is ignored (shown as "any")."""
        side = data.get("side", "all")
        kind = data.get("kind", "")
        focus = data.get("focus", "")
        mode = data.get("mode", "")
        return cls(
            q=" ".join(str(data.get("q", "")).split())[:200],
            side=side if side in SIDES else "all",
            country=str(data.get("country", "")).upper()[:2],
            kind=kind if kind in Profile.Kind.values else "",
            focus=focus if focus in FOCUS_AREAS else "",
            mode=mode if mode in Mode.values else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.country or self.kind or self.focus or self.mode)


def listed_profiles(setup: Setup) -> QuerySet[Profile]:
    """Everyone the directory lists: visible profiles of approved participants (as suggestions use)."""
    return Profile.objects.filter(setup=setup, visible=True, owner__status="approved")


def search_profiles(profiles: QuerySet[Profile], query: str, side: str = "all") -> QuerySet[Profile]:
    """`profiles` whose texts contain every word of `query` (any case).

    The texts are the name, the organisation and city, and what they offer and look for (their
    profile texts and the titles and descriptions of their linked offers and needs); `side` keeps
    only the offering or the looking-for ones. In any language as well: a profile whose published
    offers or needs match the query by meaning (the site search's rule, `meaning_matches`) is
    found too, so "洪水" finds the company that offers flood sensors.
    """
    words = word_matches(query, side)
    meaning = meaning_matches(query, side)
    return profiles.filter(words | meaning if meaning is not None else words)


def _linked(field: str, **lookup: Any) -> Q:
    """Profiles with a linked need or offer (`field`: "needs" or "offers") matching `lookup`.

    Why a subquery on the link table and not a join: a condition on a to-many join repeats the
    profile's row, and nesting "id IN (profiles joined to ...)" let PostgreSQL, with test-sized
    statistics, pick nested loops over the whole directory per row (minutes for 200 profiles).
    "id IN (link rows)" inside an OR is one hashed lookup, whatever the statistics."""
    through = getattr(Profile, field).through
    target = field[:-1]  # "need" / "offer"
    rows = through.objects.filter(**{f"{target}__{k}": v for k, v in lookup.items()})
    return Q(pk__in=rows.values("profile_id"))


def meaning_matches(query: str, side: str = "all") -> Q | None:
    """Profiles whose published needs or offers (`side`) match `query` by meaning, as a filter;
    None when search is words only or the model is unavailable (word matching still works)."""
    if settings.ASCNHUB_SEARCH != "hybrid" or not query.strip():
        return None
    kinds = search_index.kinds()
    names = {"offering": ["offer"], "looking_for": ["need"]}.get(side, ["need", "offer"])
    # What anybody may see: a participant's drafts must not make them findable by their content.
    visible = {name: kinds[name].visible(AnonymousUser()) for name in names if name in kinds}
    try:
        hits = search_index.meaning_hits(query, visible)
    except Exception:  # noqa: BLE001 — a missing or broken model must not take the directory down
        log.exception("Meaning search unavailable in the directory; word matching only")
        return None
    needs = [h.object_id for h in hits if h.kind == "need"]
    offers = [h.object_id for h in hits if h.kind == "offer"]
    return _linked("needs", pk__in=needs) | _linked("offers", pk__in=offers)


def word_matches(query: str, side: str = "all") -> Q:
    """Profiles whose texts contain every word of `query` (any case), as a filter; see
    `search_profiles`."""
    every = Q()
    for word in query.split():
        # Needs and offers keep a case-folded copy of every language they carry (SQLite's LIKE
        # folds ASCII only); the profile's own texts are matched as written, in any case.
        folded = fold(word)
        offering = Q(offering__icontains=word) | _linked("offers", search_text__contains=folded)
        looking = Q(looking_for__icontains=word) | _linked("needs", search_text__contains=folded)
        # organisation and city are to-one: their joins never repeat a profile
        names = (
            Q(name__icontains=word) | Q(organisation__name__icontains=word) | Q(city__name__icontains=word)
        )
        every &= {"offering": offering, "looking_for": looking}.get(side, names | offering | looking)
    return every


def filter_profiles(profiles: QuerySet[Profile], filters: DirectoryFilters) -> QuerySet[Profile]:
    """`profiles` narrowed by the directory's filters."""
    if filters.q:
        profiles = search_profiles(profiles, filters.q, filters.side)
    if filters.country:
        profiles = profiles.filter(country=filters.country)
    if filters.kind:
        profiles = profiles.filter(kind=filters.kind)
    if filters.mode:
        profiles = profiles.filter(mode=filters.mode)
    if filters.focus:
        # The profile's own areas (a JSON list, matched as its text on SQLite and PostgreSQL alike)
        # or those of the needs and offers it brings.
        code = filters.focus
        profiles = profiles.filter(
            Q(focus_areas__icontains=f'"{code}"')
            | _linked("needs", focus_areas__code=code)
            | _linked("offers", focus_areas__code=code)
        )
    return profiles


def country_choices(setup: Setup) -> list[tuple[str, str]]:
    """The countries of the listed participants as (code, name in the viewer's language), by name."""
    codes = set(listed_profiles(setup).order_by().values_list("country", flat=True).distinct())
    return sorted(((c, country_name(c)) for c in codes), key=lambda kv: kv[1])


def directory_page_rows(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """The directory's ordering and the joins one page needs (one query whatever its length)."""
    return profiles.select_related("organisation", "city", "setup__meeting").order_by("name", "pk")
