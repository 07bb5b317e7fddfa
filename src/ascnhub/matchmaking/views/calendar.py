"""A participant's calendar subscription: the page that manages it and the feed itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.http import LoginRequired
from ascnhub.events.models import Registration

from .. import calendar_feed
from ..models import CalendarFeed
from .helpers import base_context, setup_of


def _my_registration(request: HttpRequest, setup) -> Registration:
    if not request.user.is_authenticated:
        raise LoginRequired()
    registration = (
        Registration.objects.filter(meeting=setup.meeting, user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("meeting")
        .first()
    )
    if registration is None:
        raise PermissionDenied("not registered")
    return registration


def calendar_page(request: HttpRequest, slug: str) -> HttpResponse:
    setup = setup_of(slug)
    registration = _my_registration(request, setup)
    feed = (
        CalendarFeed.objects.filter(registration=registration).select_related("registration__meeting").first()
    )
    return render(
        request,
        "matchmaking/calendar.html",
        {
            **base_context(request, setup),
            "feed": feed,
            "urls": calendar_feed.feed_urls(feed) if feed else None,
        },
    )


@require_POST
def calendar_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    setup = setup_of(slug)
    registration = _my_registration(request, setup)
    if action == "regenerate":
        calendar_feed.regenerate_feed(request.user, registration)
        messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    elif action == "revoke":
        calendar_feed.revoke_feed(request.user, registration)
        messages.info(request, _("Your calendar address is switched off."))
    else:
        return HttpResponseNotFound()
    return redirect("matchmaking:calendar", slug)


def calendar_feed_ics(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The feed, read by calendar apps without a session: the token is the permission."""
    registration = calendar_feed.registration_for_token(slug, token)
    if registration is None:
        # The same bare answer for a forged, a revoked or another meeting's token.
        return HttpResponseNotFound("Not found", content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        calendar_feed.personal_feed_ics(registration), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
