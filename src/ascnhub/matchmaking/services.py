"""Matchmaking actions of participants and organisers: profiles, requests, the day itself, feedback.

Every function here is one user action in one transaction: it validates, takes the lock it needs,
writes, logs to the activity log and queues notifications. Scheduling runs live in scheduling.py.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ascnhub.common import activity

from . import notifications
from .errors import MatchmakingError
from .models import Feedback, Lead, MeetingRequest, Profile, ScheduledMeeting, Setup

if TYPE_CHECKING:
    from ascnhub.common.models import User


def bump_version(setup: Setup) -> None:
    """Mark the schedule's inputs as changed (runs built before this are now stale)."""
    Setup.objects.filter(pk=setup.pk).update(data_version=F("data_version") + 1)


def profiles_of_user(user: Any, setup: Setup) -> list[Profile]:
    """The profiles a signed-in user acts for in a meeting: owned or as a delegation member."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Profile.objects.filter(setup=setup)
        .filter(Q(owner__user=user) | Q(members__user=user))
        .select_related("owner")
        .distinct()
    )


def _check_participant(profile: Profile, who: str) -> None:
    if profile.owner.status != "approved":
        raise MatchmakingError(
            "not_registered",
            _("%(name)s is not a confirmed participant of this meeting (%(who)s).")
            % {"name": profile.name, "who": who},
        )


def requests_closed(setup: Setup) -> MatchmakingError | None:
    """Why new meeting requests are refused at ``setup`` now (closed by the organiser, or past the
    deadline), or None while they are open; pages use it to hide the request buttons."""
    if not setup.is_open:
        return MatchmakingError("closed", _("Meeting requests are closed for this meeting."))
    if setup.request_deadline and timezone.now() > setup.request_deadline:
        return MatchmakingError(
            "deadline",
            _("The deadline for meeting requests passed on %(deadline)s UTC.")
            % {"deadline": f"{setup.request_deadline:%d %b %Y %H:%M}"},
        )
    return None


def _check_open(setup: Setup) -> None:
    closed = requests_closed(setup)
    if closed is not None:
        raise closed


@transaction.atomic
def send_request(
    actor: User,
    requester: Profile,
    recipient: Profile,
    *,
    message: str = "",
    priority: str = MeetingRequest.Priority.WOULD_LIKE,
) -> MeetingRequest:
    """Ask for a 1:1 meeting. Refused (with the reason) to oneself, to someone not registered,
    beyond the open-request limit, after the deadline, or when the pair already has a request."""
    # One lock per meeting's matchmaking: request checks and writes never interleave.
    setup = Setup.objects.select_for_update().get(pk=requester.setup_id)
    if requester.pk == recipient.pk:
        raise MatchmakingError("self", _("You cannot request a meeting with yourself."))
    if recipient.setup_id != setup.pk:
        raise MatchmakingError(
            "other_meeting",
            _("%(name)s is not in this meeting's matchmaking.") % {"name": recipient.name},
        )
    if priority not in MeetingRequest.Priority.values:
        raise MatchmakingError("priority", _("Unknown priority %(priority)s.") % {"priority": repr(priority)})
    _check_open(setup)
    _check_participant(requester, _("the requester"))
    _check_participant(recipient, _("the recipient"))
    pending = MeetingRequest.objects.filter(
        setup=setup, requester=requester, status=MeetingRequest.Status.PENDING
    ).count()
    if pending >= setup.max_open_requests:
        raise MatchmakingError(
            "limit",
            _("You already have %(pending)s requests waiting for an answer; the limit is %(limit)s.")
            % {"pending": pending, "limit": setup.max_open_requests},
        )
    low, high = sorted([requester.pk, recipient.pk])
    if MeetingRequest.objects.filter(
        setup=setup, pair_low=low, pair_high=high, status__in=MeetingRequest.ACTIVE
    ).exists():
        raise MatchmakingError(
            "duplicate",
            _("There is already a request between you and %(name)s.") % {"name": recipient.name},
        )
    status = MeetingRequest.Status.ACCEPTED if setup.auto_accept else MeetingRequest.Status.PENDING
    if setup.auto_accept:  # the request is accepted at once, so the meeting limit applies now
        refuse_beyond_meeting_limit(setup, requester, recipient)
    try:
        with transaction.atomic():
            request = MeetingRequest.objects.create(
                setup=setup,
                requester=requester,
                recipient=recipient,
                message=message.strip(),
                priority=priority,
                status=status,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                answered_at=timezone.now() if setup.auto_accept else None,
            )
    except IntegrityError as exc:  # a simultaneous request for the same pair won the race
        raise MatchmakingError(
            "duplicate",
            _("There is already a request between you and %(name)s.") % {"name": recipient.name},
        ) from exc
    activity.record(actor, "request_meeting", request, {"status": [None, status]})
    if status == MeetingRequest.Status.ACCEPTED:
        _accepted(setup, request)
    notifications.request_received(request)
    return request


def refuse_beyond_meeting_limit(
    setup: Setup, requester: Profile, recipient: Profile, *, exclude: int | None = None
) -> None:
    """Refuse, naming whose limit it is, an acceptance that would give either side more accepted
    meetings than the meeting's `max_meetings` (the scheduler could never hold them all, and an
    "accepted" request must end in a meeting or a reason). The caller holds the Setup row lock."""
    for profile in (recipient, requester):
        mine = MeetingRequest.objects.filter(setup=setup, status=MeetingRequest.Status.ACCEPTED).filter(
            Q(requester=profile) | Q(recipient=profile)
        )
        accepted = (mine.exclude(pk=exclude) if exclude is not None else mine).count()
        if accepted >= setup.max_meetings:
            raise MatchmakingError(
                "meeting_limit",
                ngettext(
                    "%(name)s already has %(count)s accepted meeting, the most one participant may "
                    "have at this meeting (%(limit)s). Cancel it first, or ask the organiser.",
                    "%(name)s already has %(count)s accepted meetings, the most one participant may "
                    "have at this meeting (%(limit)s). Cancel one of them first, or ask the organiser.",
                    accepted,
                )
                % {"name": profile.name, "count": accepted, "limit": setup.max_meetings},
            )


def _accepted(setup: Setup, request: MeetingRequest) -> None:
    bump_version(setup)
    if setup.published_run_id:
        # The schedule is out: a re-scheduling run places the late request, moving as little as possible.
        from .scheduling import request_reschedule

        request_reschedule(setup, reason=f"late request {request.public_id}")


@transaction.atomic
def answer_request(actor: User, request: MeetingRequest, *, accept: bool) -> MeetingRequest:
    """The recipient accepts or declines a waiting request."""
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("setup", "requester", "recipient")
        .get(pk=request.pk)
    )
    from .lifecycle import refuse_if_expired

    refuse_if_expired(request)
    if request.status != MeetingRequest.Status.PENDING:
        raise MatchmakingError(
            "answered", _("This request is already %(status)s.") % {"status": request.get_status_display()}
        )
    if accept:
        # The Setup row lock (taken after the request's, the order cancel_request also takes them)
        # serialises every acceptance of this matchmaking: two clicks on two requests of one full
        # participant cannot both pass the count below.
        setup = Setup.objects.select_for_update().get(pk=request.setup_id)
        refuse_beyond_meeting_limit(setup, request.requester, request.recipient, exclude=request.pk)
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    activity.record(actor, "answer_request", request, {"status": ["pending", request.status]})
    if accept:
        _accepted(request.setup, request)
    notifications.request_answered(request)
    return request


@transaction.atomic
def cancel_request(actor: User, request: MeetingRequest) -> MeetingRequest:
    """Either side withdraws a request or an accepted meeting (not one the organiser set)."""
    request = MeetingRequest.objects.select_for_update().select_related("setup").get(pk=request.pk)
    if request.locked:
        raise MatchmakingError("locked", _("The organiser set this meeting; ask the organiser to remove it."))
    if request.status not in MeetingRequest.ACTIVE:
        raise MatchmakingError(
            "inactive", _("This request is already %(status)s.") % {"status": request.get_status_display()}
        )
    was = request.status
    request.status = MeetingRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    activity.record(actor, "cancel_request", request, {"status": [was, "cancelled"]})
    if was == MeetingRequest.Status.ACCEPTED:
        bump_version(request.setup)
        published = request.setup.published_run_id
        if published and ScheduledMeeting.objects.filter(run_id=published, request=request).exists():
            ScheduledMeeting.objects.filter(run_id=published, request=request).update(
                status=ScheduledMeeting.Status.CANCELLED
            )
            from .calendar_feed import bump_calendar_sequence

            bump_calendar_sequence([request.pk])
            from .scheduling import request_reschedule

            request_reschedule(request.setup, reason=f"cancelled {request.public_id}")
    return request


@transaction.atomic
def organiser_set_meeting(actor: User, a: Profile, b: Profile, *, message: str = "") -> MeetingRequest:
    """The organiser adds a meeting that must happen (e.g. between government delegations) and locks it."""
    setup = Setup.objects.select_for_update().get(pk=a.setup_id)
    if a.pk == b.pk:
        raise MatchmakingError("self", _("A meeting needs two different participants."))
    low, high = sorted([a.pk, b.pk])
    existing = (
        MeetingRequest.objects.select_for_update()
        .filter(setup=setup, pair_low=low, pair_high=high, status__in=MeetingRequest.ACTIVE)
        .first()
    )
    if existing:
        existing.locked, existing.status = True, MeetingRequest.Status.ACCEPTED
        existing.answered_at = existing.answered_at or timezone.now()
        existing.save(update_fields=["locked", "status", "answered_at"])
        request = existing
    else:
        request = MeetingRequest.objects.create(
            setup=setup,
            requester=a,
            recipient=b,
            message=message,
            status=MeetingRequest.Status.ACCEPTED,
            locked=True,
            priority=MeetingRequest.Priority.MUST,
            answered_at=timezone.now(),
            created_by=actor,
        )
    activity.record(actor, "set_meeting", request, {"locked": [False, True]})
    _accepted(setup, request)
    return request


def _side(meeting: ScheduledMeeting, profile: Profile) -> str:
    if profile.pk == meeting.request.requester_id:
        return "requester"
    if profile.pk == meeting.request.recipient_id:
        return "recipient"
    raise MatchmakingError("not_a_side", _("%(name)s is not part of this meeting.") % {"name": profile.name})


@transaction.atomic
def confirm_at_table(actor: User, meeting: ScheduledMeeting, profile: Profile) -> ScheduledMeeting:
    """A side confirms it is at the table (or in the room); with both confirmations the meeting is held."""
    meeting = ScheduledMeeting.objects.select_for_update().select_related("request").get(pk=meeting.pk)
    side = _side(meeting, profile)
    field = f"{side}_confirmed_at"
    if getattr(meeting, field) is None:  # idempotent: a second click changes nothing
        setattr(meeting, field, timezone.now())
        if meeting.requester_confirmed_at and meeting.recipient_confirmed_at:
            meeting.status = ScheduledMeeting.Status.HELD
        meeting.save(update_fields=[field, "status"])
        activity.record(actor, "confirm_meeting", meeting, {field: [None, "confirmed"]})
    return meeting


def mark_no_show(actor: User, meeting: ScheduledMeeting, absent: Profile) -> ScheduledMeeting:
    """Record, as the other side's attendance report, that `absent` did not come.

    The meeting becomes a no-show, or *disputed* if the absent side reports that it was held
    (see `outcomes.record_attendance`). Nothing is re-planned: the absent side's later meetings
    stay in the schedule.
    """
    from .outcomes import record_attendance

    meeting = ScheduledMeeting.objects.select_related("request__requester", "request__recipient").get(
        pk=meeting.pk
    )
    _side(meeting, absent)
    return record_attendance(actor, meeting, meeting.request.other_side(absent), "no_show")


@transaction.atomic
def give_feedback(
    actor: User,
    meeting: ScheduledMeeting,
    profile: Profile,
    *,
    rating: int,
    follow_up: bool,
    comment: str = "",
) -> Feedback:
    """A side rates a meeting; wanting to follow up opens a lead the organiser and the city track."""
    meeting = (
        ScheduledMeeting.objects.select_for_update()
        .select_related("request__requester", "request__recipient", "slot")
        .get(pk=meeting.pk)
    )
    _side(meeting, profile)
    if not 1 <= int(rating) <= 5:
        raise MatchmakingError("rating", _("Give a rating from 1 to 5."))
    if meeting.status in (ScheduledMeeting.Status.CANCELLED,):
        raise MatchmakingError("cancelled", _("This meeting was cancelled."))
    if meeting.slot.starts_at > timezone.now():
        raise MatchmakingError("too_early", _("Feedback opens when the meeting has started."))
    feedback, created = Feedback.objects.update_or_create(
        meeting=meeting,
        profile=profile,
        defaults={"rating": rating, "follow_up": follow_up, "comment": comment},
    )
    activity.record(actor, "feedback", feedback, {"rating": [None, rating], "follow_up": [None, follow_up]})
    if follow_up and not hasattr(meeting, "lead"):
        sides = [meeting.request.requester, meeting.request.recipient]
        city = next((s.city for s in sides if s.city_id), None)
        org = next(
            (s.organisation for s in sides if s.kind in ("company", "partner") and s.organisation_id), None
        )
        # When the city's profile names exactly one need, the lead answers that need.
        city_side = next((s for s in sides if s.city_id), None)
        needs = list(city_side.needs.values_list("pk", flat=True)[:2]) if city_side else []
        Lead.objects.get_or_create(
            meeting=meeting,
            defaults={"city": city, "organisation": org, "need_id": needs[0] if len(needs) == 1 else None},
        )
    return feedback


@transaction.atomic
def save_profile(actor: User, form: Any) -> Profile:
    """Create or update a profile from a valid ProfileForm; suggestions are refreshed afterwards."""
    profile = form.instance
    before = activity.snapshot(profile) if profile.pk else {}
    profile = form.save()
    activity.record(
        actor, "update" if before else "create", profile, activity.diff(before, activity.snapshot(profile))
    )
    bump_version(profile.setup)
    return profile


@transaction.atomic
def save_setup(actor: User, form: Any) -> Setup:
    """Save the organiser's matchmaking rules."""
    before = activity.snapshot(Setup.objects.get(pk=form.instance.pk))
    setup = form.save()
    activity.record(actor, "update", setup, activity.diff(before, activity.snapshot(setup)))
    return setup


