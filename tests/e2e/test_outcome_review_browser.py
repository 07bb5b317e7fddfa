"""The secretariat drafts a chair's statement on the site, a colleague reviews and approves it, and
an anonymous visitor then reads it (axe-core clean on the editing and review pages)."""

from __future__ import annotations

import pytest

from ascnhub.followup.models import OutcomeDocument
from tests.e2e.conftest import axe_violations
from tests.e2e.test_followup_browser import _signed_in
from tests.factories import make_network, secretariat_user
from tests.followup.factories import make_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def test_draft_review_and_publish(page, browser, live_server):
    net = make_network()
    reviewer = secretariat_user()
    make_meeting("acm-2024", 2024, "7th ASCN Annual Meeting")

    # Before anything is approved, the document does not exist for the public.
    assert page.goto("/outcomes/meetings/acm-2024/").status == 404

    ctx, author = _signed_in(browser, live_server, net.secretariat.email)
    author.goto("/outcomes/drafts/")
    author.get_by_role("link", name="New outcome document").click()
    author.get_by_label("Meeting").select_option(label="7th ASCN Annual Meeting")
    author.locator("#id_title").fill("Chair's Statement of the 7th ASCN Annual Meeting")
    author.get_by_label("Adopted on").fill("2024-10-18")
    row = author.locator("#rec-row-1")
    row.get_by_label("Number").fill("1")
    row.get_by_label("Short title").fill("ASCN guidebook")
    row.get_by_label("Text").fill("Publish the ASCN guidebook in every ASEAN language.")
    assert axe_violations(author) == []
    author.get_by_role("button", name="Save draft").click()
    assert author.get_by_text("Revision 1: draft").is_visible()
    author.get_by_role("button", name="Submit for review").click()
    assert author.get_by_text("Revision 1: in review").is_visible()
    # The author cannot approve it.
    assert author.get_by_role("button", name="Record the decision").count() == 0
    ctx.close()

    ctx, other = _signed_in(browser, live_server, reviewer.email)
    other.goto("/outcomes/drafts/")
    other.locator("#open-revisions").get_by_role(
        "link", name="Chair's Statement of the 7th ASCN Annual Meeting"
    ).click()
    assert axe_violations(other) == []
    other.get_by_label("Approve and publish").check()
    other.get_by_role("textbox", name="Comments").fill("Thank you.")
    other.get_by_role("button", name="Record the decision").click()
    assert other.get_by_text("Approved: the document is published.").is_visible()
    ctx.close()
    assert OutcomeDocument.objects.get().published

    response = page.goto("/outcomes/meetings/acm-2024/")
    assert response.status == 200
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Chair's Statement of the 7th ASCN Annual Meeting"
    )
    assert page.get_by_text("Publish the ASCN guidebook in every ASEAN language.").is_visible()
    assert page.get_by_role("link", name="History").count() == 0  # the secretariat's, not the public's
