"""Contact details after acceptance, by consent.

In their profile, participants choose what the other side of an accepted meeting may see: their
e-mail, phone, position and a messaging handle. Nothing is shown before a request between the two
is accepted, nothing is shown to anyone else, and lead exports carry only what was shared.

    shared_details(profile)             -> the details the profile agreed to share (label -> value)
    may_see_contacts(viewer, other)     -> whether an accepted meeting links the two profiles
    contacts_for(user, setup, other)    -> the other's shared details for this user, or None
    lead_rows(leads, viewer=None)       -> rows for the lead exports (consenting contacts only)
    export(rows, fmt)                   -> (bytes, content type) as CSV or XLSX
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tablib
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Lead, MeetingRequest, Profile, ScheduledMeeting, Setup

FIELDS = ("email", "phone", "position", "handle")


def shared_details(profile: Profile) -> dict[str, str]:
    """What the profile agreed to share (empty values left out), keyed email/phone/position/handle."""
    values = {
        "email": profile.owner.email if profile.share_email else "",
        "phone": profile.contact_phone if profile.share_phone else "",
        "position": profile.owner.job_title if profile.share_position else "",
        "handle": profile.contact_handle if profile.share_handle else "",
    }
    return {key: value for key, value in values.items() if value}


def may_see_contacts(viewer: Profile, other: Profile) -> bool:
    """True when a request between the two is accepted, or a meeting between them was held."""
    if viewer.pk == other.pk:
        return False
    low, high = sorted([viewer.pk, other.pk])
    pair = MeetingRequest.objects.filter(setup_id=viewer.setup_id, pair_low=low, pair_high=high)
    return (
        pair.filter(status=MeetingRequest.Status.ACCEPTED).exists()
        or ScheduledMeeting.objects.filter(request__in=pair, status=ScheduledMeeting.Status.HELD).exists()
    )


def contacts_for(user: Any, setup: Setup, other: Profile) -> dict[str, str] | None:
    """The other profile's shared details as `user` may see them; None when they may not."""
    from .services import profiles_of_user

    for mine in profiles_of_user(user, setup):
        if may_see_contacts(mine, other):
            return shared_details(other)
    return None


def _sides(lead: Lead) -> tuple[Profile, Profile]:
    return lead.meeting.request.requester, lead.meeting.request.recipient


def lead_rows(leads: Iterable[Lead], viewer: Profile | None = None) -> list[dict[str, str]]:
    """One row per lead: its status, city, organisation and both sides with their *shared* contact
    details (a side that shared nothing has empty columns). With `viewer`, only the other side is
    listed: a participant's own export of the people they met."""
    rows = []
    for lead in leads:
        a, b = _sides(lead)
        sides = [b if viewer and a.pk == viewer.pk else a] if viewer else [a, b]
        row = {
            "status": lead.get_status_display(),
            "meeting_date": lead.meeting.slot.starts_at.date().isoformat(),
            "city": lead.city.name if lead.city else "",
            "organisation": lead.organisation.name if lead.organisation else "",
        }
        for n, side in enumerate(sides, start=1):
            prefix = "contact" if viewer else f"side_{n}"
            details = shared_details(side)
            row[f"{prefix}_name"] = side.name
            for key in FIELDS:
                row[f"{prefix}_{key}"] = details.get(key, "")
        rows.append(row)
    return rows


def export(rows: list[dict[str, str]], fmt: str, headers: list[str]) -> tuple[bytes, str]:
    """The rows as CSV (UTF-8 with BOM, so spreadsheet programs read Thai and Japanese) or XLSX."""
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append([row.get(h, "") for h in headers])
    if fmt == "xlsx":
        return data.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if fmt == "csv":
        return data.csv.encode("utf-8-sig"), "text/csv; charset=utf-8"
    raise ValueError(_("Unknown export format: %(fmt)s") % {"fmt": fmt})


def lead_headers(personal: bool) -> list[str]:
    base = ["status", "meeting_date", "city", "organisation"]
    prefixes = ["contact"] if personal else ["side_1", "side_2"]
    return base + [f"{p}_{k}" for p in prefixes for k in ("name", *FIELDS)]


def leads_of_profile(profile: Profile):
    """The leads born in meetings the profile was a side of."""
    return Lead.objects.filter(
        Q(meeting__request__requester=profile) | Q(meeting__request__recipient=profile)
    ).select_related(
        "city",
        "organisation",
        "meeting__slot",
        "meeting__request__requester__owner",
        "meeting__request__recipient__owner",
    )