_KEEP: Any = object()


@transaction.atomic
def update_lead(actor: User, lead: Lead, *, status: str, note: str = "", need: Any = _KEEP) -> Lead:
    """Track a lead: open, became a partnership, or dropped; optionally link it to one of the
    city's needs (`need=None` unlinks it; leaving `need` out keeps the link)."""
    if status not in Lead.Status.values:
        raise MatchmakingError("status", _("Unknown lead status %(status)s.") % {"status": repr(status)})
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    fields = ["status", "note", "need"]
    before = activity.snapshot(lead, fields)
    if need is not _KEEP:
        if need is not None and need.city_id != lead.city_id:
            raise MatchmakingError(
                "need_city", _("The need “%(need)s” belongs to another city than this lead.") % {"need": need}
            )
        lead.need = need
    lead.status, lead.note = status, note.strip() or lead.note
    lead.save(update_fields=["status", "note", "need", "updated_at"])
    activity.record(actor, "update", lead, activity.diff(before, activity.snapshot(lead, fields)))
    return lead


@transaction.atomic
def lead_to_partnership(
    actor: User,
    lead: Lead,
    *,
    kind: str,
    title: str,
    start_date: datetime.date,
    project: Any = None,
    published: bool = True,
) -> Any:
    """Turn a lead into a partnership between its city and its organisation (in `projects`).

    The partnership's origin names the meeting the lead came from; without a project given, the
    linked need's project is used. The lead then reads "became a partnership" and links to it.
    """
    from ascnhub.projects import services as project_services
    from ascnhub.projects.models import Partnership

    # Lock the lead row only: PostgreSQL refuses FOR UPDATE on the nullable side of the outer
    # joins that select_related adds for the optional city, organisation and need.
    lead = (
        Lead.objects.select_for_update(of=("self",))
        .select_related("city", "organisation", "need__project", "meeting__run__setup__meeting")
        .get(pk=lead.pk)
    )
    if lead.partnership_id:
        raise MatchmakingError("already_partnership", _("This lead is already a partnership."))
    if lead.city_id is None or lead.organisation_id is None:
        raise MatchmakingError(
            "no_parties",
            _("A partnership needs a city and an organisation; this lead has no city.")
            if lead.city_id is None
            else _("A partnership needs a city and an organisation; this lead has no organisation."),
        )
    if project is None and lead.need is not None:
        project = lead.need.project
    if project is not None and project.city_id != lead.city_id:
        raise MatchmakingError(
            "project_city", _("The project “%(project)s” belongs to another city.") % {"project": project}
        )
    meeting = lead.meeting.run.setup.meeting
    data = {
        "city": lead.city,
        "organisation": lead.organisation,
        "project": project,
        "kind": kind,
        "title": title.strip(),
        "start_date": start_date,
        "origin": f"met at the {meeting.title} business matchmaking"[:300],
        "published": published,
    }
    try:
        partnership = project_services.save_partnership(actor, Partnership(), data)
    except ValidationError as exc:
        raise MatchmakingError("invalid", " ".join(exc.messages)) from exc
    before = activity.snapshot(lead, ["status", "partnership"])
    lead.status, lead.partnership = Lead.Status.PARTNERSHIP, partnership
    lead.save(update_fields=["status", "partnership", "updated_at"])
    activity.record(
        actor,
        "to_partnership",
        lead,
        activity.diff(before, activity.snapshot(lead, ["status", "partnership"])),
    )
    return partnership


