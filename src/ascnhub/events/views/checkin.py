"""Check-in at the venue (badge scan or name search) and the live attendance counts."""

from __future__ import annotations

import uuid

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ascnhub.common.http import require_perm

from .. import services
from ..forms import CheckInForm
from ..models import Registration
from .helpers import meeting_or_404


def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = meeting_or_404(request, slug)
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
    meeting = meeting_or_404(request, slug)
    require_perm(request, "events.check_in", meeting)
    counts = services.attendance_counts(meeting)
    if request.GET.get("format") == "json":
        return JsonResponse({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in counts.items()})
    return render(request, "events/_attendance.html", {"meeting": meeting, "counts": counts})
