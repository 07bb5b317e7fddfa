"""Requests with a life cycle: expiry after the organiser's number of days (both sides told), and
the requester's quota of open requests returned after a decline, an expiry or a cancellation."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ascnhub.matchmaking import lifecycle, services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import MeetingRequest

pytestmark = pytest.mark.django_db


def _age(request, days: float) -> None:
    MeetingRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_an_unanswered_request_expires_and_both_sides_are_told(mm, django_capture_on_commit_callbacks):
    mm.setup.request_expiry_days = 5
    mm.setup.save()
    old = services.send_request(None, mm.company, mm.makassar)
    fresh = services.send_request(None, mm.company, mm.danang)
    _age(old, 5.1)
    _age(fresh, 4.9)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = io.StringIO()
        call_command("matchmaking", "expire-requests", stdout=out)
    assert "1 requests expired." in out.getvalue()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == "expired" and fresh.status == "pending"
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted([mm.company.owner.email, mm.makassar.owner.email])
    assert all("5 days" in m.body for m in mail.outbox)
    # A second sweep announces nothing again.
    assert lifecycle.expire_due_requests() == 0


def test_answering_an_expired_request_is_refused_with_a_clear_message(mm):
    mm.setup.request_expiry_days = 3
    mm.setup.save()
    request = services.send_request(None, mm.company, mm.makassar)
    _age(request, 4)  # past the limit, before any sweep ran
    with pytest.raises(MatchmakingError, match="expired on .* not answered within 3 days"):
        services.answer_request(mm.makassar.owner.user, request, accept=True)
    request.refresh_from_db()
    assert request.status == "pending"
    lifecycle.expire_due_requests()
    with pytest.raises(MatchmakingError, match="already expired without an answer"):
        services.answer_request(mm.makassar.owner.user, request, accept=True)


def test_requests_never_expire_when_the_organiser_says_so(mm):
    mm.setup.request_expiry_days = None
    mm.setup.save()
    request = services.send_request(None, mm.company, mm.makassar)
    _age(request, 400)
    assert lifecycle.expire_due_requests() == 0
    assert services.answer_request(None, request, accept=True).status == "accepted"


@pytest.mark.parametrize("how", ["decline", "expire", "cancel"])
def test_a_closed_request_returns_its_place_in_the_quota(mm, how):
    mm.setup.max_open_requests = 1
    mm.setup.save()
    first = services.send_request(None, mm.company, mm.makassar)
    with pytest.raises(MatchmakingError, match="the limit is 1"):
        services.send_request(None, mm.company, mm.danang)
    if how == "decline":
        services.answer_request(None, first, accept=False)
    elif how == "expire":
        _age(first, 8)  # the default limit is 7 days
        assert lifecycle.expire_due_requests() == 1
    else:
        services.cancel_request(None, first)
    second = services.send_request(None, mm.company, mm.danang)
    assert second.status == "pending"
