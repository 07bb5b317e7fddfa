"""Meeting pages (thin: parse, authorise, call a service, render)."""

from __future__ import annotations

import datetime
import hmac
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.http import LoginRequired, require_perm

from . import agenda as agenda_mod
from . import badges, exporters, places, services, tokens
from .forms import (
    DUPLICATE_EMAIL,
    CheckInForm,
    CloneForm,
    PublishForm,
    RegistrationForm,
    RoomForm,
    SessionForm,
)
from .models import ForumSignup, Meeting, Mode, Registration, RegistrationCategory, Room, Session
from .rules import represented_country_codes
from .tasks import join_url_for
from .templatetags.events_tags import zone_label

Status = Registration.Status


def _meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("host"), slug=slug)
    if not request.user.has_perm("events.view_meeting", meeting):
        raise Http404("no such meeting")
    return meeting


def _viewer_registration(request: HttpRequest, meeting: Meeting) -> Registration | None:
    """The signed-in viewer's own (non-cancelled) registration for this meeting."""
    if not request.user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("category")
        .filter(meeting=meeting, user=request.user)
        .exclude(status=Status.CANCELLED)
        .first()
    )


def _registration_for(
    request: HttpRequest, meeting: Meeting, public_id: uuid.UUID, key: str | None = None
) -> Registration:
    """A registration the viewer may see: by permission, or with the secret key from the e-mail."""
    reg = get_object_or_404(
        Registration.objects.select_related("category", "meeting"), meeting=meeting, public_id=public_id
    )
    key = key if key is not None else request.GET.get("key", "") or request.POST.get("key", "")
    if key and hmac.compare_digest(key, reg.secret):
        return reg
    if request.user.has_perm("events.view_registration", reg):
        return reg
    if not request.user.is_authenticated:
        raise LoginRequired()
    raise PermissionDenied("events.view_registration")


def _may_join_online(reg: Registration | None) -> bool:
    return reg is not None and reg.status == Status.APPROVED and reg.mode == Mode.ONLINE


# --- public pages --------------------------------------------------------------------------------


def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.select_related("host").annotate(
        n_registered=Count("registrations", filter=Q(registrations__status=Status.APPROVED))
    )
    if not request.user.has_perm("events.add_meeting"):
        meetings = meetings.exclude(status=Meeting.Status.DRAFT)
    return render(request, "events/meeting_list.html", {"meetings": meetings})


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
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
            "my_registration": _viewer_registration(request, meeting),
            "can_manage": request.user.has_perm("events.manage_meeting", meeting),
            "can_check_in": request.user.has_perm("events.check_in", meeting),
            "can_approve": request.user.has_perm("events.approve_list", meeting),
            "n_sessions": meeting.sessions.count(),
        },
    )


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    version = meeting.agenda_versions.order_by("-number").first()
    can_manage = request.user.has_perm("events.manage_meeting", meeting)
    my_reg = _viewer_registration(request, meeting)
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
            "show_online": _may_join_online(my_reg),
            "signed_up": signed_up,
            "viewer_differs": request.viewer_timezone != meeting.timezone,
            "venue_zone": zone_label(meeting.timezone, meeting_start),
            "viewer_zone": zone_label(request.viewer_timezone, meeting_start),
            "pending_changes": services.pending_agenda_changes(meeting) if can_manage else [],
            "publish_form": PublishForm() if can_manage else None,
        },
    )


