"""From registration to matchmaking: an approved registrant who asked for matchmaking meetings
gets a profile started from what they registered, and one e-mail inviting them to complete it.

Events (a floor below) announces every registration status change with `registration_changed`;
`MatchmakingConfig.ready` connects `on_registration_changed` to it. The account follows the
registration: `events.services.claim_registrations` links it to the account that confirms the
address (allauth's `email_confirmed`), and the profile is the registration's, so it follows too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ascnhub.common import activity

from .models import Profile
from .setup import setup_for

#: The registration question (a boolean, in a category's `questions`) by which a registrant asks
#: for matchmaking meetings.
QUESTION = "matchmaking"

# Registration category kind -> profile kind.
KINDS = {
    "city": Profile.Kind.CITY,
    "government": Profile.Kind.GOVERNMENT,
    "private": Profile.Kind.COMPANY,
    "partner": Profile.Kind.PARTNER,
}

# The demo's "Sector" answer -> the ASEAN Smart Cities Framework focus area it falls under.
SECTOR_FOCUS = {
    "Mobility": "built_infrastructure",
    "Water": "quality_environment",
    "Energy": "quality_environment",
    "Digital government": "civic_social",
    "Disaster resilience": "safety_security",
    "Health": "health_wellbeing",
}


def asked_for_matchmaking(registration: Any) -> bool:
    """True when the registrant answered yes to the matchmaking question."""
    answer = (registration.answers or {}).get(QUESTION)
    return answer is True or str(answer).strip().lower() in ("true", "yes", "on", "1")


def start_profile(registration: Any) -> Profile | None:
    """Start the matchmaking profile of an approved registrant who asked for matchmaking, from
    their registration (organisation, country, kind, mode, time zone, language, sector), and send
    the one e-mail that invites them to complete it. Returns the new profile, or None when there is
    nothing to start: not approved, not asked, or already a profile or a delegation member (which
    makes it idempotent: the e-mail goes once). Runs inside the registration's transaction."""
    if registration.status != "approved" or not asked_for_matchmaking(registration):
        return None
    setup = setup_for(registration.meeting)
    if Profile.objects.filter(setup=setup, owner=registration).exists():
        return None
    if Profile.objects.filter(setup=setup, members=registration).exists():
        return None
    person = registration.person
    organisation = person.organisation if person is not None else None
    kind = KINDS.get(registration.category.kind, Profile.Kind.OTHER)
    if organisation is not None and organisation.kind == "city_government":
        kind = Profile.Kind.CITY
    sector = (registration.answers or {}).get("sector")
    profile = Profile.objects.create(
        setup=setup,
        owner=registration,
        name=(organisation.name if organisation else registration.organisation_name or registration.name)[
            :200
        ],
        kind=kind,
        organisation=organisation,
        city=organisation.city if organisation is not None and organisation.city_id else None,
        country=registration.country,
        language=registration.language,
        languages_spoken=registration.language,
        focus_areas=[SECTOR_FOCUS[sector]] if sector in SECTOR_FOCUS else [],
        mode=registration.mode,
        timezone=registration.timezone,
    )
    activity.record(None, "create", profile, {"from_registration": [None, str(registration.public_id)]})
    _invite(registration, profile)
    return profile


def _invite(registration: Any, profile: Profile) -> None:
    meeting = registration.meeting
    with translation.override(registration.language):
        body = render_to_string(
            "matchmaking/email/profile_started.txt",
            {
                "registration": registration,
                "profile": profile,
                "meeting": meeting,
                "link": settings.SITE_URL + reverse("matchmaking:profile_edit", args=[meeting.slug]),
                "has_account": registration.user_id is not None,
            },
        )
        subject = _("Complete your matchmaking profile") + f" · {meeting.title}"
    # Through the outbox, inside the registration's transaction: sent once it commits.
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email]).send()


def on_registration_changed(sender: Any, registration: Any, **kwargs: Any) -> None:
    """`events.signals.registration_changed` receiver: start the profile once approved."""
    start_profile(registration)
