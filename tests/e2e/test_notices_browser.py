"""The bell's unread count and the notice preferences, in a browser."""

from __future__ import annotations

import pytest

from ascnhub.notices import services
from ascnhub.notices.models import Preference
from tests.e2e.conftest import axe_violations
from tests.factories import make_network

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bell_counts_unread_notices_and_preferences_are_saved(page):
    net = make_network()
    user = net.makassar_officer.user
    services.notify(user, "request_received", "Da Nang asks to meet you", "/notices/")
    services.notify(user, "reminder", "Your commitment is due on Friday")

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/")
    assert page.locator(".bell-count").inner_text() == "2"

    page.locator("[data-testid=bell]").click()
    page.wait_for_url("**/notices/")
    assert page.get_by_text("Da Nang asks to meet you").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mark read").first.click()
    assert page.locator(".bell-count").inner_text() == "1"
    page.get_by_role("button", name="Mark all read").click()
    assert page.locator(".bell-count").inner_text() == "0"

    page.get_by_role("link", name="Choose how notices reach you").click()
    page.locator("fieldset", has_text="Meeting request received").get_by_label("In the platform only").check()
    page.locator("fieldset", has_text="Reminders").get_by_label("Daily digest e-mail").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your notice preferences are saved.").is_visible()
    assert axe_violations(page) == []
    prefs = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    assert (prefs["request_received"], prefs["reminder"], prefs["mailing"]) == ("in_app", "digest", "email")
