"""Meeting requests: the rules a participant notices, tested from the outside."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from ascnhub.matchmaking import services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import MeetingRequest

pytestmark = pytest.mark.django_db


def _url(mm, tail=""):
    return f"/meetings/{mm.meeting.slug}/matchmaking/{tail}"


def test_a_participant_requests_and_the_other_accepts(mm, client_for, django_capture_on_commit_callbacks):
    makassar_user = mm.makassar.owner.user
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(makassar_user).post(
            _url(mm, f"p/{mm.company.public_id}/request/"),
            {"message": "Can we talk about flood sensors?", "priority": "must"},
        )
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.requester, request.recipient, request.status) == (mm.makassar, mm.company, "pending")
    assert [m.to for m in mail.outbox] == [[mm.company.owner.email]]
    assert "Can we talk about flood sensors?" in mail.outbox[0].body

    # The requester cannot accept on the other's behalf; the recipient can.
    client_for(makassar_user).post(_url(mm, f"requests/{request.public_id}/accept/"))
    assert MeetingRequest.objects.get().status == "pending"
    company_client = client_for(mm.company.owner.user)
    assert company_client.post(_url(mm, f"requests/{request.public_id}/accept/")).status_code == 302
    assert MeetingRequest.objects.get().status == "accepted"


@pytest.mark.parametrize(
    "case", ["self", "not_registered", "duplicate", "reverse_duplicate", "deadline", "closed"]
)
def test_bad_requests_get_clear_errors_and_change_nothing(mm, case):
    requester, recipient = mm.makassar, mm.company
    if case == "self":
        recipient = requester
    elif case == "not_registered":
        recipient = mm.pending
    elif case in ("duplicate", "reverse_duplicate"):
        services.send_request(None, mm.makassar, mm.company)
        if case == "reverse_duplicate":
            requester, recipient = mm.company, mm.makassar
    elif case == "deadline":
        mm.setup.request_deadline = timezone.now() - datetime.timedelta(hours=1)
        mm.setup.save()
    elif case == "closed":
        mm.setup.is_open = False
        mm.setup.save()
    before = MeetingRequest.objects.count()
    with pytest.raises(MatchmakingError) as excinfo:
        services.send_request(None, requester, recipient)
    expected = {
        "self": "with yourself",
        "not_registered": "not a confirmed participant",
        "duplicate": "already a request",
        "reverse_duplicate": "already a request",
        "deadline": "deadline",
        "closed": "closed",
    }[case]
    assert expected in excinfo.value.message
    assert MeetingRequest.objects.count() == before


def test_open_request_limit(mm):
    mm.setup.max_open_requests = 1
    mm.setup.save()
    services.send_request(None, mm.makassar, mm.company)
    with pytest.raises(MatchmakingError, match="limit is 1"):
        services.send_request(None, mm.makassar, mm.danang)


def test_request_error_is_shown_on_the_page(mm, client_for):
    client = client_for(mm.makassar.owner.user)
    response = client.post(_url(mm, f"p/{mm.makassar.public_id}/request/"), {"priority": "must"}, follow=True)
    assert "You cannot request a meeting with yourself." in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_auto_accept(mm):
    mm.setup.auto_accept = True
    mm.setup.save()
    assert services.send_request(None, mm.makassar, mm.company).status == "accepted"


def test_organiser_sets_a_locked_meeting_the_sides_cannot_cancel(mm, network):
    request = services.organiser_set_meeting(network.secretariat, mm.makassar, mm.danang)
    assert request.locked and request.status == "accepted"
    with pytest.raises(MatchmakingError, match="organiser"):
        services.cancel_request(None, request)


def test_outsiders_cannot_act(mm, network, client_for):
    request = services.send_request(None, mm.makassar, mm.company)
    # Anonymous: sent to sign in; another participant (Da Nang): 403; nothing changes.
    assert client_for(None).post(_url(mm, f"requests/{request.public_id}/accept/")).status_code == 302
    assert (
        client_for(mm.danang.owner.user).post(_url(mm, f"requests/{request.public_id}/accept/")).status_code
        == 403
    )
    assert (
        client_for(mm.danang.owner.user).post(_url(mm, f"requests/{request.public_id}/cancel/")).status_code
        == 403
    )
    # A signed-in user without a profile in this meeting.
    assert client_for(network.outsider).get(_url(mm, "requests/")).status_code == 403
    assert MeetingRequest.objects.get().status == "pending"
    # Organiser pages: not for participants or anonymous visitors.
    assert client_for(mm.makassar.owner.user).get(_url(mm, "organise/")).status_code == 403
    assert client_for(None).get(_url(mm, "organise/")).status_code == 302
    assert client_for(network.secretariat).get(_url(mm, "organise/")).status_code == 200


def test_invisible_profiles_are_hidden_from_other_participants(mm, client_for, network):
    mm.company.visible = False
    mm.company.save()
    url = _url(mm, f"p/{mm.company.public_id}/")
    assert client_for(mm.makassar.owner.user).get(url).status_code == 403
    assert client_for(mm.company.owner.user).get(url).status_code == 200
    assert client_for(None).get(url).status_code == 302
