"""The published schedule to print and share: CSV and XLSX per participant and per table, and PDFs
(WeasyPrint with the Noto fonts, as the badges): a sign for each table with its day of meetings,
and a personal schedule for each participant. Times are in the meeting's time zone.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .errors import MatchmakingError
from .models import Profile, ScheduledMeeting, Setup

PARTICIPANT_COLUMNS = [
    "participant",
    "organisation",
    "country",
    "date",
    "start",
    "end",
    "table or room",
    "meets",
    "their organisation",
    "their country",
]
TABLE_COLUMNS = [
    "table or room",
    "date",
    "start",
    "end",
    "side A",
    "organisation A",
    "country A",
    "side B",
    "organisation B",
    "country B",
]


@dataclass
class Line:
    meeting: ScheduledMeeting
    date: str
    start: str
    end: str


def _org(p: Profile) -> str:
    return p.organisation.name if p.organisation else ""


def _safe(value: Any) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: keep it text.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def published_meetings(setup: Setup) -> list[Line]:
    """The published schedule's meetings (not cancelled), in time order, with local times."""
    if setup.published_run_id is None:
        raise MatchmakingError("not_published", _("Nothing is published yet: publish a schedule first."))
    tz = zoneinfo.ZoneInfo(setup.meeting.timezone)
    rows = (
        ScheduledMeeting.objects.filter(run_id=setup.published_run_id)
        .exclude(status=ScheduledMeeting.Status.CANCELLED)
        .select_related(
            "slot", "location", "request__requester__organisation", "request__recipient__organisation"
        )
        .order_by("slot__starts_at", "location__kind", "location__code")
    )
    out = []
    for m in rows:
        start, end = m.slot.starts_at.astimezone(tz), m.slot.ends_at.astimezone(tz)
        out.append(Line(m, f"{start:%Y-%m-%d}", f"{start:%H:%M}", f"{end:%H:%M}"))
    return out


def participant_rows(lines: list[Line]) -> list[list[str]]:
    rows = []
    for line in lines:
        r = line.meeting.request
        for me, other in ((r.requester, r.recipient), (r.recipient, r.requester)):
            rows.append(
                [
                    me.name,
                    _org(me),
                    me.country,
                    line.date,
                    line.start,
                    line.end,
                    str(line.meeting.location),
                    other.name,
                    _org(other),
                    other.country,
                ]
            )
    rows.sort(key=lambda row: (row[0].casefold(), row[3], row[4]))
    return rows


def table_rows(lines: list[Line]) -> list[list[str]]:
    rows = []
    for line in lines:
        a, b = line.meeting.request.requester, line.meeting.request.recipient
        rows.append(
            [
                str(line.meeting.location),
                line.date,
                line.start,
                line.end,
                a.name,
                _org(a),
                a.country,
                b.name,
                _org(b),
                b.country,
            ]
        )
    return rows


def to_csv(columns: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Thai and Japanese names right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(setup: Setup, lines: list[Line]) -> bytes:
    """One workbook, two sheets: by participant and by table."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "By participant"
    for title, columns, rows in (
        ("By participant", PARTICIPANT_COLUMNS, participant_rows(lines)),
        ("By table", TABLE_COLUMNS, table_rows(lines)),
    ):
        if sheet.title != title:
            sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def table_signs_pdf(setup: Setup, lines: list[Line]) -> bytes:
    """A sign per table or video room: its day of meetings, the names, organisations, countries."""
    by_location: dict[Any, list[Line]] = defaultdict(list)
    for line in lines:
        by_location[line.meeting.location].append(line)
    signs = [
        {"location": loc, "lines": by_location[loc]}
        for loc in sorted(by_location, key=lambda loc: (loc.kind, loc.code))
    ]
    html = render_to_string("matchmaking/pdf/table_signs.html", {"meeting": setup.meeting, "signs": signs})
    return _pdf(html)


def personal_pdf(setup: Setup, lines: list[Line], profile: Profile | None = None) -> bytes:
    """A personal schedule per participant (or for one): when, where, whom they meet."""
    by_profile: dict[int, dict[str, Any]] = {}
    for line in lines:
        r = line.meeting.request
        for me, other in ((r.requester, r.recipient), (r.recipient, r.requester)):
            if profile is not None and me.pk != profile.pk:
                continue
            entry = by_profile.setdefault(me.pk, {"profile": me, "lines": []})
            entry["lines"].append({"line": line, "other": other})
    people = sorted(by_profile.values(), key=lambda e: e["profile"].name.casefold())
    html = render_to_string("matchmaking/pdf/personal.html", {"meeting": setup.meeting, "people": people})
    return _pdf(html)
