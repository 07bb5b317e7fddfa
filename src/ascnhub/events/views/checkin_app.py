"""The installable check-in web app for staff phones: its page, manifest, service worker and JSON.

Everything lives under `/meetings/<slug>/check-in/app/`, the scope of the service worker served
from there, so the page works offline once opened. The JSON endpoints use the staff member's
session and Django's CSRF token (read from the cookie by the app); none of them is cached by the
service worker (the app keeps the last state it downloaded in IndexedDB instead).

Thin views: parse, authorise (`events.check_in` on the meeting: its check-in staff, organisers
and the secretariat), call `scans`, answer.
"""

from __future__ import annotations

import base64
import hashlib
import json

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ascnhub.common.http import require_perm

from .. import scans
from ..models import Meeting

#: Static files the service worker caches with the page (the app shell).
SHELL_STATIC = [
    "ascnhub/site.css",
    "events/checkin/app.css",
    "events/checkin/app.js",
    "events/checkin/icon.svg",
    "vendor/jsqr/jsQR.js",
]


def _visible_meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting, slug=slug)
    if not request.user.has_perm("events.view_meeting", meeting):
        raise Http404("no such meeting")
    return meeting


def _staff_meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = _visible_meeting(request, slug)
    require_perm(request, "events.check_in", meeting)
    return meeting


def _urls(meeting: Meeting) -> dict[str, str]:
    base = reverse("events:checkin_app", args=[meeting.slug])
    return {
        "app": base,
        "sw": base + "sw.js",
        "state": base + "state.json",
        "sync": base + "sync/",
        "counts": base + "counts.json",
        "device_key": base + "device-key/",
    }


@never_cache
def app(request: HttpRequest, slug: str) -> HttpResponse:
    """The app's page: scanner, typed-code form, queue, counts (script in events/checkin/app.js)."""
    meeting = _staff_meeting(request, slug)
    config = {
        "meeting": meeting.pk,
        "slug": meeting.slug,
        "urls": _urls(meeting),
        "jsqr": staticfiles_storage.url("vendor/jsqr/jsQR.js"),
    }
    return render(request, "events/checkin/app.html", {"meeting": meeting, "config": config})


def _shell_version(meeting: Meeting, urls: list[str]) -> str:
    """Changes whenever a cached file's URL does (hashed static names in production), so a new
    service worker replaces the old cache."""
    return hashlib.sha256(json.dumps([meeting.slug, *urls]).encode()).hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest, slug: str) -> HttpResponse:
    """The service worker; served from the app's path so its scope covers the app and nothing else.

    It holds no data (file addresses only), so it is served to anyone who may see the meeting."""
    meeting = _visible_meeting(request, slug)
    urls = _urls(meeting)
    shell = [urls["app"], urls["app"] + "manifest.webmanifest"] + [
        staticfiles_storage.url(p) for p in SHELL_STATIC
    ]
    body = render_to_string(
        "events/checkin/sw.js",
        {
            "shell_json": json.dumps(shell),
            "version": _shell_version(meeting, shell),
            "app_url": json.dumps(urls["app"]),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest, slug: str) -> JsonResponse:
    """The web app manifest (name, scope, icons): public, like the meeting's page."""
    meeting = _visible_meeting(request, slug)
    base = reverse("events:checkin_app", args=[meeting.slug])
    data = {
        "name": _("Check-in: %(meeting)s") % {"meeting": meeting.title},
        "short_name": _("Check-in"),
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
        "icons": [
            {
                "src": staticfiles_storage.url("events/checkin/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            },
            {
                "src": staticfiles_storage.url("events/checkin/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": staticfiles_storage.url("events/checkin/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@never_cache
@require_GET
def state(request: HttpRequest, slug: str) -> JsonResponse:
    """The roster, statuses, sessions and today's check-ins a device decides by when offline."""
    meeting = _staff_meeting(request, slug)
    return JsonResponse(scans.device_state(meeting))


@never_cache
@require_GET
def counts(request: HttpRequest, slug: str) -> JsonResponse:
    meeting = _staff_meeting(request, slug)
    return JsonResponse(scans.counts(meeting))


def _json_body(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("the request body must be a JSON object")
    return data


@never_cache
@require_GET
def device_key(request: HttpRequest, slug: str) -> JsonResponse:
    """The key that binds this device's queue entries (the app imports it as non-extractable).

    A GET (`?device=<id>`): it changes nothing, and a JSON object cannot be read cross-origin.
    """
    meeting = _staff_meeting(request, slug)
    device = request.GET.get("device", "")
    if not device or len(device) > scans.DEVICE_ID_MAX:
        return JsonResponse({"detail": "device: missing or too long"}, status=400)
    key = base64.b64encode(scans.device_key(meeting, device)).decode()
    return JsonResponse({"device": device, "key": key})


@never_cache
@require_POST
def sync(request: HttpRequest, slug: str) -> JsonResponse:
    """Apply a device's queue: `{"entries": [...]}` → `{"results": [...]}`, one answer per entry.

    The app posts JSON; a form post with the JSON text in the field `entries` is taken too.
    """
    meeting = _staff_meeting(request, slug)
    try:
        if request.content_type == "application/json":
            entries = _json_body(request).get("entries")
        else:  # a form post (e.g. a beacon) carries the same JSON in the field `entries`
            entries = json.loads(request.POST.get("entries") or "null")
        actor = request.user if request.user.is_authenticated else None  # always signed in here
        results = scans.sync_scans(actor, meeting, entries)
    except ValueError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    return JsonResponse({"results": [r.as_json(meeting) for r in results]})
