"""Issue 20 in a browser: an organiser gives the Japanese "registration received" e-mail the
meeting's own text, previews it for a sample registrant, saves it, and resets it."""

from __future__ import annotations

import pytest

from ascnhub.events.models import MessageTemplate
from tests.e2e.conftest import axe_violations
from tests.e2e.test_matchmaking_browser import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_edit_a_template_with_preview_save_and_reset(page, network):
    from tests.events.factories import make_meeting

    hlm = make_meeting(network)
    _sign_in(page, network.secretariat.email)
    page.goto(f"/meetings/{hlm.meeting.slug}/manage/")
    page.get_by_role("link", name="E-mail templates").click()
    assert axe_violations(page) == []
    page.get_by_test_id("template-received-ja").click()
    # The editor starts from the built-in text, translated, with placeholders for each registrant.
    subject = page.get_by_label("Subject")
    assert "{meeting}" in subject.input_value()
    subject.fill("{meeting} への登録を受け付けました")
    page.get_by_label("Text").fill("{name} 様\n\nご登録ありがとうございます。\n{registration_link}")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("preview")
    assert "Test High Level Meeting への登録を受け付けました" in preview.inner_text()
    assert "Ayu Lestari 様" in preview.inner_text()
    assert axe_violations(page) == []
    assert not MessageTemplate.objects.exists()

    # A typo in a placeholder is refused by name; the text typed stays.
    page.get_by_label("Text").fill("{nmae} 様")
    page.get_by_role("button", name="Save").click()
    assert "Unknown placeholder {nmae}" in page.locator("main").inner_text()
    assert page.get_by_label("Text").input_value() == "{nmae} 様"
    assert not MessageTemplate.objects.exists()

    page.get_by_label("Text").fill("{name} 様\n\nご登録ありがとうございます。")
    page.get_by_role("button", name="Save").click()
    assert "Saved" in page.locator(".messages").inner_text()
    assert "own text goes out" in page.get_by_test_id("template-state").inner_text()
    assert MessageTemplate.objects.get().language == "ja"

    page.get_by_role("button", name="Reset to the built-in text").click()
    assert "built-in text goes out" in page.get_by_test_id("template-state").inner_text()
    assert not MessageTemplate.objects.exists()
