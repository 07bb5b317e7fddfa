"""Requests with a life cycle: a request nobody answers expires after the organiser's number of
days (`Setup.request_expiry_days`), both sides are told, and its place in the requester's quota
of open requests is free again (as after a decline or a cancellation: only waiting requests count).

    expires_at(request)          -> when a waiting request expires (None: never)
    refuse_if_expired(request)   -> raises for an answer that comes too late
    expire_due_requests(now)     -> the periodic sweep (`ascnhub matchmaking expire-requests`)
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import activity

from . import notifications
from .errors import MatchmakingError
from .models import MeetingRequest, Setup


def expires_at(request: MeetingRequest) -> datetime.datetime | None:
    """When the request expires unanswered, by its meeting's rule; None when requests never expire."""
    days = request.setup.request_expiry_days
    return request.created_at + datetime.timedelta(days=days) if days else None


def refuse_if_expired(request: MeetingRequest, now: datetime.datetime | None = None) -> None:
    """Refuse to answer a waiting request whose time ran out (the sweep may not have run yet)."""
    due = expires_at(request)
    if request.status == MeetingRequest.Status.PENDING and due is not None and due <= (now or timezone.now()):
        raise MatchmakingError(
            "expired",
            _(
                "This request expired on %(date)s UTC: it was not answered within %(days)s days. "
                "Ask again if you still want to meet."
            )
            % {"date": f"{due:%d %b %Y %H:%M}", "days": request.setup.request_expiry_days},
        )


def expire_due_requests(now: datetime.datetime | None = None) -> int:
    """Expire every waiting request past its meeting's limit and tell both sides; returns how many.

    One transaction per request, claimed with a conditional update, so two sweeps at once never
    expire (or announce) the same request twice.
    """
    now = now or timezone.now()
    expired = 0
    for setup in Setup.objects.exclude(request_expiry_days=None):
        cutoff = now - datetime.timedelta(days=setup.request_expiry_days or 0)
        due = MeetingRequest.objects.filter(
            setup=setup, status=MeetingRequest.Status.PENDING, created_at__lte=cutoff
        ).values_list("pk", flat=True)
        for pk in list(due):
            with transaction.atomic():
                claimed = MeetingRequest.objects.filter(pk=pk, status=MeetingRequest.Status.PENDING).update(
                    status=MeetingRequest.Status.EXPIRED, answered_at=now
                )
                if not claimed:
                    continue
                request = MeetingRequest.objects.select_related("requester", "recipient").get(pk=pk)
                activity.record(None, "expire_request", request, {"status": ["pending", "expired"]})
                notifications.request_expired(request)
                expired += 1
    return expired
