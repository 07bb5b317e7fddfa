"""From registration to matchmaking: an approved registrant who asked for matchmaking gets a profile
started from the registration, one e-mail inviting them to complete it, and the account that
confirms the address owns it."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.utils import translation

from ascnhub.events import services as events
from ascnhub.events.models import Registration
from ascnhub.events.signals import registration_changed
from ascnhub.matchmaking import services
from ascnhub.matchmaking.models import Profile
from tests.events.factories import RegistrationFactory, make_meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _invites(address: str, language: str = "ja") -> list:
    # The invitation is in the registrant's language (the tests' registrants read Japanese).
    with translation.override(language):
        subject = str(translation.gettext("Complete your matchmaking profile"))
    return [m for m in mail.outbox if subject in m.subject and address in m.to]


def _registration(hlm, *, answers, status="pending"):
    return RegistrationFactory(
        meeting=hlm.meeting,
        category=hlm.meeting.categories.get(code="private"),
        name="Kenji Sato",
        email="kenji@aoba.example",
        organisation_name="Aoba Smart Infrastructure",
        country="JP",
        language="ja",
        timezone="Asia/Tokyo",
        mode="online",
        status=status,
        answers=answers,
    )


def test_approval_starts_a_profile_from_the_registration_and_invites_once(
    network, client_for, django_capture_on_commit_callbacks
):
    hlm = make_meeting(network)
    registration = _registration(hlm, answers={"matchmaking": True, "sector": "Water"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.decide(network.secretariat, registration, True)
    profile = Profile.objects.get(owner=registration)
    assert (profile.name, profile.kind, profile.country, profile.mode, profile.timezone) == (
        "Aoba Smart Infrastructure",
        "company",
        "JP",
        "online",
        "Asia/Tokyo",
    )
    assert profile.focus_areas == ["quality_environment"] and profile.language == "ja"
    invites = _invites("kenji@aoba.example")
    assert len(invites) == 1
    assert f"/meetings/{hlm.meeting.slug}/matchmaking/profile/" in invites[0].body
    with translation.override(profile.language):  # the invitation names the country, in its language
        assert profile.name in invites[0].body and profile.country_name in invites[0].body
    # The registration is announced again (another change to it): nothing new is started or sent.
    with django_capture_on_commit_callbacks(execute=True):
        registration_changed.send(sender=Registration, registration=registration)
    assert Profile.objects.filter(owner=registration).count() == 1
    assert len(_invites("kenji@aoba.example")) == 1
    # The account that confirms the address owns the registration, and so the profile.
    user = UserFactory(email="kenji@aoba.example")
    assert services.profiles_of_user(user, profile.setup) == []
    address = EmailAddress.objects.create(user=user, email="kenji@aoba.example", primary=True, verified=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert services.profiles_of_user(user, profile.setup) == [profile]
    page = client_for(user).get(f"/meetings/{hlm.meeting.slug}/matchmaking/profile/")
    assert page.status_code == 200 and "Aoba Smart Infrastructure" in page.content.decode()


@pytest.mark.parametrize(
    ("answers", "approve"),
    [({"matchmaking": False}, True), ({}, True), ({"matchmaking": True}, False)],
    ids=["said no", "not asked", "declined"],
)
def test_no_profile_without_the_wish_or_without_approval(network, answers, approve):
    hlm = make_meeting(network)
    registration = _registration(hlm, answers=answers)
    mail.outbox.clear()
    events.decide(network.secretariat, registration, approve)
    assert not Profile.objects.filter(owner=registration).exists()
    assert _invites("kenji@aoba.example") == []


def test_an_unverified_address_links_nothing(network):
    hlm = make_meeting(network)
    registration = _registration(hlm, answers={"matchmaking": True})
    events.decide(network.secretariat, registration, True)
    user = UserFactory(email="kenji@aoba.example")
    EmailAddress.objects.create(user=user, email="kenji@aoba.example", primary=True, verified=False)
    profile = Profile.objects.get(owner=registration)
    assert services.profiles_of_user(user, profile.setup) == []
