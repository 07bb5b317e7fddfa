"""The published schedule as files for the organisers: CSV, XLSX, table signs and personal schedules."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from ascnhub.common.http import require_perm

from .. import exports_schedule as ex
from ..errors import MatchmakingError
from ..models import Profile
from .helpers import setup_of

KINDS = {
    "participants.csv": "text/csv; charset=utf-8",
    "tables.csv": "text/csv; charset=utf-8",
    "schedule.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "table-signs.pdf": "application/pdf",
    "personal-schedules.pdf": "application/pdf",
}


def schedule_export(request: HttpRequest, slug: str, what: str) -> HttpResponse:
    setup = setup_of(slug)
    require_perm(request, "matchmaking.organise", setup)
    if what not in KINDS:
        raise Http404("unknown export")
    try:
        lines = ex.published_meetings(setup)
    except MatchmakingError as exc:
        messages.error(request, exc.message)
        return redirect("matchmaking:organise", slug)
    if what == "participants.csv":
        body = ex.to_csv(ex.PARTICIPANT_COLUMNS, ex.participant_rows(lines))
    elif what == "tables.csv":
        body = ex.to_csv(ex.TABLE_COLUMNS, ex.table_rows(lines))
    elif what == "schedule.xlsx":
        body = ex.to_xlsx(setup, lines)
    elif what == "table-signs.pdf":
        body = ex.table_signs_pdf(setup, lines)
    else:  # every participant, or one: ?profile=<its public id>
        profile = None
        if request.GET.get("profile"):
            profile = get_object_or_404(Profile, setup=setup, public_id=request.GET["profile"])
        body = ex.personal_pdf(setup, lines, profile)
    response = HttpResponse(body, content_type=KINDS[what])
    response["Content-Disposition"] = f'attachment; filename="{slug}-matchmaking-{what}"'
    return response
