"""Lead exports with the contact details each side agreed to share (CSV and XLSX)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from ascnhub.common.http import require_perm

from .. import contacts
from ..models import Lead
from .helpers import require_profile, setup_of


def _download(rows, fmt: str, headers: list[str], filename: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("csv or xlsx")
    body, ctype = contacts.export(rows, fmt, headers)
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def organiser_leads_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every lead of the meeting, both sides with their shared contact details (organisers only)."""
    setup = setup_of(slug)
    require_perm(request, "matchmaking.organise", setup)
    leads = Lead.objects.filter(meeting__run__setup=setup).select_related(
        "city",
        "organisation",
        "meeting__slot",
        "meeting__request__requester__owner",
        "meeting__request__recipient__owner",
    )
    return _download(contacts.lead_rows(leads), fmt, contacts.lead_headers(False), f"{slug}-leads")


def my_leads_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The participant's own leads: the people they met, with what those people agreed to share."""
    setup = setup_of(slug)
    mine = require_profile(request, setup)
    rows = contacts.lead_rows(contacts.leads_of_profile(mine), viewer=mine)
    return _download(rows, fmt, contacts.lead_headers(True), f"{slug}-my-leads")
