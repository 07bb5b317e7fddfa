"""Editing the programme (organisers): sessions and rooms, with htmx forms in place."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ascnhub.common.forms import submit_form
from ascnhub.common.http import require_perm

from .. import agenda as agenda_mod
from .. import services
from ..forms import PublishForm, RoomForm, SessionForm
from ..models import Meeting, Room, Session
from .helpers import meeting_or_404


def _manage_meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = meeting_or_404(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    return meeting


def _saved(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """After a change: back to the programme (htmx follows the HX-Redirect header)."""
    target = reverse("events:programme", args=[meeting.slug])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _form_status(request: HttpRequest, form) -> int:
    # htmx (2.x) swaps only 2xx answers in: the form with its errors comes back as 200 to htmx,
    # as 400 to a plain form post.
    return 400 if form.errors and not request.htmx else 200


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme as organisers edit it: every session by day, the rooms, what is not published yet."""
    meeting = _manage_meeting(request, slug)
    sessions = list(agenda_mod.public_sessions(meeting))
    rooms = list(meeting.rooms.annotate(n_sessions=Count("sessions")))
    return render(
        request,
        "events/programme.html",
        {
            "meeting": meeting,
            "days": agenda_mod.build_days(meeting, sessions),
            "rooms": rooms,
            "version": meeting.agenda_versions.order_by("-number").first(),
            "pending_changes": services.pending_agenda_changes(meeting),
            "publish_form": PublishForm(),
        },
    )


def session_edit(request: HttpRequest, slug: str, session_id: uuid.UUID | None = None) -> HttpResponse:
    meeting = _manage_meeting(request, slug)
    session = None
    if session_id is not None:
        session = get_object_or_404(
            Session.objects.prefetch_related("speaker_links"), meeting=meeting, public_id=session_id
        )
    form = SessionForm(request.POST or None, meeting=meeting, session=session)

    def saved(result) -> HttpResponse:
        for warning in result[1]:  # e.g. a speaker in two sessions at once: allowed, but said
            messages.warning(request, warning)
        return _saved(request, meeting)

    done = submit_form(
        request,
        form,
        lambda: services.save_session(
            request.user, meeting, form.session_values(), form.people(), session=session
        ),
        success=lambda result: (
            _("“%(title)s” is saved. Publish the agenda when the programme is ready.")
            % {"title": result[0].title}
        ),
        then=saved,
    )
    if done:
        return done
    template = "events/_session_form.html" if request.htmx else "events/session_form.html"
    context = {"meeting": meeting, "session": session, "form": form}
    return render(request, template, context, status=_form_status(request, form))


def session_delete(request: HttpRequest, slug: str, session_id: uuid.UUID) -> HttpResponse:
    meeting = _manage_meeting(request, slug)
    session = get_object_or_404(Session, meeting=meeting, public_id=session_id)
    if request.method == "POST":
        services.delete_session(request.user, session)
        messages.success(request, _("“%(title)s” is removed from the programme.") % {"title": session.title})
        return _saved(request, meeting)
    return render(
        request,
        "events/confirm_delete.html",
        {
            "meeting": meeting,
            "what": session.title,
            "n_signups": session.signups.count(),
            "cancel_url": reverse("events:programme", args=[meeting.slug]),
        },
    )


def room_edit(request: HttpRequest, slug: str, room_id: int | None = None) -> HttpResponse:
    meeting = _manage_meeting(request, slug)
    room = get_object_or_404(Room, meeting=meeting, pk=room_id) if room_id is not None else None
    initial = (
        {"name": room.name, "capacity": room.capacity, "online_only": room.online_only} if room else None
    )
    form = RoomForm(request.POST or None, initial=initial)
    done = submit_form(
        request,
        form,
        lambda: services.save_room(request.user, meeting, form.cleaned_data, room=room),
        success=lambda saved: _("Room “%(name)s” is saved.") % {"name": saved.name},
        then=lambda saved: _saved(request, meeting),
    )
    if done:
        return done
    template = "events/_room_form.html" if request.htmx else "events/room_form.html"
    context = {"meeting": meeting, "room": room, "form": form}
    return render(request, template, context, status=_form_status(request, form))


def room_delete(request: HttpRequest, slug: str, room_id: int) -> HttpResponse:
    meeting = _manage_meeting(request, slug)
    room = get_object_or_404(Room, meeting=meeting, pk=room_id)
    if request.method == "POST":
        try:
            services.delete_room(request.user, room)
        except services.EventsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Room “%(name)s” is removed.") % {"name": room.name})
        return _saved(request, meeting)
    return render(
        request,
        "events/confirm_delete.html",
        {
            "meeting": meeting,
            "what": room.name,
            "n_sessions": room.sessions.count(),
            "cancel_url": reverse("events:programme", args=[meeting.slug]),
        },
    )
