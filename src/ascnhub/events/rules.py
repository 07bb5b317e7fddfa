"""Who may do what with meetings (django-rules predicates, shared by views and templates).

- the secretariat and a meeting's organisers manage it (programme, registrations, exports, badges);
- check-in staff (and organisers) check people in;
- a National Representative approves the delegates of its own country in categories whose approval
  rule says so, and sees those registrations;
- a participant sees their own registration (signed in, or through the secret link in their e-mail);
- anyone reads the public meeting pages and the published agenda.
"""

from __future__ import annotations

import rules

from ascnhub.common.permissions import is_secretariat
from ascnhub.registry.models import Role
from ascnhub.registry.rules import current_roles

from .models import Meeting, Registration, RegistrationCategory


def _meeting_of(obj) -> Meeting | None:
    if isinstance(obj, Meeting):
        return obj
    return getattr(obj, "meeting", None)


def _meeting_ids(user, attr: str) -> set[int]:
    """Ids of the meetings the user organises (or staffs), cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache_name = f"_events_{attr}"
    cached = getattr(user, cache_name, None)
    if cached is None:
        cached = set(getattr(user, attr).values_list("id", flat=True))
        setattr(user, cache_name, cached)
    return cached


def represented_country_codes(user) -> set[str]:
    """ISO codes of the member states whose National Representative the user is today."""
    return {
        r.member_state.code
        for r in current_roles(user)
        if r.kind == Role.Kind.NATIONAL_REPRESENTATIVE and r.member_state_id
    }


@rules.predicate
def is_meeting_organiser(user, obj) -> bool:
    meeting = _meeting_of(obj)
    return meeting is not None and meeting.pk in _meeting_ids(user, "organised_meetings")


@rules.predicate
def is_check_in_staff(user, obj) -> bool:
    meeting = _meeting_of(obj)
    return meeting is not None and meeting.pk in _meeting_ids(user, "check_in_meetings")


@rules.predicate
def is_approving_nr(user, registration: Registration | None) -> bool:
    """The NR of the registrant's country, for a category approved by NRs."""
    if not isinstance(registration, Registration):
        return False
    return (
        registration.category.approval == RegistrationCategory.Approval.NATIONAL_REPRESENTATIVE
        and registration.country in represented_country_codes(user)
    )


@rules.predicate
def is_national_representative(user, obj) -> bool:
    return bool(represented_country_codes(user))


@rules.predicate
def is_registrant(user, registration: Registration | None) -> bool:
    return (
        isinstance(registration, Registration)
        and getattr(user, "is_authenticated", False)
        and registration.user_id == user.pk
    )


@rules.predicate
def meeting_is_public(user, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.status != Meeting.Status.DRAFT


manages = is_secretariat | is_meeting_organiser

rules.add_perm("events.add_meeting", is_secretariat)
rules.add_perm("events.view_meeting", meeting_is_public | manages)
rules.add_perm("events.manage_meeting", manages)
rules.add_perm("events.check_in", manages | is_check_in_staff)
rules.add_perm("events.approve_list", manages | is_national_representative)
rules.add_perm("events.approve_registration", manages | is_approving_nr)
rules.add_perm("events.view_registration", manages | is_approving_nr | is_registrant)
