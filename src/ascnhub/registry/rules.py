"""Who may do what in the registry (django-rules predicates, shared by views, API and templates).

- the secretariat edits everything;
- a National Representative edits its country's cities and people;
- a Chief Smart City Officer edits its own city;
- anyone reads public data.
"""

from __future__ import annotations

import rules

from ascnhub.common.permissions import is_secretariat

from .models import City, MemberState, Person, Role


def current_roles(user) -> list[Role]:
    """The roles the signed-in user's person holds today (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_current_roles", None)
    if cached is None:
        cached = list(Role.objects.current().filter(person__user=user).select_related("city", "member_state"))
        user._current_roles = cached
    return cached


def represented_country_ids(user) -> set[int]:
    return {r.member_state_id for r in current_roles(user) if r.kind == Role.Kind.NATIONAL_REPRESENTATIVE}


def officer_city_ids(user) -> set[int]:
    return {r.city_id for r in current_roles(user) if r.kind == Role.Kind.CSCO}


@rules.predicate
def is_city_officer(user, city: City | None) -> bool:
    return city is not None and city.pk in officer_city_ids(user)


@rules.predicate
def is_national_representative_of_city(user, city: City | None) -> bool:
    return city is not None and city.country_id in represented_country_ids(user)


@rules.predicate
def is_national_representative_of(user, state: MemberState | None) -> bool:
    return state is not None and state.pk in represented_country_ids(user)


@rules.predicate
def is_national_representative_of_person(user, person: Person | None) -> bool:
    """The person works for an organisation of (or a city in) the NR's country."""
    if person is None or person.organisation_id is None:
        return False
    org = person.organisation
    countries = represented_country_ids(user)
    if org.city_id and org.city.country_id in countries:
        return True
    return MemberState.objects.filter(pk__in=countries, code=org.country).exists()


@rules.predicate
def is_self(user, person: Person | None) -> bool:
    return person is not None and getattr(user, "is_authenticated", False) and person.user_id == user.pk


rules.add_perm("registry.change_city", is_secretariat | is_national_representative_of_city | is_city_officer)
rules.add_perm("registry.change_member_state", is_secretariat)
rules.add_perm("registry.change_organisation", is_secretariat)
rules.add_perm("registry.change_person", is_secretariat | is_national_representative_of_person | is_self)
rules.add_perm(
    "registry.view_person_contact", is_secretariat | is_national_representative_of_person | is_self
)
rules.add_perm("registry.assign_role", is_secretariat)
rules.add_perm("common.view_activity", is_secretariat)
