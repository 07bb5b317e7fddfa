"""Webhooks: integrators' endpoints, the events they receive, signing, and delivery with retries.

How a delivery is never lost:
- `emit()` runs inside the transaction that makes the event happen (a registration approved, a
  schedule published) and writes one `WebhookDelivery` per subscribed endpoint there: the event
  and its deliveries are committed together or not at all;
- after the commit a background task (django-tasks) sends each one through the durable-delivery
  channel "webhook" (`common.delivery`): sending first *claims* the delivery with one conditional
  UPDATE (attempts + 1, a lease of 30 s), so two workers never send the same attempt, and a worker
  that dies mid-send leaves the delivery to be taken again once the lease is over;
- `deliver_due()` (`ascnhub webhooks deliver`, or `ascnhub deliveries sweep` for every channel, from
  cron every minute) sends whatever is pending and due: deliveries whose task was never run,
  crashed, or is waiting for its next retry.
A failed attempt (no answer, or an answer other than 2xx) is retried with exponential back-off
(30 s, 1 min, 2 min … at most 6 h apart) until `ASCNHUB_WEBHOOK_MAX_ATTEMPTS`; then it is marked
failed. Every attempt's status code or error is recorded on the delivery.

Signature (like Stripe's): header `X-ASCNHub-Signature: t=<unix seconds>,v1=<hex>` where `<hex>` is
HMAC-SHA256 with the endpoint's secret over `"<t>." + raw body`. See docs/api.md for verification.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from ascnhub.common import activity
from ascnhub.common import delivery as delivery_channels
from ascnhub.common.delivery import AttemptFailed, GiveUp
from ascnhub.common.errors import DomainError

from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent

SIGNATURE_HEADER = "X-ASCNHub-Signature"
EVENT_HEADER = "X-ASCNHub-Event"
DELIVERY_HEADER = "X-ASCNHub-Delivery"
TIMEOUT_S = 10
BASE_DELAY_S = 30
MAX_DELAY_S = 6 * 3600
SUBSCRIBABLE = [e for e in WebhookEvent.values if e != WebhookEvent.PING]
MAX_ENDPOINTS_PER_OWNER = 20


class WebhookError(DomainError):
    """A refused endpoint change; `field` names the input at fault (url, events, description)."""


def max_attempts() -> int:
    """Attempts before a delivery is marked failed (ASCNHUB_WEBHOOK_MAX_ATTEMPTS)."""
    return int(getattr(settings, "ASCNHUB_WEBHOOK_MAX_ATTEMPTS", 8))


def _allow_private() -> bool:
    return bool(getattr(settings, "ASCNHUB_WEBHOOK_ALLOW_PRIVATE", False))


BACKOFF = delivery_channels.Backoff(
    base=datetime.timedelta(seconds=BASE_DELAY_S), cap=datetime.timedelta(seconds=MAX_DELAY_S)
)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before the next attempt after `attempts` attempts: 30 s, 1 min, 2 min, … at most 6 h."""
    return BACKOFF.pause(attempts)


# --- signing -----------------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of `"<timestamp>." + body` with the endpoint's secret."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, *, tolerance_s: int = 300, now: float | None = None
) -> bool:
    """What a receiver does: check the signature, and refuse a timestamp older than `tolerance_s`."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))


# --- endpoints ---------------------------------------------------------------------------------------


def _is_public_address(address: str) -> bool:
    return ipaddress.ip_address(address.split("%", 1)[0]).is_global


def check_url(url: str) -> str:
    """A webhook URL must be https to a public host (unless ASCNHUB_WEBHOOK_ALLOW_PRIVATE is on)."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise WebhookError(
            "invalid_url", "Enter a full http(s) URL, e.g. https://example.org/hooks/ascn.", "url"
        ) from None
    if len(url) > 500:
        raise WebhookError("invalid_url", "The URL is longer than 500 characters.", "url")
    if _allow_private():
        return url
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise WebhookError("invalid_url", "Webhook URLs must use https.", "url")
    host = parts.hostname or ""
    try:
        public = _is_public_address(host)
    except ValueError:  # a name, not an address
        public = "." in host and not host.endswith((".localhost", ".local", ".internal"))
    if not public:
        raise WebhookError(
            "invalid_url", "Webhook URLs must point to a public host, not a private or local one.", "url"
        )
    return url


def _check_events(events: Iterable[str]) -> list[str]:
    events = sorted(set(events))
    if not events:
        raise WebhookError(
            "invalid_events", f"Subscribe to at least one event: {', '.join(SUBSCRIBABLE)}.", "events"
        )
    unknown = [e for e in events if e not in SUBSCRIBABLE]
    if unknown:
        raise WebhookError(
            "invalid_events",
            f"Unknown event(s): {', '.join(unknown)}; known: {', '.join(SUBSCRIBABLE)}.",
            "events",
        )
    return events


