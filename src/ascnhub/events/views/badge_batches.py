"""The organisers' badge print queue: batches per category or for a pasted list, reprints with a reason.

Thin views over `printing` (services) and `badges` (PDF). Organisers and the secretariat only.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ascnhub.common.http import require_perm

from .. import badges, printing
from ..models import BadgeBatch, Meeting
from ..services import EventsError


def _managed(request: HttpRequest, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting, slug=slug)
    if not request.user.has_perm("events.view_meeting", meeting):
        raise Http404("no such meeting")
    require_perm(request, "events.manage_meeting", meeting)
    return meeting


def print_queue(request: HttpRequest, slug: str) -> HttpResponse:
    """What is printed and what is not, per category; make a batch for a category or a list."""
    meeting = _managed(request, slug)
    errors: dict[str, str] = {}
    values = {"people": "", "reprint_reason": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            code = request.POST.get("category", "")
            if code:
                category = get_object_or_404(meeting.categories, code=code)
                regs = list(printing.unprinted(meeting, category).select_related("category"))
                description = _("Not yet printed: %(category)s") % {"category": category.name}
            else:
                regs = printing.find_listed(meeting, values["people"].splitlines())
                description = _("Chosen list (%(n)d)") % {"n": len(regs)}
            batch = printing.make_batch(request.user, meeting, regs, description, values["reprint_reason"])
        except EventsError as exc:
            errors[exc.field or "people"] = str(exc)
        else:
            messages.success(request, _("Batch recorded: %(n)d badges.") % {"n": len(regs)})
            return redirect(reverse("events:badge_queue", args=[meeting.slug]) + f"#batch-{batch.public_id}")
    context = {
        "meeting": meeting,
        "categories": printing.category_figures(meeting),
        "batches": meeting.badge_batches.select_related("by").prefetch_related("prints")[:50],
        "errors": errors,
        "values": values,
    }
    return render(request, "events/badge_queue.html", context, status=400 if errors else 200)


def batch_pdf(request: HttpRequest, slug: str, batch_id: uuid.UUID) -> HttpResponse:
    """A recorded batch as A4 sheets; downloading it again records no new print."""
    meeting = _managed(request, slug)
    batch = get_object_or_404(BadgeBatch, meeting=meeting, public_id=batch_id)
    pdf = badges.badge_sheets_pdf(meeting, batch, printing.batch_registrations(batch))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{meeting.slug}-badges-{batch.created_at:%Y%m%d-%H%M}.pdf"'
    )
    return response
