"""The organisers' pages: approvals, the overview, publishing the agenda, the participant list
and its exports, badges in batches, copying a meeting for next year."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascnhub.common.forms import submit_form
from ascnhub.common.http import require_perm

from .. import badges, exporters, services
from ..forms import CloneForm, PublishForm
from ..models import Meeting, Mode, Registration, RegistrationCategory
from ..rules import represented_country_codes
from .helpers import Status, meeting_or_404


def approvals(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
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
    if request.method == "POST":  # approve the ticked ones at once, from those this user may decide
        chosen = list(regs.filter(public_id__in=_uuids(request.POST.getlist("selected"))))
        chosen = [r for r in chosen if request.user.has_perm("events.approve_registration", r)]
        if not chosen:
            messages.error(request, _("Tick the registrations to approve first."))
        else:
            approved, refused = services.approve_many(request.user, chosen)
            if approved:
                messages.success(
                    request, _("Approved: %(names)s.") % {"names": ", ".join(r.name for r in approved)}
                )
            for line in refused:
                messages.error(request, line)
        return redirect(request.get_full_path())
    page = Paginator(regs, 50).get_page(request.GET.get("page"))
    return render(request, "events/approvals.html", {"meeting": meeting, "page": page})


def manage(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
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
    meeting = meeting_or_404(request, slug)
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
    meeting = meeting_or_404(request, slug)
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
    meeting = meeting_or_404(request, slug)
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
    meeting = meeting_or_404(request, slug)
    require_perm(request, "events.manage_meeting", meeting)
    regs = _participant_queryset(request, meeting).filter(status=Status.APPROVED, mode=Mode.IN_PERSON)
    page = Paginator(regs.select_related("meeting"), badges.BADGES_PER_PDF).get_page(request.GET.get("page"))
    response = HttpResponse(badges.badges_pdf(meeting, page.object_list), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{meeting.slug}-badges-{page.number}.pdf"'
    return response


def clone(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
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

    def save() -> Meeting:
        try:
            return services.clone_meeting(
                request.user,
                meeting,
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
                parts=form.cleaned_data["parts"],
            )
        except services.EventsError as exc:  # the one refusal: the address is taken
            raise ValidationError({"slug": str(exc)}) from exc

    if done := submit_form(request, form, save, success=_("Meeting copied as a draft.")):
        return done
    return render(request, "events/clone.html", {"meeting": meeting, "form": form})


def _uuids(values: list[str]) -> list[uuid.UUID]:
    """The well-formed ids among those posted (a tampered one is ignored, not an error page)."""
    ids = []
    for value in values:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    return ids
