"""Finding a partner on the demo meeting, as the demo company (Aoba Smart Infrastructure) would:
the directory finds Makassar by "flood" and sends the request; the suggestions are diverse (no more
than two per city or organisation unfolded) and name Makassar's flood need specifically."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from ascnhub.matchmaking.models import MeetingRequest, Profile
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

COMPANY = "takahashi.ryo@demo.ascnhub.example"  # Aoba Smart Infrastructure K.K.'s staff member
BASE = "/meetings/asean-japan-hlm-2021/matchmaking/"


def test_the_demo_company_finds_makassar_and_gets_diverse_specific_suggestions(page, monkeypatch):
    monkeypatch.setenv("ASCNHUB_DEMO_PASSWORD", "partners-pass-123")
    call_command("demo", "load", stdout=io.StringIO())
    # The demo's own requests may already pair the two (they follow the suggestions): withdrawn here,
    # so that the company asks from the directory as a newcomer would.
    company = Profile.objects.get(name="Aoba Smart Infrastructure K.K.")
    makassar = Profile.objects.get(name="Makassar city delegation")
    MeetingRequest.objects.filter(
        pair_low=min(company.pk, makassar.pk), pair_high=max(company.pk, makassar.pk)
    ).update(status="cancelled")
    page.goto("/accounts/login/")
    page.fill("input[name=login]", COMPANY)
    page.fill("input[name=password]", "partners-pass-123")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    # The directory, from the matchmaking nav: search for "flood".
    page.goto(BASE)
    page.get_by_role("navigation", name="Matchmaking").get_by_role("link", name="Participants").click()
    page.get_by_label("Search", exact=True).fill("flood")
    page.get_by_role("button", name="Search", exact=True).click()
    entry = page.locator("ol.directory > li", has_text="Makassar city delegation")
    assert entry.count() == 1
    assert "Indonesia" in entry.inner_text() and "flood pump automation" in entry.inner_text()
    assert axe_violations(page) == []
    entry.get_by_role("button", name="Request a meeting").click()
    assert "Request sent to Makassar city delegation." in page.locator(".messages").inner_text()
    # Among the requests the company sent, one to Makassar waits for an answer (a request between
    # the two from the demo, cancelled above, stays listed with its status, sent or received).
    sent = page.get_by_role("heading", name="Sent", exact=True).locator("xpath=following-sibling::table[1]")
    waiting = sent.locator("tr", has_text="Makassar city delegation").filter(has_text="waiting for an answer")
    assert waiting.count() == 1

    # The first suggestions page: at most two entries from one city or organisation.
    page.goto(BASE)
    groups = page.locator("ol.suggestions > li[data-group]").evaluate_all(
        "els => els.map(e => e.dataset.group)"
    )
    assert len(groups) >= 20
    assert max(Counter(groups).values()) <= 2
    # The others are folded, and open without JavaScript being needed (a <details> element).
    summary = page.locator("ol.suggestions details.folded > summary").first
    assert " more from " in summary.inner_text()
    # Makassar's flood need is among them, with the reason naming it.
    need = "Makassar’s need “Expertise in flood pump automation”"
    reason = page.locator("ol.suggestions > li ul.reasons li", has_text=need)
    assert reason.count() >= 1 and reason.first.inner_text().startswith("your offer “")
    assert "a moment ago" in page.get_by_test_id("suggestions-updated").inner_text()
    assert axe_violations(page) == []
