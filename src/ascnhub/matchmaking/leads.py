"""Which leads a person may see, and how they read in lists (the city's side and its counterpart).

A lead is private: the city's Chief Smart City Officer, the National Representative of its country,
the meeting's organisers and the secretariat see it (permissions in rules.py). The city's pages
(`/leads/`, and the leads on a project's page) are in `views/leads.py`; the organisers' list is
in the matchmaking pages of their meeting.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from .models import Lead

ROW_RELATED = (
    "city__country",
    "organisation",
    "need__project",
    "partnership",
    "meeting__slot",
    "meeting__run__setup__meeting",
    "meeting__request__requester__organisation",
    "meeting__request__recipient__organisation",
)


def may_track_leads(user: Any) -> bool:
    """Whether the user has a city's leads to see at all (officer, NR or secretariat)."""
    return is_secretariat(user) or bool(officer_city_ids(user) or represented_country_ids(user))


def leads_for_cities(user: Any) -> QuerySet[Lead]:
    """The leads of the cities the user looks after: all for the secretariat, the officer's own
    cities, the NR's country's cities; none for anyone else."""
    rows = Lead.objects.select_related(*ROW_RELATED)
    if is_secretariat(user):
        return rows
    cities, countries = officer_city_ids(user), represented_country_ids(user)
    if not (cities or countries):
        return rows.none()
    return rows.filter(Q(city_id__in=cities) | Q(city__country_id__in=countries))


def with_sides(leads: Any) -> list[Lead]:
    """The leads as a list, each with `.city_side` and `.counterpart` (profiles) set."""
    rows = list(leads)
    for lead in rows:
        lead.city_side, lead.counterpart = lead.sides()
    return rows
