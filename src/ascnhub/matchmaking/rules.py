"""Who may do what in matchmaking.

- organisers of the meeting (and the secretariat) run the scheduler and see everything;
- a participant acts for its own profile (owner or delegation member);
- other participants see visible profiles; anonymous visitors see nothing but aggregates.
"""

from __future__ import annotations

import rules

from ascnhub.common.permissions import is_secretariat
from ascnhub.events.rules import is_meeting_organiser

from .models import Profile


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
rules.add_perm("matchmaking.view_profile", organises | acts_for | (is_participant & profile_visible))
