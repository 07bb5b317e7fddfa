"""Every public commitment as open data."""

from __future__ import annotations

import csv

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ..models import Commitment
from .helpers import COMMITMENT_RELATED


def commitments_csv(request: HttpRequest) -> HttpResponse:
    """Every public commitment as open data (CSV, UTF-8 with a byte-order mark for spreadsheets)."""
    today = timezone.localdate()
    rows = (
        Commitment.objects.filter(recommendation__document__published=True)
        .select_related(*COMMITMENT_RELATED, "recommendation__document__meeting")
        .annotate(last_update=Max("updates__created_at"))
        .order_by("recommendation__document__adopted_on", "recommendation__number", "due_date", "id")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ascn-commitments.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "meeting",
            "meeting_year",
            "recommendation_number",
            "recommendation",
            "party_kind",
            "party",
            "country",
            "commitment",
            "due_date",
            "status",
            "overdue",
            "progress_percent",
            "last_update",
            "url",
        ]
    )
    for c in rows:
        country = (
            c.member_state.code
            if c.member_state_id
            else (c.city.country.code if c.city_id else c.organisation.country)
        )
        writer.writerow(
            [
                c.public_id,
                c.recommendation.document.meeting.title,
                c.recommendation.document.year,
                c.recommendation.number,
                c.recommendation.title,
                c.party_kind,
                str(c.party),
                country,
                c.description,
                c.due_date.isoformat(),
                c.status,
                "yes" if c.is_overdue(today) else "no",
                c.progress,
                c.last_update.date().isoformat() if c.last_update else "",
                request.build_absolute_uri(c.get_absolute_url()),
            ]
        )
    return response
