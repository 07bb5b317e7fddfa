"""The right colleague: a delegation's owner names who goes to each meeting, and may switch.

The assigned person gets the calendar event and the reminders, and only their forums block the
meeting's slot; their colleagues are free for other sessions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ascnhub.common import activity
from ascnhub.events.models import ForumSignup, Registration

from .calendar_feed import bump_calendar_sequence
from .conflicts import people_of
from .errors import MatchmakingError
from .models import MeetingRequest, Profile, ScheduledMeeting

if TYPE_CHECKING:
    from ascnhub.common.models import User


def attendee_field(request: MeetingRequest, profile: Profile) -> str:
    """`requester_attendee` or `recipient_attendee`: the profile's side of the request."""
    if profile.pk == request.requester_id:
        return "requester_attendee"
    if profile.pk == request.recipient_id:
        return "recipient_attendee"
    raise MatchmakingError("not_a_side", _("%(name)s is not part of this meeting.") % {"name": profile.name})


def attendee_of(request: MeetingRequest, profile: Profile) -> int | None:
    """The registration id assigned for the profile's side, or None (the delegation as a whole)."""
    return getattr(request, attendee_field(request, profile) + "_id")


@transaction.atomic
def assign_colleague(
    actor: User, request: MeetingRequest, profile: Profile, registration: Registration | None
) -> MeetingRequest:
    """The delegation's owner names the colleague who goes to this meeting (None: anyone).

    Refused for someone who is not in the delegation, for a request that is not accepted, for
    anyone but the owner, and for a colleague signed up for a forum at the meeting's published time.
    """
    request = MeetingRequest.objects.select_for_update().select_related("setup").get(pk=request.pk)
    profile = Profile.objects.select_related("owner").prefetch_related("members").get(pk=profile.pk)
    field = attendee_field(request, profile)
    if actor is not None and getattr(actor, "pk", None) != profile.owner.user_id:
        raise MatchmakingError(
            "not_owner", _("Only the owner of %(name)s assigns its meetings.") % {"name": profile.name}
        )
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise MatchmakingError(
            "not_accepted",
            _("This request is %(status)s; only accepted meetings are assigned.")
            % {"status": request.get_status_display()},
        )
    if registration is not None and registration.pk not in people_of(profile):
        raise MatchmakingError(
            "not_a_member",
            _("%(person)s is not a member of the delegation %(name)s.")
            % {"person": registration.name, "name": profile.name},
            field="attendee",
        )
    placed = (
        ScheduledMeeting.objects.filter(run_id=request.setup.published_run_id, request=request)
        .exclude(status=ScheduledMeeting.Status.CANCELLED)
        .select_related("slot")
        .first()
    )
    if registration is not None and placed is not None:
        busy = (
            ForumSignup.objects.filter(
                registration=registration,
                session__starts_at__lt=placed.slot.ends_at,
                session__ends_at__gt=placed.slot.starts_at,
            )
            .select_related("session")
            .first()
        )
        if busy is not None:
            raise MatchmakingError(
                "busy",
                _("%(person)s is at “%(session)s” at the meeting's time; choose someone else.")
                % {"person": registration.name, "session": busy.session.title},
                field="attendee",
            )
    before = getattr(request, field + "_id")
    after = registration.pk if registration is not None else None
    if before == after:
        return request
    setattr(request, field + "_id", after)
    request.save(update_fields=[field])
    names = dict(
        Registration.objects.filter(pk__in=[x for x in (before, after) if x]).values_list("pk", "name")
    )
    change = [names.get(before) if before else None, names.get(after) if after else None]
    activity.record(actor, "assign_colleague", request, {field: change})
    # The event goes to another person's calendar: both calendars must update.
    bump_calendar_sequence([request.pk])
    from .services import bump_version

    bump_version(request.setup)
    return request


def delegation_people(profile: Profile) -> list[Registration]:
    """Everyone who may be assigned for the profile: its owner, then its members."""
    ids = people_of(profile)
    rows = {r.pk: r for r in Registration.objects.filter(pk__in=ids)}
    return [rows[i] for i in ids if i in rows]


def attends(registration_id: int, request: MeetingRequest, profile: Profile) -> bool:
    """Whether this person goes to the meeting for the profile (assigned, or nobody is)."""
    assigned = attendee_of(request, profile)
    return assigned is None or assigned == registration_id


def registrations_attending(request: MeetingRequest, profile: Profile) -> Any:
    """Who goes for the profile: the assigned colleague, or everyone in the delegation."""
    assigned = attendee_of(request, profile)
    if assigned is not None:
        return Registration.objects.filter(pk=assigned)
    return Registration.objects.filter(Q(pk=profile.owner_id) | Q(delegations=profile)).distinct()