# --- delegations ----------------------------------------------------------------------------------


def _works_for(**lookups: Any) -> Q:
    """Registrations whose person (or, without one, whose account's person) works for an
    organisation matching `lookups`."""
    direct = Q(**{f"person__organisation__{k}": v for k, v in lookups.items()})
    via_account = Q(
        person__isnull=True, **{f"user__person__organisation__{k}": v for k, v in lookups.items()}
    )
    return direct | via_account


def _same_side(profile: Profile) -> Q | None:
    """Who may join: the profile's organisation; for a city, any city-government body of that city."""
    same = Q()
    if profile.organisation_id:
        same |= _works_for(id=profile.organisation_id)
    if profile.kind == Profile.Kind.CITY and profile.city_id:
        same |= _works_for(city_id=profile.city_id, kind="city_government")
    return same or None


def delegation_candidates(profile: Profile) -> QuerySet:
    """Approved participants of the meeting who may join the profile's delegation: of the same
    organisation (for a city: working for that city's government), not yet in any profile or
    delegation of this meeting's matchmaking."""
    from ascnhub.events.models import Registration

    same = _same_side(profile)
    if same is None:
        return Registration.objects.none()
    setup_id = profile.setup_id
    return (
        Registration.objects.filter(meeting_id=profile.setup.meeting_id, status="approved")
        .filter(same)
        .exclude(matchmaking_profiles__setup_id=setup_id)
        .exclude(delegations__setup_id=setup_id)
        .order_by("name", "pk")
        .distinct()
    )