def agenda_changes(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    versions = meeting.agenda_versions.select_related("published_by").defer("snapshot")
    return render(request, "events/agenda_changes.html", {"meeting": meeting, "versions": versions})


def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    sessions = agenda_mod.public_sessions(meeting) if meeting.agenda_versions.exists() else []
    response = HttpResponse(
        exporters.agenda_ics(meeting, sessions), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response


def agenda_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    sessions = list(agenda_mod.public_sessions(meeting)) if meeting.agenda_versions.exists() else []
    pdf = badges.agenda_pdf(meeting, agenda_mod.build_days(meeting, sessions))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{meeting.slug}-agenda.pdf"'
    return response


def participants(request: HttpRequest, slug: str) -> HttpResponse:
    """Approved participants who agreed to be listed (name, organisation, country only)."""
    meeting = _meeting(request, slug)
    regs = (
        Registration.objects.filter(meeting=meeting, status=Status.APPROVED, consent_list=True)
        .select_related("category")
        .only("name", "organisation_name", "country", "category__name", "category__colour")
        .order_by("name")
    )
    q = request.GET.get("q", "").strip()
    if q:
        regs = regs.filter(Q(name__icontains=q) | Q(organisation_name__icontains=q))
    page = Paginator(regs, 100).get_page(request.GET.get("page"))
    return render(request, "events/participants.html", {"meeting": meeting, "page": page, "q": q})


def badge_key(request: HttpRequest, slug: str) -> JsonResponse:
    """The public key that verifies this meeting's badges offline."""
    meeting = _meeting(request, slug)
    return JsonResponse(
        {
            "meeting_id": meeting.pk,
            "algorithm": "Ed25519",
            "format": "B1.<payload>.<signature>",
            "public_key": tokens.public_key_b64(),
        }
    )


# --- registration --------------------------------------------------------------------------------


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
    meeting = _meeting(request, slug)
    reg = _registration_for(request, meeting, public_id)
    forums = list(
        meeting.sessions.filter(signup_required=True)
        .select_related("room")
        .annotate(n_signed=Count("signups"))
        .order_by("starts_at", "title")
    )
    mine = set(reg.signups.values_list("session_id", flat=True))
    online_sessions = []
    if _may_join_online(reg):
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
    meeting = _meeting(request, slug)
    reg = _registration_for(request, meeting, public_id)
    join = join_url_for(reg) if _may_join_online(reg) else None
    body = exporters.personal_ics(reg, agenda_mod.public_sessions(meeting), join)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-{reg.public_id}.ics"'
    return response


def registration_badge(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, slug)
    reg = _registration_for(request, meeting, public_id)
    if reg.status != Status.APPROVED:
        raise PermissionDenied("badge for approved participants only")
    response = HttpResponse(badges.badges_pdf(meeting, [reg]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{reg.public_id}.pdf"'
    return response


@require_POST
def registration_signup(
    request: HttpRequest, slug: str, public_id: uuid.UUID, session_id: uuid.UUID
) -> HttpResponse:
    meeting = _meeting(request, slug)
    reg = _registration_for(request, meeting, public_id)
    session = get_object_or_404(Session, meeting=meeting, public_id=session_id)
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw(reg, session, actor=request.user)
            messages.success(request, _("You have left “%(title)s”.") % {"title": session.title})
        else:
            services.sign_up(reg, session, actor=request.user)
            messages.success(request, _("You are signed up for “%(title)s”.") % {"title": session.title})
    except services.EventsError as exc:
        messages.error(request, str(exc))
    return redirect(reg.get_absolute_url())


@require_POST
def registration_cancel(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, slug)
    reg = _registration_for(request, meeting, public_id)
    services.cancel(request.user, reg)
    messages.success(request, _("The registration is cancelled."))
    return redirect(reg.get_absolute_url())


@require_POST
def registration_decide(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, slug)
    reg = get_object_or_404(
        Registration.objects.select_related("category"), meeting=meeting, public_id=public_id
    )
    require_perm(request, "events.approve_registration", reg)
    try:
        services.decide(request.user, reg, request.POST.get("decision") == "approve")
        messages.success(request, _("Decision saved for %(name)s.") % {"name": reg.name})
    except services.EventsError as exc:
        messages.error(request, str(exc))
    target = request.POST.get("next", "")
    if not target.startswith("/"):
        target = reverse("events:approvals", args=[slug])
    return redirect(target)


@require_POST
def registration_mode(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    reg = get_object_or_404(Registration, meeting=meeting, public_id=public_id)
    try:
        services.set_mode(request.user, reg, request.POST.get("mode", ""))
    except services.EventsError as exc:
        messages.error(request, str(exc))
    return redirect(reg.get_absolute_url())


def join(request: HttpRequest, slug: str, session_id: uuid.UUID) -> HttpResponse:
    """Record online attendance, then send the participant to the session's online room."""
    meeting = _meeting(request, slug)
    session = get_object_or_404(Session, meeting=meeting, public_id=session_id)
    reg = None
    rid, key = request.GET.get("r", ""), request.GET.get("key", "")
    if rid:
        try:
            reg = _registration_for(request, meeting, uuid.UUID(rid), key=key)
        except ValueError:
            raise Http404("no such registration") from None
        # Only the participant's own visit counts as attendance: an organiser who may see the
        # registration can open its link (to check it works) without being counted as them.
        is_the_participant = bool(key and hmac.compare_digest(key, reg.secret)) or (
            reg.user_id is not None and reg.user_id == request.user.pk
        )
    else:
        reg = _viewer_registration(request, meeting)
        if reg is None and not request.user.is_authenticated:
            raise LoginRequired()
        is_the_participant = True
    if not _may_join_online(reg) or not session.online_url:
        raise PermissionDenied("online links are for approved online participants")
    if is_the_participant:
        services.record_online_visit(reg, session)
    response = redirect(session.online_url)
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- approvals (organisers and National Representatives) -------------------------------------


def approvals(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    require_perm(request, "events.approve_list", meeting)
    regs = (
        Registration.objects.filter(meeting=meeting, status__in=[Status.PENDING, Status.WAITLISTED])
        .select_related("category")
        .order_by("created_at")
    )
    if not request.user.has_perm("events.manage_meeting", meeting):
        regs = regs.filter(
            country__in=represented_country_codes(request.user),
            category__approval=RegistrationCategory.Approval.NATIONAL_REPRESENTATIVE,
        )
    page = Paginator(regs, 50).get_page(request.GET.get("page"))
    return render(request, "events/approvals.html", {"meeting": meeting, "page": page})


# --- organisers --------------------------------------------------------------------------------


def manage(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    by_category = meeting.categories.annotate(
        **{s: Count("registrations", filter=Q(registrations__status=s)) for s in Status.values},
        online=Count(
            "registrations", filter=Q(registrations__status=Status.APPROVED, registrations__mode=Mode.ONLINE)
        ),
    )
    forums = meeting.sessions.filter(signup_required=True).select_related("room").annotate(n=Count("signups"))
    return render(
        request,
        "events/manage.html",
        {
            "meeting": meeting,
            "categories": by_category,
            "forums": forums,
            "pending_changes": services.pending_agenda_changes(meeting),
            "publish_form": PublishForm(),
            "counts": services.attendance_counts(meeting),
        },
    )


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        version = services.publish_agenda(request.user, meeting, note)
        messages.success(request, _("Agenda version %(n)s published.") % {"n": version.number})
    except services.EventsError as exc:
        messages.error(request, str(exc))
    return redirect("events:agenda_changes", slug=slug)


def _participant_queryset(request: HttpRequest, meeting: Meeting):
    regs = Registration.objects.filter(meeting=meeting).select_related("category").order_by("name", "id")
    q = request.GET.get("q", "").strip()
    if q:
        regs = regs.filter(Q(name__icontains=q) | Q(organisation_name__icontains=q) | Q(email__icontains=q))
    for param, field in (
        ("status", "status"),
        ("category", "category__code"),
        ("mode", "mode"),
        ("country", "country"),
    ):
        value = request.GET.get(param, "")
        if value:
            regs = regs.filter(**{field: value})
    return regs


def manage_participants(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    regs = _participant_queryset(request, meeting).annotate(n_checkins=Count("check_ins"))
    page = Paginator(regs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "events/manage_participants.html",
        {
            "meeting": meeting,
            "page": page,
            "categories": meeting.categories.all(),
            "statuses": Status.choices,
            "modes": Mode.choices,
            "filters": request.GET,
        },
    )


def export_participants(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    if fmt not in ("csv", "xlsx"):
        raise Http404("csv or xlsx")
    dataset = exporters.participants_dataset(_participant_queryset(request, meeting))
    if fmt == "xlsx":
        body = dataset.xlsx
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = dataset.csv.encode("utf-8-sig")
        ctype = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-participants.{fmt}"'
    return response


def badges_batch(request: HttpRequest, slug: str) -> HttpResponse:
    """Badges for approved in-person participants (filtered like the list), 100 per PDF (?page=)."""
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    regs = _participant_queryset(request, meeting).filter(status=Status.APPROVED, mode=Mode.IN_PERSON)
    page = Paginator(regs.select_related("meeting"), badges.BADGES_PER_PDF).get_page(request.GET.get("page"))
    response = HttpResponse(badges.badges_pdf(meeting, page.object_list), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{meeting.slug}-badges-{page.number}.pdf"'
    return response


def clone(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    require_perm(request, "events.add_meeting")
    next_year = meeting.start_date.replace(year=meeting.start_date.year + 1)
    form = CloneForm(
        request.POST or None,
        initial={
            "title": meeting.title,
            "slug": f"{meeting.slug}-copy",
            "start_date": next_year,
            "parts": ["rooms", "categories", "sessions"],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.clone_meeting(
                request.user,
                meeting,
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
                parts=form.cleaned_data["parts"],
            )
        except services.EventsError as exc:
            form.add_error("slug", str(exc))
        else:
            messages.success(request, _("Meeting copied as a draft."))
            return redirect(copy)
    return render(request, "events/clone.html", {"meeting": meeting, "form": form})


# --- check-in ----------------------------------------------------------------------------------


def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    require_perm(request, "events.check_in", meeting)
    result = None
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        rid = request.POST.get("registration", "")
        if rid:
            try:
                reg = services.find_registration_by_key(meeting, uuid.UUID(rid))
            except ValueError:
                reg = None
            result = services.check_in(request.user, meeting, registration=reg)
        elif form.is_valid() and form.cleaned_data["token"]:
            result = services.check_in(request.user, meeting, token=form.cleaned_data["token"])
        elif not form.is_valid():  # e.g. far too long to be a badge code
            result = services.check_in(request.user, meeting, token="")
        form = CheckInForm()
    q = request.GET.get("q", "").strip()
    found = []
    if q and len(q) >= 2:
        found = list(
            Registration.objects.filter(meeting=meeting)
            .filter(Q(name__icontains=q) | Q(organisation_name__icontains=q) | Q(email__iexact=q))
            .select_related("category")
            .annotate(n_checkins=Count("check_ins"))
            .order_by("name")[:20]
        )
    return render(
        request,
        "events/check_in.html",
        {
            "meeting": meeting,
            "form": form,
            "result": result,
            "q": q,
            "found": found,
            "counts": services.attendance_counts(meeting),
        },
        status=200,
    )


def attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """Live counts (polled by htmx on the check-in and organiser pages)."""
    meeting = _meeting(request, slug)
    require_perm(request, "events.check_in", meeting)
    counts = services.attendance_counts(meeting)
    if request.GET.get("format") == "json":
        return JsonResponse({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in counts.items()})
    return render(request, "events/_attendance.html", {"meeting": meeting, "counts": counts})


# --- programme editing (organisers) -------------------------------------------------------------


def _manage_meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = _meeting(request, slug)
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


def _refused_status(request: HttpRequest) -> int:
    # htmx (2.x) swaps only 2xx answers in: the form with its errors comes back as 200 to htmx,
    # as 400 to a plain form post.
    return 200 if request.htmx else 400


def _refused(form, exc: services.EventsError | ValidationError) -> None:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


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
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved, warnings = services.save_session(
                    request.user, meeting, form.session_values(), form.people(), session=session
                )
            except (services.EventsError, ValidationError) as exc:
                _refused(form, exc)
            else:
                messages.success(
                    request,
                    _("“%(title)s” is saved. Publish the agenda when the programme is ready.")
                    % {"title": saved.title},
                )
                for warning in warnings:
                    messages.warning(request, warning)
                return _saved(request, meeting)
        status = _refused_status(request)
    template = "events/_session_form.html" if request.htmx else "events/session_form.html"
    return render(request, template, {"meeting": meeting, "session": session, "form": form}, status=status)


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
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_room(request.user, meeting, form.cleaned_data, room=room)
            except (services.EventsError, ValidationError) as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Room “%(name)s” is saved.") % {"name": saved.name})
                return _saved(request, meeting)
        status = _refused_status(request)
    template = "events/_room_form.html" if request.htmx else "events/room_form.html"
    return render(request, template, {"meeting": meeting, "room": room, "form": form}, status=status)


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
