"""Every change to the registry goes through here: validate, write, log — in one transaction."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import activity
from ascnhub.common.errors import DomainError

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


class RoleError(DomainError):
    """A role cannot be given or ended this way; `code` says why ("overlap", "other_country",
    "invalid", "already_ended") and `field` names the input at fault."""

    conflicts = frozenset({"overlap", "already_ended"})


# Roles held for one member state: the holder must work for that country.
_COUNTRY_BOUND = (Role.Kind.CSCO, Role.Kind.NATIONAL_REPRESENTATIVE)
# Roles with one holder at a time per scope: a new holder succeeds the current one.
_SUCCESSION = (Role.Kind.CSCO, Role.Kind.NATIONAL_REPRESENTATIVE)


def _scope(role: Role) -> dict[str, Any]:
    if role.kind == Role.Kind.CSCO:
        return {"city": role.city}
    if role.kind == Role.Kind.NATIONAL_REPRESENTATIVE:
        return {"member_state": role.member_state}
    if role.kind in (Role.Kind.CHAIR, Role.Kind.SHEPHERD):
        return {"member_state": role.member_state, "year": role.year}
    return {"person": role.person, "city": role.city, "member_state": role.member_state}


def check_role(role: Role) -> list[Role]:
    """Check a new term before it is saved; return the open terms it succeeds (to be ended the day
    before it starts). Raises RoleError naming the field at fault:

    - the record itself is invalid (a missing city, person, agency…): "invalid";
    - a CSCO or National Representative who works for another country than the city's or the member
      state's (the person's organisation, the NR's agency): "other_country";
    - a term that overlaps another term of the same role and scope which it cannot succeed: one that
      starts on or after the new start, one already ended on or after it (history is not rewritten),
      or the same holder's own current term; for roles with many holders (focal points), the same
      holder's overlapping term: "overlap".
    """
    from django.core.exceptions import ValidationError

    try:
        role.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise RoleError("invalid", " ".join(messages), None if field == "__all__" else field)
    # The model's constraint (checked by full_clean above) guarantees the city or member state.
    country = role.city.country if role.city is not None else role.member_state
    if role.kind in _COUNTRY_BOUND and country is not None:
        agency = role.organisation if role.kind == Role.Kind.NATIONAL_REPRESENTATIVE else None
        if agency is not None and agency.country and agency.country != country.code:
            raise RoleError(
                "other_country",
                _("%(org)s is an agency of %(other)s, not of %(country)s.")
                % {"org": agency.name, "other": agency.country_name, "country": country.name},
                "organisation",
            )
        person = role.person
        works_for = person.organisation if person is not None else None
        if (
            person is not None
            and works_for is not None
            and works_for.country
            and works_for.country != country.code
        ):
            raise RoleError(
                "other_country",
                _("%(person)s works for %(org)s in %(other)s, not in %(country)s.")
                % {
                    "person": person.name,
                    "org": works_for.name,
                    "other": works_for.country_name,
                    "country": country.name,
                },
                "person",
            )
    others = (
        # Lock the role rows only: the related rows read with them may be absent (outer joins),
        # which PostgreSQL cannot lock.
        Role.objects.select_for_update(of=("self",))
        .filter(kind=role.kind, **_scope(role))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=role.start_date))
    )
    if role.end_date is not None:
        others = others.filter(start_date__lte=role.end_date)
    succeeded = []
    for old in others.select_related("person", "organisation").order_by("start_date"):
        if old.start_date >= role.start_date:
            raise RoleError(
                "overlap",
                _("%(role)s starts on %(date)s; a new term must start later.")
                % {"role": old, "date": old.start_date.isoformat()},
                "start_date",
            )
        if old.end_date is not None:
            raise RoleError(
                "overlap",
                _("%(role)s was held until %(date)s; a new term must start after it.")
                % {"role": old, "date": old.end_date.isoformat()},
                "start_date",
            )
        same_holder = old.person_id == role.person_id and old.organisation_id == role.organisation_id
        if role.kind not in _SUCCESSION or same_holder:
            raise RoleError(
                "overlap",
                _("%(role)s is already held since %(date)s.")
                % {"role": old, "date": old.start_date.isoformat()},
                "person" if role.person_id else "start_date",
            )
        succeeded.append(old)
    return succeeded


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
    end_date: datetime.date | None = None,
) -> Role:
    """Give a role to a new holder, ending the previous holder's term the day before.

    One current holder per scope for NR and CSCO (the history keeps the past ones); chair and
    shepherd are per year; focal points may be many. Refused (RoleError, nothing written) for a
    holder of another country and for a term overlapping one it cannot succeed (see `check_role`).
    """
    role = Role(
        kind=kind,
        person=person,
        city=city,
        member_state=member_state,
        organisation=organisation,
        year=year,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    for old in check_role(role):
        old.end_date = start_date - datetime.timedelta(days=1)
        old.save(update_fields=["end_date"])
        activity.record(actor, "end_role", old, {"end_date": [None, old.end_date.isoformat()]})
    role.save()
    activity.record(actor, "assign_role", role, {"start_date": [None, start_date.isoformat()]})
    return role


@transaction.atomic
def end_role(actor: User, role: Role, end_date: datetime.date) -> Role:
    """End a role on a given day; it stays in the history. An ended role is not ended again, and
    a term cannot end before it started."""
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.end_date is not None and role.end_date < timezone.localdate():
        raise RoleError(
            "already_ended",
            _("This term already ended on %(date)s.") % {"date": role.end_date.isoformat()},
            "end_date",
        )
    if end_date < role.start_date:
        raise RoleError(
            "invalid",
            _("A term cannot end before it started (%(date)s).") % {"date": role.start_date.isoformat()},
            "end_date",
        )
    before = role.end_date
    role.end_date = end_date
    role.save(update_fields=["end_date"])
    activity.record(
        actor, "end_role", role, {"end_date": [before and before.isoformat(), end_date.isoformat()]}
    )
    return role