@transaction.atomic
def add_member(actor: User, profile: Profile, registration: Any) -> Profile:
    """Add a registered participant to a delegation; they then see its requests and meetings and get
    its e-mails. Refused (with the reason) for someone not approved for this meeting, of another
    organisation or city, or already in a delegation (or with a profile) of this meeting."""
    from ascnhub.events.models import Registration

    # One lock per meeting's matchmaking: two owners never add the same person at once.
    setup = Setup.objects.select_for_update().get(pk=profile.setup_id)
    profile = Profile.objects.select_related("owner", "organisation", "city").get(pk=profile.pk)
    registration = Registration.objects.select_related("person__organisation").get(pk=registration.pk)
    name = {"name": registration.name}
    if registration.meeting_id != setup.meeting_id:
        raise MatchmakingError("other_meeting", _("%(name)s is not registered for this meeting.") % name)
    if registration.status != Registration.Status.APPROVED:
        raise MatchmakingError(
            "not_registered", _("%(name)s is not a confirmed participant of this meeting.") % name
        )
    if registration.pk == profile.owner_id:
        raise MatchmakingError("owner", _("%(name)s already manages this profile.") % name)
    if profile.members.filter(pk=registration.pk).exists():
        raise MatchmakingError("already_member", _("%(name)s is already in this delegation.") % name)
    other = (
        Profile.objects.filter(setup=setup)
        .filter(Q(owner=registration) | Q(members=registration))
        .exclude(pk=profile.pk)
        .first()
    )
    if other is not None:
        raise MatchmakingError(
            "other_delegation",
            _("%(name)s already meets as part of %(other)s.") % {**name, "other": other.name},
        )
    same = _same_side(profile)
    if same is None:
        raise MatchmakingError(
            "no_organisation",
            _("This profile has no organisation or city in the registry, so it cannot have a delegation."),
        )
    if not Registration.objects.filter(pk=registration.pk).filter(same).exists():
        side = profile.city if profile.kind == Profile.Kind.CITY and profile.city_id else profile.organisation
        raise MatchmakingError(
            "other_organisation", _("%(name)s does not work for %(side)s.") % {**name, "side": side}
        )
    profile.members.add(registration)
    activity.record(actor, "add_member", profile, {"members": [None, registration.name]})
    bump_version(setup)  # members' forum sign-ups make slots busy for the scheduler
    return profile


@transaction.atomic
def remove_member(actor: User, profile: Profile, registration: Any) -> Profile:
    """Take a participant out of a delegation (the owner stays; meetings stay the delegation's)."""
    setup = Setup.objects.select_for_update().get(pk=profile.setup_id)
    if not profile.members.filter(pk=registration.pk).exists():
        raise MatchmakingError(
            "not_member", _("%(name)s is not in this delegation.") % {"name": registration.name}
        )
    profile.members.remove(registration)
    activity.record(actor, "remove_member", profile, {"members": [registration.name, None]})
    bump_version(setup)
    return profile
