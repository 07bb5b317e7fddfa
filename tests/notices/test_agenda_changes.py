"""Publishing a new agenda version tells each registrant whose sessions changed — once, with what
changed for them."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from ascnhub.events import services
from ascnhub.events.models import Session
from ascnhub.notices.models import Notification
from tests.events.factories import RegistrationFactory, make_meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _to(address):
    return [m for m in mail.outbox if address in m.to]


def test_only_those_whose_sessions_changed_hear_of_it_once(network):
    hlm = make_meeting(network)
    water_user = UserFactory(email="water@test.example")
    water = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.city, user=water_user, email=water_user.email, status="approved"
    )
    mobility = RegistrationFactory(
        meeting=hlm.meeting,
        category=hlm.city,
        email="mobility@test.example",
        status="approved",
        language="id",
    )
    services.sign_up(water, hlm.forum)
    services.sign_up(mobility, hlm.forum2)
    mail.outbox.clear()
    Session.objects.filter(pk=hlm.forum.pk).update(
        starts_at=hlm.forum.starts_at + datetime.timedelta(hours=1),
        ends_at=hlm.forum.ends_at + datetime.timedelta(hours=1),
    )
    services.publish_agenda(None, hlm.meeting, note="Water forum moved")
    (message,) = _to(water.email)
    assert "Changed: Forum: Water (start, end)" in message.body and "Mobility" not in message.body
    assert Notification.objects.get(user=water_user).kind == "agenda_changed"
    assert _to(mobility.email) == []
    # A plenary change reaches everyone, in their language; nothing is repeated.
    mail.outbox.clear()
    Session.objects.filter(pk=hlm.opening.pk).update(title="Opening ceremony and welcome")
    services.publish_agenda(None, hlm.meeting)
    assert len(_to(water.email)) == 1 and len(_to(mobility.email)) == 1
    assert "Forum: Water" not in _to(water.email)[0].body
    assert "Opening ceremony and welcome" in _to(mobility.email)[0].body


def test_a_registrant_who_chose_in_app_only_gets_no_email(network):
    from ascnhub.notices import services as notices

    hlm = make_meeting(network)
    user = UserFactory()
    RegistrationFactory(
        meeting=hlm.meeting, category=hlm.city, user=user, email=user.email, status="approved"
    )
    notices.set_preferences(user, {"agenda_changed": "in_app"})
    mail.outbox.clear()
    Session.objects.filter(pk=hlm.opening.pk).update(title="Opening, later")
    services.publish_agenda(None, hlm.meeting)
    assert _to(user.email) == []
    assert "Opening, later" in Notification.objects.get(user=user).text or Notification.objects.filter(
        user=user
    )
