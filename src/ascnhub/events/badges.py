"""PDF badges and the printable agenda, rendered by WeasyPrint (HTML + CSS, Pango shaping).

WeasyPrint shapes complex scripts (Thai, Khmer, Lao, Myanmar) and falls back glyph by glyph
through fontconfig, so a name in any script prints where the Noto fonts are installed
(Debian: fonts-noto-core, fonts-noto-cjk). reportlab does not shape Thai or Khmer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import segno
from django.template.loader import render_to_string

from . import badge_codes, services
from .models import BadgeBatch, Meeting, Registration

BADGES_PER_PDF = 100

# WeasyPrint reports every layout step at INFO; the site's log wants only its warnings.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def qr_data_uri(text: str) -> str:
    """A PNG QR code (WeasyPrint draws PNG far faster than an SVG path; a fixed mask skips the
    costly mask search, and every mask is valid)."""
    return segno.make(text, error="m", micro=False, mask=2, boost_error=False).png_data_uri(scale=6, border=2)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def badges_pdf(meeting: Meeting, registrations: Iterable[Registration]) -> bytes:
    """One A6 badge per page: name, organisation, country, category colour, signed QR code."""
    badges = []
    for reg in registrations:
        token = services.badge_token(reg)
        badges.append(
            {
                "reg": reg,
                "token": token,
                "qr": qr_data_uri(token),
                "short": badge_codes.display(reg.badge_code or ""),
            }
        )
    html = render_to_string("events/pdf/badges.html", {"meeting": meeting, "badges": badges})
    return _pdf(html)


def badge_sheets_pdf(meeting: Meeting, batch: BadgeBatch, registrations: list[Registration]) -> bytes:
    """A print batch on A4: four A6 badges a sheet, each with its signed QR and short badge code."""
    colours: list[str] = []
    badges = []
    for reg in registrations:
        if reg.category.colour not in colours:
            colours.append(reg.category.colour)
        badges.append(
            {
                "reg": reg,
                "qr": qr_data_uri(services.badge_token(reg)),
                "code": badge_codes.display(reg.badge_code or ""),
                "colour": colours.index(reg.category.colour),
            }
        )
    sheets = [badges[i : i + 4] for i in range(0, len(badges), 4)]
    html = render_to_string(
        "events/pdf/badge_sheets.html",
        {"meeting": meeting, "batch": batch, "sheets": sheets, "colours": colours},
    )
    return _pdf(html)


def agenda_pdf(meeting: Meeting, days: list) -> bytes:
    """The printable agenda, in the venue's time zone."""
    html = render_to_string("events/pdf/agenda.html", {"meeting": meeting, "days": days})
    return _pdf(html)
