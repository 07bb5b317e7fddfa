"""The published schedule as CSV, XLSX, table signs and personal schedules; names in Japanese,
Thai, Khmer and Burmese print with their own fonts and no missing glyph."""

from __future__ import annotations

import csv
import io
import logging
import re
import zlib

import pytest

from ascnhub.matchmaking import exports_schedule, scheduling, services
from tests.events.test_badges_and_check_in import _pdf_fonts
from tests.matchmaking.factories import profile_for

pytestmark = pytest.mark.django_db

NAMES = {"company": "山田商事", "makassar": "สมศรี ใจดี", "banyuwangi": "សុខ ចាន់ថា", "danang": "အောင်မြင့်"}


@pytest.fixture
def published(mm, network):
    mm.banyuwangi = profile_for(mm.setup, network.banyuwangi_officer, kind="city", city=network.banyuwangi)
    for key, name in NAMES.items():
        profile = getattr(mm, key)
        profile.name = name
        profile.save(update_fields=["name"])
    for a, b in ((mm.makassar, mm.company), (mm.danang, mm.company), (mm.banyuwangi, mm.makassar)):
        services.answer_request(None, services.send_request(None, a, b), accept=True)
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    scheduling.publish_run(None, run, notify=False)
    return mm


def _get(client, mm, what):
    return client.get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/export/{what}")


def test_csv_per_participant_and_per_table(published, network, client_for):
    mm = published
    client = client_for(network.secretariat)
    response = _get(client, mm, "participants.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == exports_schedule.PARTICIPANT_COLUMNS
    company = [r for r in rows[1:] if r[0] == NAMES["company"]]
    assert sorted(r[7] for r in company) == sorted([NAMES["makassar"], NAMES["danang"]])
    assert {r[6] for r in company if r[7] == NAMES["danang"]} == {"Video room 1"}
    assert all(r[3] == "2021-10-19" and r[4] in ("13:00", "13:20", "13:40") for r in rows[1:])  # Tokyo time
    rows = list(csv.reader(io.StringIO(_get(client, mm, "tables.csv").content.decode("utf-8-sig"))))
    assert rows[0] == exports_schedule.TABLE_COLUMNS and len(rows) == 4
    assert (
        client_for(mm.makassar.owner.user)
        .get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/export/tables.csv")
        .status_code
        == 403
    )


def test_xlsx_has_a_sheet_per_participant_and_per_table(published, network, client_for):
    from openpyxl import load_workbook

    response = _get(client_for(network.secretariat), published, "schedule.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["By participant", "By table"]
    names = {row[0] for row in book["By participant"].iter_rows(min_row=2, values_only=True)}
    assert names == set(NAMES.values())
    assert book["By table"].max_row == 4


def test_a_cell_that_looks_like_a_formula_stays_text(published):
    published.company.name = '=HYPERLINK("http://evil")'
    published.company.save(update_fields=["name"])
    published.setup.refresh_from_db()
    lines = exports_schedule.published_meetings(published.setup)
    text = exports_schedule.to_csv(exports_schedule.TABLE_COLUMNS, exports_schedule.table_rows(lines)).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("what", ["table-signs.pdf", "personal-schedules.pdf"])
def test_pdfs_print_japanese_thai_khmer_and_burmese_names(published, network, client_for, caplog, what):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = _get(client_for(network.secretariat), published, what)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    missing = [
        r.getMessage() for r in caplog.records if ".notdef" in r.getMessage() or "glyph" in r.getMessage()
    ]
    assert missing == []
    fonts = _pdf_fonts(response.content)
    for script in ("CJK", "Thai", "Khmer", "Myanmar"):
        assert any(script in f for f in fonts), (script, fonts)


def test_nothing_published_is_said_instead_of_an_empty_file(mm, network, client_for):
    client = client_for(network.secretariat)
    response = _get(client, mm, "tables.csv")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Nothing is published yet" in page


def _pages(pdf: bytes) -> int:
    """Page objects in a PDF (looking into compressed object streams too)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return sum(len(re.findall(rb"/Type\s*/Page(?![s\w])", chunk)) for chunk in chunks)


def test_one_participants_personal_schedule(published, network, client_for):
    mm = published
    client = client_for(network.secretariat)
    one = _get(client, mm, f"personal-schedules.pdf?profile={mm.company.public_id}")
    assert one.status_code == 200 and _pages(one.content) == 1
    assert _pages(_get(client, mm, "personal-schedules.pdf").content) == 4  # one page per participant
