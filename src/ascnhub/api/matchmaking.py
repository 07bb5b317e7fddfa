"""API v1: business-matchmaking meeting requests (token with the `write:meeting_requests` scope)."""

import datetime
import uuid

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ascnhub.events.models import Meeting
from ascnhub.matchmaking import services
from ascnhub.matchmaking.models import MeetingRequest, Profile
from ascnhub.matchmaking.setup import setup_for
from ascnhub.matchmaking.unplaced import explain

from .auth import WRITE_THROTTLE, TokenAuth, require_scope
from .schemas import ErrorOut

router = Router(tags=["matchmaking"], auth=TokenAuth())
SCOPE = "write:meeting_requests"


class RequestIn(Schema):
    recipient: uuid.UUID
    message: str = ""
    priority: MeetingRequest.Priority = MeetingRequest.Priority.WOULD_LIKE


class AnswerIn(Schema):
    accept: bool


class RequestOut(Schema):
    id: uuid.UUID
    requester: uuid.UUID
    recipient: uuid.UUID
    message: str
    priority: str
    status: str
    locked: bool
    created_at: datetime.datetime
    unplaced_reason: str | None = None
    unplaced_explanation: str | None = None


def _out(r: MeetingRequest) -> dict:
    # An accepted request the published schedule does not hold says why (see matchmaking.unplaced):
    # a stable code and the sentence the request's page shows, in the request's language.
    unplaced = getattr(r, "unplaced", None)
    return {
        "unplaced_reason": unplaced.reason if unplaced is not None else None,
        "unplaced_explanation": explain(unplaced) if unplaced is not None else None,
        "id": r.public_id,
        "requester": r.requester.public_id,
        "recipient": r.recipient.public_id,
        "message": r.message,
        "priority": r.priority,
        "status": r.status,
        "locked": r.locked,
        "created_at": r.created_at,
    }


def _my_profile(request, slug: str) -> Profile:
    meeting = get_object_or_404(Meeting, slug=slug)
    profiles = services.profiles_of_user(request.user, setup_for(meeting))
    if not profiles:
        raise HttpError(403, "the token's user has no matchmaking profile in this meeting")
    return profiles[0]


@router.get(
    "/meetings/{slug}/matchmaking/requests",
    response={200: list[RequestOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="My meeting requests, sent and received",
)
def list_requests(request, slug: str):
    require_scope(request, SCOPE)
    mine = _my_profile(request, slug)
    related = ("requester", "recipient", "setup", "unplaced__side")
    rows = MeetingRequest.objects.filter(setup=mine.setup).filter(requester=mine).select_related(
        *related
    ) | MeetingRequest.objects.filter(setup=mine.setup, recipient=mine).select_related(*related)
    return [_out(r) for r in rows.order_by("-created_at")]


@router.post(
    "/meetings/{slug}/matchmaking/requests",
    response={
        201: RequestOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    throttle=WRITE_THROTTLE,
    summary="Ask for a 1:1 meeting",
)
def create_request(request, slug: str, payload: RequestIn):
    require_scope(request, SCOPE)
    mine = _my_profile(request, slug)
    recipient = Profile.objects.filter(setup=mine.setup, public_id=payload.recipient).first()
    if recipient is None:
        raise HttpError(400, f"recipient: no participant {payload.recipient} in this meeting's matchmaking")
    created = services.send_request(
        request.user, mine, recipient, message=payload.message, priority=payload.priority
    )
    return Status(201, _out(created))


@router.post(
    "/meetings/{slug}/matchmaking/requests/{request_id}/answer",
    response={
        200: RequestOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    throttle=WRITE_THROTTLE,
    summary="Accept or decline a request you received",
)
def answer_request(request, slug: str, request_id: uuid.UUID, payload: AnswerIn):
    require_scope(request, SCOPE)
    mine = _my_profile(request, slug)
    found = get_object_or_404(MeetingRequest, setup=mine.setup, public_id=request_id)
    if found.recipient_id != mine.pk:
        raise HttpError(403, "only the recipient answers a request")
    answered = services.answer_request(request.user, found, accept=payload.accept)
    return _out(answered)
