"""API v1: a token's user manages their webhook endpoints and sees their deliveries (`manage:webhooks`)."""

import datetime
import uuid

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from . import webhooks
from .auth import WRITE_THROTTLE, TokenAuth, require_scope
from .errors import refuse_nul
from .models import WebhookDelivery, WebhookEndpoint
from .pagination import Mapped, Page
from .schemas import ErrorOut, FieldErrorsOut

router = Router(tags=["webhooks"], auth=TokenAuth())
SCOPE = "manage:webhooks"


class EndpointIn(Schema):
    url: str = Field(description="https URL of a public host that accepts POSTs.")
    events: list[str] = Field(description=f"Events to receive: {', '.join(webhooks.SUBSCRIBABLE)}.")
    description: str = ""


class EndpointOut(Schema):
    id: uuid.UUID
    url: str
    description: str
    events: list[str]
    active: bool
    created_at: datetime.datetime


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(description="The signing secret: shown this once; keep it on the receiving side.")


class DeliveryOut(Schema):
    id: uuid.UUID
    event: str
    status: str = Field(description="pending, delivered or failed (for good)")
    attempts: int
    next_attempt_at: datetime.datetime | None
    last_attempt_at: datetime.datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: datetime.datetime | None
    created_at: datetime.datetime
    payload: dict


def _endpoint_out(e: WebhookEndpoint) -> dict:
    return {
        "id": e.public_id,
        "url": e.url,
        "description": e.description,
        "events": e.events,
        "active": e.active,
        "created_at": e.created_at,
    }


def _delivery_out(d: WebhookDelivery) -> dict:
    pending = d.status == WebhookDelivery.Status.PENDING
    return {
        "id": d.public_id,
        "event": d.event,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at if pending else None,
        "last_attempt_at": d.last_attempt_at,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "delivered_at": d.delivered_at,
        "created_at": d.created_at,
        "payload": d.payload,
    }


def _mine(request, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    require_scope(request, SCOPE)
    return get_object_or_404(WebhookEndpoint, owner=request.user, public_id=endpoint_id)


@router.get(
    "/webhooks",
    response={200: list[EndpointOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Your webhook endpoints",
)
@paginate(Page)
def list_endpoints(request):
    require_scope(request, SCOPE)
    return Mapped(
        WebhookEndpoint.objects.filter(owner=request.user).order_by("-created_at", "-id"),
        lambda e: _endpoint_out(e),
    )


@router.post(
    "/webhooks",
    response={
        201: EndpointCreatedOut,
        400: FieldErrorsOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    throttle=WRITE_THROTTLE,
    summary="Add a webhook endpoint (the answer carries its signing secret, once)",
)
def create_endpoint(request, payload: EndpointIn):
    require_scope(request, SCOPE)
    refuse_nul(url=payload.url, description=payload.description)
    endpoint = webhooks.create_endpoint(request.user, payload.url, payload.events, payload.description)
    return Status(201, {**_endpoint_out(endpoint), "secret": endpoint.secret})


@router.get(
    "/webhooks/{endpoint_id}",
    response={200: EndpointOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One of your webhook endpoints",
)
def get_endpoint(request, endpoint_id: uuid.UUID):
    return _endpoint_out(_mine(request, endpoint_id))


@router.delete(
    "/webhooks/{endpoint_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    throttle=WRITE_THROTTLE,
    summary="Remove a webhook endpoint; nothing more is sent to it",
)
def delete_endpoint(request, endpoint_id: uuid.UUID):
    webhooks.delete_endpoint(request.user, _mine(request, endpoint_id))
    return Status(204, None)


@router.get(
    "/webhooks/{endpoint_id}/deliveries",
    response={200: list[DeliveryOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="An endpoint's deliveries, newest first, with every attempt's outcome",
)
@paginate(Page)
def list_deliveries(request, endpoint_id: uuid.UUID):
    endpoint = _mine(request, endpoint_id)
    return Mapped(endpoint.deliveries.all(), lambda d: _delivery_out(d))


@router.post(
    "/webhooks/{endpoint_id}/ping",
    response={202: DeliveryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    throttle=WRITE_THROTTLE,
    summary="Send a signed test event (`ping`) to the endpoint",
)
def ping_endpoint(request, endpoint_id: uuid.UUID):
    return Status(202, _delivery_out(webhooks.ping(_mine(request, endpoint_id))))
