"""Badge tokens (signed, offline-verifiable), PDF badges in three scripts, check-in, online attendance."""

from __future__ import annotations

import base64
import datetime
import logging
import re
import uuid
import zlib

import pytest

from ascnhub.events import badges, services, tokens
from ascnhub.events.models import CheckIn, OnlineAttendance
from tests.events.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_token_roundtrip_and_offline_verification_with_the_public_key_only(hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    token = services.badge_token(reg)
    assert token.startswith("B1.") and len(token) < 140  # small enough for a robust QR code
    claim = tokens.verify(token, meeting_id=hlm.meeting.pk)
    assert claim.registration == reg.public_id
    # a scanner holding only the published public key verifies it too
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = base64.urlsafe_b64decode(tokens.public_key_b64() + "=")
    assert tokens.verify(token, key=Ed25519PublicKey.from_public_bytes(raw)).meeting_id == hlm.meeting.pk


@pytest.mark.parametrize(
    "mangle,code",
    [
        (lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"), "forged"),
        (
            lambda t: (
                "B1."
                + base64.urlsafe_b64encode(b"\x01" + uuid.uuid4().bytes + b"\x00\x00\x00\x01\xff\xff\xff\xff")
                .decode()
                .rstrip("=")
                + "."
                + t.split(".")[2]
            ),
            "forged",
        ),
        (lambda t: "hello", "malformed"),
        (lambda t: "B1.!!.??", "malformed"),
        (lambda t: "", "malformed"),
    ],
)
def test_forged_tokens_are_rejected(hlm, mangle, code):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify(mangle(services.badge_token(reg)), meeting_id=hlm.meeting.pk)
    assert exc.value.code == code


def test_token_signed_with_another_key_is_forged(hlm, settings):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    settings.SECRET_KEY = "another-deployment-" + "x" * 40
    foreign = services.badge_token(reg)
    settings.SECRET_KEY = "back-home-" + "y" * 40
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify(foreign, meeting_id=hlm.meeting.pk)
    assert exc.value.code == "forged"


def test_expired_and_other_meeting_tokens_are_rejected(hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    old = tokens.sign(reg.public_id, hlm.meeting.pk, datetime.datetime(2021, 10, 22, tzinfo=UTC))
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify(old, meeting_id=hlm.meeting.pk)
    assert exc.value.code == "expired" and "expired" in str(exc.value)
    other = MeetingFactory()
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify(services.badge_token(reg), meeting_id=other.pk)
    assert exc.value.code == "other_meeting"


def test_check_in_by_token_is_idempotent_and_shows_category(client_for, network, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, name="Dewi Lestari")
    hlm.meeting.check_in_staff.add(network.outsider)
    desk = client_for(network.outsider)
    token = services.badge_token(reg)
    html = desk.post("/meetings/hlm-test/check-in/", {"token": token}).content.decode()
    assert "Checked in." in html and "Dewi Lestari" in html and "Government delegation" in html
    assert "result-ok" in html
    html = desk.post("/meetings/hlm-test/check-in/", {"token": token}).content.decode()
    assert "Already checked in today at" in html and "result-again" in html
    assert CheckIn.objects.filter(registration=reg).count() == 1


def test_check_in_refuses_forged_expired_and_cancelled_with_clear_messages(client_for, network, hlm):
    desk = client_for(network.secretariat)
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    token = services.badge_token(reg)
    html = desk.post("/meetings/hlm-test/check-in/", {"token": token[:-2] + "xx"}).content.decode()
    assert "may be forged or altered" in html and "result-refused" in html
    expired = tokens.sign(reg.public_id, hlm.meeting.pk, datetime.datetime(2021, 10, 22, tzinfo=UTC))
    html = desk.post("/meetings/hlm-test/check-in/", {"token": expired}).content.decode()
    assert "This badge has expired." in html
    html = desk.post("/meetings/hlm-test/check-in/", {"token": "garbage"}).content.decode()
    assert "could not be read" in html
    html = desk.post("/meetings/hlm-test/check-in/", {"token": "B1." + "A" * 500}).content.decode()
    assert "could not be read" in html
    services.cancel(None, reg)
    html = desk.post("/meetings/hlm-test/check-in/", {"token": token}).content.decode()
    assert "do not admit" in html
    assert not CheckIn.objects.exists()


def test_check_in_by_search_warns_about_pending_and_online(client_for, network, hlm):
    reg = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.gov, name="Somchai Rattanakul", status="pending", mode="online"
    )
    desk = client_for(network.secretariat)
    html = desk.get("/meetings/hlm-test/check-in/?q=somchai").content.decode()
    assert "Somchai Rattanakul" in html
    html = desk.post("/meetings/hlm-test/check-in/", {"registration": str(reg.public_id)}).content.decode()
    assert "Checked in." in html and "awaiting approval" in html and "online, not in person" in html
    assert CheckIn.objects.get().method == "search"


def test_live_counts(client_for, network, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    now = datetime.datetime(2021, 10, 18, 1, 0, tzinfo=UTC)
    services.check_in(None, hlm.meeting, registration=reg, now=now)
    counts = services.attendance_counts(hlm.meeting, datetime.date(2021, 10, 18))
    assert counts["checked_in"] == 1 and counts["in_person"] == 1
    html = client_for(network.secretariat).get("/meetings/hlm-test/check-in/counts/").content.decode()
    assert 'hx-trigger="every 10s"' in html


def test_opening_a_session_link_records_online_attendance(client, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online")
    url = f"/meetings/hlm-test/sessions/{hlm.opening.public_id}/join/?r={reg.public_id}&key={reg.secret}"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == hlm.opening.online_url
    client.get(url)
    visit = OnlineAttendance.objects.get()
    assert visit.registration == reg and visit.visits == 2


def _pdf_fonts(pdf: bytes) -> set[str]:
    """Names of the fonts embedded in a PDF (looking into compressed object streams too)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    names = set()
    for chunk in chunks:
        names |= {m.decode() for m in re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)", chunk)}
    return names


def test_badge_pdf_prints_japanese_thai_and_khmer_names_without_missing_glyphs(hlm, caplog):
    regs = [
        RegistrationFactory(
            meeting=hlm.meeting, category=hlm.gov, name=name, organisation_name=org, country=country
        )
        for name, org, country in [
            ("山田 花子", "愛知県庁", "JP"),
            ("สมศรี ใจดี", "กรุงเทพมหานคร", "TH"),
            ("សុខ ចាន់ថា", "រាជធានីភ្នំពេញ", "KH"),
        ]
    ]
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = badges.badges_pdf(hlm.meeting, regs)
    assert pdf.startswith(b"%PDF")
    missing = [
        r.getMessage() for r in caplog.records if ".notdef" in r.getMessage() or "glyph" in r.getMessage()
    ]
    assert missing == []
    fonts = _pdf_fonts(pdf)
    assert any("CJK" in f for f in fonts), fonts
    assert any("Thai" in f for f in fonts), fonts
    assert any("Khmer" in f for f in fonts), fonts


def test_badge_for_approved_participant_through_the_page(client, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    response = client.get(f"/meetings/hlm-test/registration/{reg.public_id}/badge.pdf?key={reg.secret}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pending = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, status="pending")
    assert (
        client.get(
            f"/meetings/hlm-test/registration/{pending.public_id}/badge.pdf?key={pending.secret}"
        ).status_code
        == 403
    )


def test_an_organiser_opening_a_participants_link_is_not_counted_as_them(client_for, hlm, network):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online")
    url = f"/meetings/hlm-test/sessions/{hlm.opening.public_id}/join/?r={reg.public_id}"
    response = client_for(network.secretariat).get(url)
    assert response.status_code == 302 and response["Location"] == hlm.opening.online_url
    assert not OnlineAttendance.objects.exists()
