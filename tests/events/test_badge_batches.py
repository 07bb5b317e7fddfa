"""Badges in batches: A4 sheets per category or for a chosen list, a print queue, deliberate reprints."""

from __future__ import annotations

import logging
import re
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.common.models import ActivityLog
from ascnhub.events import badge_codes
from ascnhub.events.models import BadgeBatch, BadgePrint
from tests.events.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

QUEUE = "/meetings/hlm-test/manage/badges/"


@pytest.fixture
def organiser(network, hlm, client_for):
    return client_for(network.secretariat)


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) unpacked."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(chunks)


def _pages(pdf: bytes) -> list[bytes]:
    """The MediaBox of every page."""
    return re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[([^\]]*)\]", _pdf_text(pdf), re.DOTALL)


def test_a_category_prints_on_a4_sheets_and_only_the_rest_next_time(organiser, hlm):
    regs = [RegistrationFactory(meeting=hlm.meeting, category=hlm.gov) for _ in range(5)]
    RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, mode="online")  # gets no badge
    RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, status="cancelled")  # neither
    response = organiser.post(QUEUE, {"category": "government"})
    assert response.status_code == 302
    batch = BadgeBatch.objects.get()
    assert sorted(batch.registrations.values_list("pk", flat=True)) == sorted(r.pk for r in regs)
    assert batch.description == "Not yet printed: Government delegation" and not batch.is_reprint
    pdf = organiser.get(f"/meetings/hlm-test/manage/badges/{batch.public_id}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    pages = _pages(pdf.content)
    assert len(pages) == 2  # five badges, four a sheet
    assert all([round(float(v)) for v in box.split()] == [0, 0, 595, 842] for box in pages), pages  # A4
    # Downloading it again is the same batch, not a new print.
    organiser.get(f"/meetings/hlm-test/manage/badges/{batch.public_id}.pdf")
    assert BadgeBatch.objects.count() == 1 and BadgePrint.objects.count() == 5
    # One more registration: "print the rest" prints only that one.
    late = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    organiser.post(QUEUE, {"category": "government"})
    assert list(BadgeBatch.objects.first().registrations.all()) == [late]
    page = organiser.get(QUEUE).content.decode()
    assert re.search(r"Government delegation</th><td>6</td><td>0</td>", page)


def test_a_reprint_needs_a_reason_and_is_logged(organiser, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private, name="Nguyễn Văn An")
    other = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    assert organiser.post(QUEUE, {"people": reg.email}).status_code == 302
    before = (BadgeBatch.objects.count(), BadgePrint.objects.count(), ActivityLog.objects.count())
    # The badge code, typed in lower case with a space, names the same person.
    typed = badge_codes.display(reg.badge_code).lower().replace("-", " ")
    refused = organiser.post(QUEUE, {"people": f"{other.email}\n{typed}"})
    assert refused.status_code == 400
    assert "Already printed: Nguyễn Văn An. Give a reason" in refused.content.decode()
    assert (BadgeBatch.objects.count(), BadgePrint.objects.count(), ActivityLog.objects.count()) == before
    ok = organiser.post(QUEUE, {"people": f"{other.email}\n{typed}", "reprint_reason": "name misspelt"})
    assert ok.status_code == 302
    batch = BadgeBatch.objects.first()
    assert batch.reprint_reason == "name misspelt" and batch.registrations.count() == 2
    log = ActivityLog.objects.filter(action="badges_printed").first()
    assert "Nguyễn Văn An: name misspelt" in str(log.changes)


def test_a_list_naming_someone_unknown_prints_nothing(organiser, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    online = RegistrationFactory(meeting=hlm.meeting, category=hlm.private, mode="online")
    response = organiser.post(QUEUE, {"people": f"{reg.email}\nnobody@test.example\n{online.email}"})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "No approved in-person registration of this meeting for: nobody@test.example, " + online.email in html
    )
    assert not BadgeBatch.objects.exists()
    assert organiser.post(QUEUE, {"people": "  \n "}).status_code == 400


def test_only_organisers_print_badges(network, hlm, client_for):
    RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    hlm.meeting.check_in_staff.add(network.outsider)
    for user in (network.outsider, network.makassar_officer.user):
        client = client_for(user)
        assert client.get(QUEUE).status_code == 403
        assert client.post(QUEUE, {"category": "private"}).status_code == 403
    assert client_for(None).get(QUEUE).status_code == 302
    assert not BadgeBatch.objects.exists()


def test_the_print_queue_page_has_a_fixed_number_of_queries(organiser, hlm):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert organiser.get(QUEUE).status_code == 200
        return len(ctx.captured_queries)

    RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    organiser.post(QUEUE, {"category": "private"})
    few = queries()
    for _ in range(3):
        RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
        organiser.post(QUEUE, {"category": "government"})
    assert queries() == few


def test_sheets_print_japanese_thai_and_khmer_names_without_missing_glyphs(organiser, hlm, caplog):
    for name, country in [("山田 花子", "JP"), ("สมศรี ใจดี", "TH"), ("សុខ ចាន់ថា", "KH")]:
        RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, name=name, country=country)
    organiser.post(QUEUE, {"category": "government"})
    batch = BadgeBatch.objects.get()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = organiser.get(f"/meetings/hlm-test/manage/badges/{batch.public_id}.pdf").content
    assert [
        r.getMessage() for r in caplog.records if "glyph" in r.getMessage() or ".notdef" in r.getMessage()
    ] == []
    fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)", _pdf_text(pdf)))
    assert (
        any(b"CJK" in f for f in fonts)
        and any(b"Thai" in f for f in fonts)
        and any(b"Khmer" in f for f in fonts)
    ), sorted(fonts)  # the fonts the PDF names, to tell a missing font from a missed stream


def test_the_check_in_desk_accepts_the_short_badge_code(client_for, network, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, name="Sari Wulandari")
    desk = client_for(network.secretariat)
    typed = badge_codes.display(reg.badge_code).lower()
    html = desk.post("/meetings/hlm-test/check-in/", {"token": typed}).content.decode()
    assert "Checked in." in html and "Sari Wulandari" in html
    assert reg.check_ins.get().method == "code"
    wrong = reg.badge_code[:-1] + ("0" if reg.badge_code[-1] != "0" else "1")
    html = desk.post("/meetings/hlm-test/check-in/", {"token": wrong}).content.decode()
    assert "could not be read" in html