@transaction.atomic
def create_endpoint(owner: Any, url: str, events: Iterable[str], description: str = "") -> WebhookEndpoint:
    """Register an endpoint for `owner`; its signing secret is generated (shown to the owner once)."""
    url = check_url(url)
    events = _check_events(events)
    description = " ".join((description or "").split())
    if "\x00" in description or len(description) > 200:
        raise WebhookError("invalid_description", "At most 200 printable characters.", "description")
    if WebhookEndpoint.objects.filter(owner=owner).count() >= MAX_ENDPOINTS_PER_OWNER:
        raise WebhookError(
            "too_many_endpoints", f"At most {MAX_ENDPOINTS_PER_OWNER} webhook endpoints per user.", "url"
        )
    endpoint = WebhookEndpoint.objects.create(owner=owner, url=url, events=events, description=description)
    activity.record(owner, "create_webhook", endpoint, {"url": [None, url], "events": [None, events]})
    return endpoint


@transaction.atomic
def delete_endpoint(actor: Any, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint and its delivery history; nothing more is sent to it."""
    activity.record(actor, "delete_webhook", endpoint, {"url": [endpoint.url, None]})
    endpoint.delete()


# --- emitting ----------------------------------------------------------------------------------------


def _enqueue(delivery_ids: list[int]) -> None:
    from . import tasks

    for pk in delivery_ids:
        tasks.deliver_webhook.enqueue(pk)


def emit(
    event: str,
    data: dict[str, Any],
    audience: Callable[[Any], bool] | None = None,
    *,
    already: Callable[[], set[int]] | None = None,
) -> list[WebhookDelivery]:
    """Record a delivery of `event` for every active endpoint subscribed to it whose owner is in the
    `audience` (a predicate on the owner: who may see this data) and that is not in `already()`
    (ids of endpoints that had this event before); they are sent after the commit.

    Call it inside the transaction that makes the event happen.
    """
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(active=True).select_related("owner")
        if event in e.events and e.owner.is_active
    ]
    if endpoints and already is not None:
        done = already()
        endpoints = [e for e in endpoints if e.pk not in done]
    if audience is not None:
        endpoints = [e for e in endpoints if audience(e.owner)]
    return _record(event, data, endpoints)


def _record(event: str, data: dict[str, Any], endpoints: list[WebhookEndpoint]) -> list[WebhookDelivery]:
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = []
    for endpoint in endpoints:
        delivery = WebhookDelivery(endpoint=endpoint, event=event, next_attempt_at=now, payload={})
        delivery.payload = {
            "id": str(delivery.public_id),
            "event": event,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "api_version": "1",
            "data": data,
        }
        deliveries.append(delivery)
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = list(
        WebhookDelivery.objects.filter(public_id__in=[d.public_id for d in deliveries]).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def ping(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test delivery to one endpoint (whatever it subscribed to), so its owner can check the receiver."""
    with transaction.atomic():
        return _record(WebhookEvent.PING, {"endpoint": str(endpoint.public_id)}, [endpoint])[0]


def _api_url(path: str) -> str:
    return f"{settings.SITE_URL}/api/v1{path}"


def registration_changed(registration: Any) -> None:
    """Hook in events.services: a registration became approved → `registration.approved`.

    Sent to the endpoints of those who may see the registration: who registered it through the
    API, the registrant, the meeting's organisers, the approving National Representative, the
    secretariat. Sent once per endpoint: called again (as the API does once it has recorded the
    submitter), it adds only the endpoints that did not have this registration's approval yet.
    """
    if registration.status != "approved":
        return
    from .models import SubmittedRegistration

    def may_see(owner: Any) -> bool:
        submitter = SubmittedRegistration.objects.filter(registration=registration, user=owner).exists()
        return (
            submitter
            or owner.pk == registration.user_id
            or owner.has_perm("events.view_registration", registration)
        )

    def already() -> set[int]:
        return set(
            WebhookDelivery.objects.filter(
                event=WebhookEvent.REGISTRATION_APPROVED,
                payload__data__registration__id=str(registration.public_id),
            ).values_list("endpoint_id", flat=True)
        )

    meeting = registration.meeting
    emit(
        WebhookEvent.REGISTRATION_APPROVED,
        {
            "registration": {
                "id": str(registration.public_id),
                "meeting": meeting.slug,
                "category": registration.category.code,
                "name": registration.name,
                "email": registration.email,
                "organisation": registration.organisation_name,
                "country": registration.country,
                "mode": registration.mode,
                "status": registration.status,
                "url": _api_url(f"/meetings/{meeting.slug}/registrations/{registration.public_id}"),
            }
        },
        may_see,
        already=already,
    )


def schedule_published(run: Any, *, meetings: int, changed: int, moved: int) -> None:
    """Hook in matchmaking.scheduling.publish_run → `matchmaking.meeting_scheduled`.

    Carries no personal data (counts only); participants read their own meetings through the API.
    """
    meeting = run.setup.meeting
    emit(
        WebhookEvent.MEETING_SCHEDULED,
        {
            "meeting": meeting.slug,
            "run": run.number,
            "published_at": run.published_at.isoformat().replace("+00:00", "Z") if run.published_at else None,
            "meetings": meetings,
            "changed": changed,
            "moved": moved,
            "url": _api_url(f"/meetings/{meeting.slug}"),
        },
        lambda owner: owner.has_perm("events.view_meeting", meeting),
    )


# --- delivering --------------------------------------------------------------------------------------


def _vetted_address(url: str) -> str:
    """The address to connect to: the host's first, after checking that every one is public.

    The connection is then made to exactly this address (see `_send`), so a name that resolves
    to a public address for the check and to a private one a moment later (DNS rebinding) cannot
    make us call an internal service.
    """
    parts = urlsplit(url)
    infos = socket.getaddrinfo(
        parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP
    )
    if not infos:
        raise OSError(f"{parts.hostname} does not resolve")
    addresses = [str(sockaddr[0]) for *_ignored, sockaddr in infos]
    if not _allow_private() and not all(_is_public_address(a) for a in addresses):
        raise OSError(f"{parts.hostname} resolves to a non-public address")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a given address; the URL's host name is still sent as Host."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to a given address; TLS still checks the certificate against the URL's host name."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _send(url: str, address: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST to `url` over a connection to `address`; (status, reason). Redirects are not followed:
    a 3xx is an answer like any other non-2xx (the receiver must answer at the URL given)."""
    parts = urlsplit(url)
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(parts.hostname or "", parts.port, address=address, timeout=TIMEOUT_S)
    try:
        connection.request(
            "POST", urlunsplit(("", "", parts.path or "/", parts.query, "")), body=body, headers=headers
        )
        response = connection.getresponse()
        response.read(1024)
        return response.status, response.reason
    finally:
        connection.close()


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """Send once; (HTTP status or None, error text or "")."""
    endpoint = delivery.endpoint
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "ASCNHub-Webhooks/1",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.public_id),
        SIGNATURE_HEADER: signature_header(endpoint.secret, body),
    }
    try:
        status, reason = _send(endpoint.url, _vetted_address(endpoint.url), body, headers)
    except (http.client.HTTPException, OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return status, "" if 200 <= status < 300 else f"HTTP {status} {reason}"[:500]


def _send_one(delivery: WebhookDelivery, _session: Any) -> None:
    """The channel's send: one signed POST; anything but a 2xx answer is a failed attempt."""
    if not delivery.endpoint.active:
        delivery.last_status_code = None
        raise GiveUp("the endpoint is deactivated")
    code, error = _post(delivery)
    delivery.last_status_code = code
    if error:
        raise AttemptFailed(error)  # no answer, or an answer other than 2xx: the text says which


def _enqueue_retry(delivery_ids: list[int], run_after: datetime.datetime | None) -> None:
    from . import tasks

    task = tasks.deliver_webhook
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # `ascnhub deliveries sweep` finds it when it is due
        task = task.using(run_after=run_after)
    for pk in delivery_ids:
        task.enqueue(pk)


CHANNEL = delivery_channels.register(
    delivery_channels.Channel(
        name="webhook",
        model=WebhookDelivery,
        send=_send_one,
        backoff=BACKOFF,
        max_attempts=max_attempts,
        # Three times the HTTP timeout: an attempt still running after that is taken for dead.
        lease=datetime.timedelta(seconds=3 * TIMEOUT_S),
        enqueue=_enqueue_retry,
        select_related=("endpoint",),
        outcome_fields=("last_status_code",),
    )
)


def _claim(delivery_id: int, now: datetime.datetime) -> WebhookDelivery | None:
    """Take a due pending delivery for one attempt (or None: done, failed, not yet due, or taken)."""
    return delivery_channels.claim(CHANNEL, delivery_id, now)


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> WebhookDelivery | None:
    """Make one attempt at a due pending delivery and record what happened; None when not due.

    A failed attempt that has attempts left is handed to the task worker for its due time."""
    return delivery_channels.deliver(CHANNEL, delivery_id, now=now)


def deliver_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Attempt every pending delivery that is due (the periodic safety net); returns how many."""
    return sum(delivery_channels.deliver_due(CHANNEL, now=now, limit=limit).values())
