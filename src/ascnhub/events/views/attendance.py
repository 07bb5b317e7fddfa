"""Online presence pages: the session's watch page (stream links per language, heartbeat), the
presence endpoint it beats to, the organisers' in-person vs online table and the stream-link form.

Thin views over `presence` (services). The watch page is for the participant: through the secret
link from their registration e-mail (`?r=<registration>&key=<secret>`) or signed in.
"""

from __future__ import annotations

import hmac
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ascnhub.common.http import LoginRequired, require_perm

from .. import presence
from ..models import Meeting, Registration, Session
from ..services import EventsError


def _meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting, slug=slug)
    if not request.user.has_perm("events.view_meeting", meeting):
        raise Http404("no such meeting")
    return meeting


def _participant(request: HttpRequest, meeting: Meeting, data) -> tuple[Registration | None, bool]:
    """The registration the page is for, and whether the viewer is that participant themself."""
    rid, key = data.get("r", ""), data.get("key", "")
    if rid:
        try:
            reg = Registration.objects.filter(meeting=meeting, public_id=uuid.UUID(rid)).first()
        except ValueError:
            raise Http404("no such registration") from None
        if reg is None:
            raise Http404("no such registration")
        if key and hmac.compare_digest(key, reg.secret):
            return reg, True
        if request.user.has_perm("events.view_registration", reg):
            return reg, reg.user_id is not None and reg.user_id == request.user.pk
        if not request.user.is_authenticated:
            raise LoginRequired()
        raise PermissionDenied("events.view_registration")
    if not request.user.is_authenticated:
        raise LoginRequired()
    reg = (
        Registration.objects.filter(meeting=meeting, user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    return reg, True


@never_cache
def watch(request: HttpRequest, slug: str, session_id: uuid.UUID) -> HttpResponse:
    """A session's online page: its stream links per language; open, it counts as presence."""
    meeting = _meeting(request, slug)
    session = get_object_or_404(
        Session.objects.prefetch_related("stream_links"), meeting=meeting, public_id=session_id
    )
    reg, is_participant = _participant(request, meeting, request.GET)
    links = presence.stream_links(session)
    if not presence.may_join(reg) or not links:
        raise PermissionDenied("online links are for approved online participants")
    config = {
        "url": reverse("events:presence", args=[meeting.slug, session.public_id]),
        "r": str(reg.public_id) if reg else "",
        "key": request.GET.get("key", ""),
        "csrf": get_token(request),
        "heartbeat": presence.HEARTBEAT_SECONDS,
        "counts": is_participant,
    }
    context = {"meeting": meeting, "session": session, "links": links, "config": config, "reg": reg}
    response = render(request, "events/watch.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def beat(request: HttpRequest, slug: str, session_id: uuid.UUID) -> HttpResponse:
    """join / beat / leave from the participant's watch page (form fields, so sendBeacon can post)."""
    meeting = _meeting(request, slug)
    session = get_object_or_404(Session, meeting=meeting, public_id=session_id)
    reg, is_participant = _participant(request, meeting, request.POST)
    if reg is None or not presence.may_join(reg):
        raise PermissionDenied("online links are for approved online participants")
    if not is_participant:  # an organiser checking the page is not counted as the participant
        return HttpResponse(status=204)
    try:
        presence.record(
            reg, session, request.POST.get("event", ""), language=request.POST.get("language", "")
        )
    except EventsError as exc:
        return JsonResponse({"detail": str(exc), "code": exc.code}, status=400)
    return HttpResponse(status=204)


def session_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers: per session, in-person (door check-ins) beside online (presence minutes)."""
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    rows = presence.session_attendance(meeting)
    return render(request, "events/session_attendance.html", {"meeting": meeting, "rows": rows})


def stream_links(request: HttpRequest, slug: str, session_id: uuid.UUID) -> HttpResponse:
    """Organisers: a session's stream link per interpretation language."""
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    session = get_object_or_404(Session, meeting=meeting, public_id=session_id)
    current = "\n".join(f"{s.language} = {s.url}" for s in session.stream_links.all())
    text, error = request.POST.get("links", current), ""
    if request.method == "POST":
        try:
            presence.set_stream_links(request.user, session, text)
        except EventsError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Stream links saved."))
            return redirect("events:session_attendance", meeting.slug)
    context = {"meeting": meeting, "session": session, "text": text, "error": error}
    return render(request, "events/stream_links.html", context, status=400 if error else 200)
