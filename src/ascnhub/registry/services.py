"""Every change to the registry goes through here: validate, write, log — in one transaction."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q

from ascnhub.common import activity

from .models import City, Person, Role

if TYPE_CHECKING:
    from ascnhub.common.models import User

CITY_EDITABLE_FIELDS = ["description", "website", "population", "timezone", "latitude", "longitude", "kind"]
PERSON_EDITABLE_FIELDS = ["name", "title", "email", "preferred_language", "timezone", "organisation"]


def _update(actor: User, obj: Any, data: dict[str, Any], allowed: list[str]) -> dict[str, list[Any]]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"fields not editable here: {', '.join(sorted(unknown))}")
    before = activity.snapshot(obj, allowed)
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    changes = activity.diff(before, activity.snapshot(obj, allowed))
    if changes:
        activity.record(actor, "update", obj, changes)
    return changes


@transaction.atomic
def update_city(actor: User, city: City, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Change a city's public profile; returns the changed fields {field: [before, after]}.

    `data` holds already-validated form values; `full_clean` runs again so a service caller
    other than a form (the API, a script) cannot store an invalid city.
    """
    return _update(actor, city, data, CITY_EDITABLE_FIELDS)


@transaction.atomic
def update_person(actor: User, person: Person, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Change a person's details; returns the changed fields."""
    return _update(actor, person, data, PERSON_EDITABLE_FIELDS)


@transaction.atomic
def assign_role(
    actor: User,
    *,
    kind: str,
    start_date: datetime.date,
    person: Person | None = None,
    city: City | None = None,
    member_state=None,
    organisation=None,
    year: int | None = None,
    note: str = "",
) -> Role:
    """Give a role to a new holder, ending the previous holder's term the day before.

    One current holder per scope for NR and CSCO (the history keeps the past ones); chair and
    shepherd are per year; focal points may be many.
    """
    role = Role(
        kind=kind,
        person=person,
        city=city,
        member_state=member_state,
        organisation=organisation,
        year=year,
        start_date=start_date,
        note=note,
    )
    role.full_clean()
    if kind in (Role.Kind.CSCO, Role.Kind.NATIONAL_REPRESENTATIVE):
        scope = {"city": city} if kind == Role.Kind.CSCO else {"member_state": member_state}
        # Every term still open on the new start day (or later) must give way to the new holder.
        previous = (
            Role.objects.select_for_update()
            .filter(kind=kind, **scope)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        )
        for old in previous:
            if old.start_date >= start_date:
                raise ValueError(f"{old} starts on {old.start_date}; a new holder must start later")
            old.end_date = start_date - datetime.timedelta(days=1)
            old.save(update_fields=["end_date"])
            activity.record(actor, "end_role", old, {"end_date": [None, old.end_date.isoformat()]})
    role.save()
    activity.record(actor, "assign_role", role, {"start_date": [None, start_date.isoformat()]})
    return role


@transaction.atomic
def end_role(actor: User, role: Role, end_date: datetime.date) -> Role:
    """End a role on a given day; it stays in the history."""
    before = role.end_date
    role.end_date = end_date
    role.full_clean()
    role.save(update_fields=["end_date"])
    activity.record(
        actor, "end_role", role, {"end_date": [before and before.isoformat(), end_date.isoformat()]}
    )
    return role
