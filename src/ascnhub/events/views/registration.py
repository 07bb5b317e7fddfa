"""A participant's registration: registering, its page, calendar and badge, forum sign-ups,
cancelling, the organiser's or National Representative's decision, joining a session online."""

from __future__ import annotations

import hmac
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.errors import DomainError
from ascnhub.common.http import LoginRequired, require_perm

from .. import agenda as agenda_mod
from .. import badges, exporters, places, services
from ..forms import DUPLICATE_EMAIL, RegistrationForm
from ..models import Mode, Registration, Session
from ..tasks import join_url_for
from .helpers import Status, may_join_online, meeting_or_404, registration_for, viewer_registration


def register(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    # This page takes the load when registration opens: the lookup is one precompiled read.
    category = places.public_category(slug, code)
    if category is None:
        raise Http404("no such registration category")
    meeting = category.meeting
    if not request.user.has_perm("events.view_meeting", meeting):
        raise Http404("no such meeting")
    if not meeting.is_open:
        messages.error(request, _("Registration for this meeting is closed."))
        return redirect(meeting)
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    initial = {"timezone": request.viewer_timezone, "language": get_language() or "en"}
    if request.user.is_authenticated:
        initial["email"] = request.user.email
    if person is not None:
        initial.update(
            name=person.name,
            job_title=person.title,
            timezone=person.timezone,
            language=person.preferred_language,
        )
        if person.organisation_id:
            initial.update(organisation_name=person.organisation.name, country=person.organisation.country)
    form = RegistrationForm(request.POST or None, initial=initial, meeting=meeting, category=category)
    if request.method == "POST":
        if form.is_valid():
            try:
                reg, _created = services.register(
                    meeting,
                    category,
                    form.registration_data(),
                    user=request.user,
                    submission_key=form.cleaned_data["submission_key"],
                )
            except services.EventsError as exc:
                form.add_error(
                    "email" if exc.code == "duplicate_email" else None,
                    DUPLICATE_EMAIL if exc.code == "duplicate_email" else str(exc),
                )
            else:
                messages.success(
                    request,
                    _("Thank you: your registration is %(status)s. We have sent you an e-mail.")
                    % {"status": reg.get_status_display()},
                )
                return redirect(reg.get_absolute_url())
        key = request.POST.get("submission_key", "")
        earlier = Registration.objects.filter(submission_key=key, meeting=meeting).first() if key else None
        if earlier is not None:  # a double click: the first submission already registered
            return redirect(earlier.get_absolute_url())
    return render(
        request,
        "events/register.html",
        {"meeting": meeting, "category": category, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def registration_detail(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    reg = registration_for(request, meeting, public_id)
    forums = list(
        meeting.sessions.filter(signup_required=True)
        .select_related("room")
        .annotate(n_signed=Count("signups"))
        .order_by("starts_at", "title")
    )
    mine = set(reg.signups.values_list("session_id", flat=True))
    online_sessions = []
    if may_join_online(reg):
        online_sessions = list(meeting.sessions.exclude(online_url="").order_by("starts_at"))
    return render(
        request,
        "events/registration.html",
        {
            "meeting": meeting,
            "reg": reg,
            "forums": forums,
            "mine": mine,
            "online_sessions": online_sessions,
            "key": reg.secret,
            "can_manage": request.user.has_perm("events.manage_meeting", meeting),
            "can_decide": request.user.has_perm("events.approve_registration", reg),
            "may_badge": reg.status == Status.APPROVED and reg.mode == Mode.IN_PERSON,
            "modes": Mode.choices,
        },
    )


def registration_ics(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    reg = registration_for(request, meeting, public_id)
    join = join_url_for(reg) if may_join_online(reg) else None
    body = exporters.personal_ics(reg, agenda_mod.public_sessions(meeting), join)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-{reg.public_id}.ics"'
    return response


def registration_badge(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    reg = registration_for(request, meeting, public_id)
    if reg.status != Status.APPROVED:
        raise PermissionDenied("badge for approved participants only")
    response = HttpResponse(badges.badges_pdf(meeting, [reg]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{reg.public_id}.pdf"'
    return response


@require_POST
def registration_signup(
    request: HttpRequest, slug: str, public_id: uuid.UUID, session_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    reg = registration_for(request, meeting, public_id)
    session = get_object_or_404(Session, meeting=meeting, public_id=session_id)
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw(reg, session, actor=request.user)
            messages.success(request, _("You have left “%(title)s”.") % {"title": session.title})
        else:
            services.sign_up(reg, session, actor=request.user)
            messages.success(request, _("You are signed up for “%(title)s”.") % {"title": session.title})
    except DomainError as exc:  # ours, or a clash another app names (a published 1:1)
        messages.error(request, str(exc))
    return redirect(reg.get_absolute_url())


@require_POST
def registration_cancel(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    reg = registration_for(request, meeting, public_id)
    services.cancel(request.user, reg)
    messages.success(request, _("The registration is cancelled."))
    return redirect(reg.get_absolute_url())


@require_POST
def registration_decide(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    reg = get_object_or_404(
        Registration.objects.select_related("category"), meeting=meeting, public_id=public_id
    )
    require_perm(request, "events.approve_registration", reg)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide(request.user, reg, approve, reason=request.POST.get("reason", ""))
        if approve:
            messages.success(request, _("Approved: %(name)s.") % {"name": reg.name})
        else:
            messages.success(request, _("Declined: %(name)s.") % {"name": reg.name})
    except services.EventsError as exc:
        messages.error(request, str(exc))
    target = request.POST.get("next", "")
    if not target.startswith("/"):
        target = reverse("events:approvals", args=[slug])
    return redirect(target)


@require_POST
def registration_mode(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    reg = get_object_or_404(Registration, meeting=meeting, public_id=public_id)
    try:
        services.set_mode(request.user, reg, request.POST.get("mode", ""))
    except services.EventsError as exc:
        messages.error(request, str(exc))
    return redirect(reg.get_absolute_url())


def join(request: HttpRequest, slug: str, session_id: uuid.UUID) -> HttpResponse:
    """Record online attendance, then send the participant to the session's online room."""
    meeting = meeting_or_404(request, slug)
    session = get_object_or_404(Session, meeting=meeting, public_id=session_id)
    reg = None
    rid, key = request.GET.get("r", ""), request.GET.get("key", "")
    if rid:
        try:
            reg = registration_for(request, meeting, uuid.UUID(rid), key=key)
        except ValueError:
            raise Http404("no such registration") from None
        # Only the participant's own visit counts as attendance: an organiser who may see the
        # registration can open its link (to check it works) without being counted as them.
        is_the_participant = bool(key and hmac.compare_digest(key, reg.secret)) or (
            reg.user_id is not None and reg.user_id == request.user.pk
        )
    else:
        reg = viewer_registration(request, meeting)
        if reg is None and not request.user.is_authenticated:
            raise LoginRequired()
        is_the_participant = True
    if not may_join_online(reg) or not session.online_url:
        raise PermissionDenied("online links are for approved online participants")
    if is_the_participant:
        services.record_online_visit(reg, session)
    response = redirect(session.online_url)
    response["Referrer-Policy"] = "no-referrer"
    return response
