"""The public side of a meeting: the list, its page, the agenda (page, changes, .ics, PDF), the
participants who agreed to be listed, and the key that verifies its badges."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from .. import agenda as agenda_mod
from .. import badges, exporters, services, tokens
from ..forms import PublishForm
from ..models import ForumSignup, Meeting, Registration
from ..templatetags.events_tags import zone_label
from .helpers import Status, may_join_online, meeting_or_404, viewer_registration


def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.select_related("host").annotate(
        n_registered=Count("registrations", filter=Q(registrations__status=Status.APPROVED))
    )
    if not request.user.has_perm("events.add_meeting"):
        meetings = meetings.exclude(status=Meeting.Status.DRAFT)
    # Upcoming and running meetings first, the soonest on top; then past ones, the latest on top.
    today = timezone.localdate()
    upcoming = list(meetings.filter(end_date__gte=today).order_by("start_date", "title"))
    past = list(meetings.filter(end_date__lt=today).order_by("-start_date", "title"))
    return render(request, "events/meeting_list.html", {"upcoming": upcoming, "past": past})


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    categories = list(
        meeting.categories.filter(is_public=True).annotate(
            n_taken=Count("registrations", filter=Q(registrations__status__in=Registration.HOLDS_PLACE))
        )
    )
    for cat in categories:
        cat.is_full = cat.capacity is not None and cat.n_taken >= cat.capacity
    return render(
        request,
        "events/meeting_detail.html",
        {
            "meeting": meeting,
            "categories": categories,
            "co_chairs": list(meeting.co_chairs.all()),
            "rooms": list(meeting.rooms.all()),
            "my_registration": viewer_registration(request, meeting),
            "can_manage": request.user.has_perm("events.manage_meeting", meeting),
            "can_check_in": request.user.has_perm("events.check_in", meeting),
            "can_approve": request.user.has_perm("events.approve_list", meeting),
            "n_sessions": meeting.sessions.count(),
        },
    )


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    version = meeting.agenda_versions.order_by("-number").first()
    can_manage = request.user.has_perm("events.manage_meeting", meeting)
    my_reg = viewer_registration(request, meeting)
    sessions = list(agenda_mod.public_sessions(meeting)) if (version or can_manage) else []
    meeting_start = datetime.datetime.combine(meeting.start_date, datetime.time(12), tzinfo=meeting.tz)
    signed_up = set()
    if my_reg:
        signed_up = set(ForumSignup.objects.filter(registration=my_reg).values_list("session_id", flat=True))
    return render(
        request,
        "events/agenda.html",
        {
            "meeting": meeting,
            "days": agenda_mod.build_days(meeting, sessions, request.viewer_timezone),
            "version": version,
            "can_manage": can_manage,
            "my_registration": my_reg,
            "show_online": may_join_online(my_reg),
            "signed_up": signed_up,
            "viewer_differs": request.viewer_timezone != meeting.timezone,
            "venue_zone": zone_label(meeting.timezone, meeting_start),
            "viewer_zone": zone_label(request.viewer_timezone, meeting_start),
            "pending_changes": services.pending_agenda_changes(meeting) if can_manage else [],
            "publish_form": PublishForm() if can_manage else None,
        },
    )


def agenda_changes(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    versions = meeting.agenda_versions.select_related("published_by").defer("snapshot")
    return render(request, "events/agenda_changes.html", {"meeting": meeting, "versions": versions})


def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    published = meeting.agenda_versions.exists()
    sessions = agenda_mod.public_sessions(meeting) if published else []
    sequences = agenda_mod.session_sequences(meeting) if published else {}
    response = HttpResponse(
        exporters.agenda_ics(meeting, sessions, sequences), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response


def agenda_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
    sessions = list(agenda_mod.public_sessions(meeting)) if meeting.agenda_versions.exists() else []
    pdf = badges.agenda_pdf(meeting, agenda_mod.build_days(meeting, sessions))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{meeting.slug}-agenda.pdf"'
    return response


def participants(request: HttpRequest, slug: str) -> HttpResponse:
    """Approved participants who agreed to be listed (name, organisation, country only)."""
    meeting = meeting_or_404(request, slug)
    regs = (
        Registration.objects.filter(meeting=meeting, status=Status.APPROVED, consent_list=True)
        .select_related("category")
        .only(
            "name",
            "organisation_name",
            "country",
            "category__name",
            "category__translations",
            "category__colour",
        )
        .order_by("name")
    )
    q = request.GET.get("q", "").strip()
    if q:
        regs = regs.filter(Q(name__icontains=q) | Q(organisation_name__icontains=q))
    page = Paginator(regs, 100).get_page(request.GET.get("page"))
    return render(request, "events/participants.html", {"meeting": meeting, "page": page, "q": q})


def badge_key(request: HttpRequest, slug: str) -> JsonResponse:
    """The public key that verifies this meeting's badges offline."""
    meeting = meeting_or_404(request, slug)
    return JsonResponse(
        {
            "meeting_id": meeting.pk,
            "algorithm": "Ed25519",
            "format": "B1.<payload>.<signature>",
            "public_key": tokens.public_key_b64(),
        }
    )
