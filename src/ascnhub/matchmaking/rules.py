"""Who may do what in matchmaking.

- organisers of the meeting (and the secretariat) run the scheduler and see everything;
- a participant acts for its own profile (owner or delegation member);
- other participants see visible profiles; anonymous visitors see nothing but aggregates;
- a delegation's owner (and the organisers) choose its members;
- a lead is tracked by the city's officer and the organisers; the country's National
  Representative and the secretariat see it too.
"""

from __future__ import annotations

import rules

from ascnhub.common.permissions import is_secretariat
from ascnhub.events.rules import is_meeting_organiser
from ascnhub.registry.rules import officer_city_ids, represented_country_ids

from .models import Lead, Profile


def _meeting(obj):
    if isinstance(obj, Profile):
        return obj.setup.meeting
    return getattr(getattr(obj, "setup", None), "meeting", None) or getattr(obj, "meeting", None) or obj


@rules.predicate
def organises(user, obj) -> bool:
    return is_secretariat(user) or is_meeting_organiser(user, _meeting(obj))


@rules.predicate
def acts_for(user, profile: Profile | None) -> bool:
    if profile is None or not getattr(user, "is_authenticated", False):
        return False
    if profile.owner.user_id == user.pk:
        return True
    return profile.members.filter(user=user).exists()


@rules.predicate
def owns_profile(user, profile: Profile | None) -> bool:
    """The registration that manages the profile is the user's (a member is not enough)."""
    return (
        profile is not None
        and getattr(user, "is_authenticated", False)
        and profile.owner.user_id is not None
        and profile.owner.user_id == user.pk
    )


@rules.predicate
def organises_lead(user, lead: Lead | None) -> bool:
    return lead is not None and (
        is_secretariat(user) or is_meeting_organiser(user, lead.meeting.run.setup.meeting)
    )


@rules.predicate
def is_lead_city_officer(user, lead: Lead | None) -> bool:
    return lead is not None and lead.city_id is not None and lead.city_id in officer_city_ids(user)


@rules.predicate
def is_lead_country_nr(user, lead: Lead | None) -> bool:
    return (
        lead is not None
        and lead.city_id is not None
        and lead.city.country_id in represented_country_ids(user)
    )


@rules.predicate
def is_participant(user, obj) -> bool:
    """A signed-in user with an approved registration in the meeting."""
    meeting = _meeting(obj)
    if meeting is None or not getattr(user, "is_authenticated", False):
        return False
    return meeting.registrations.filter(user=user, status="approved").exists()


@rules.predicate
def profile_visible(user, profile: Profile | None) -> bool:
    return profile is not None and profile.visible


rules.add_perm("matchmaking.organise", organises)
rules.add_perm("matchmaking.act_for", acts_for | organises)
# The directory and the suggestions are for those taking part: approved participants and organisers.
rules.add_perm("matchmaking.view_directory", organises | is_participant)
rules.add_perm("matchmaking.view_profile", organises | acts_for | (is_participant & profile_visible))
rules.add_perm("matchmaking.manage_delegation", owns_profile | organises)
rules.add_perm("matchmaking.view_lead", is_lead_city_officer | is_lead_country_nr | organises_lead)
rules.add_perm("matchmaking.change_lead", is_lead_city_officer | organises_lead)
