"""Issue 19 item 12 in a browser: "Set a meeting that must happen" by participant name, and an error
there leaves the Tables and Rules forms showing what is stored."""

from __future__ import annotations

import pytest

from ascnhub.matchmaking.models import MeetingRequest
from tests.e2e.conftest import axe_violations
from tests.e2e.test_matchmaking_browser import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_set_a_meeting_by_name_and_an_error_blanks_no_other_form(page, network):
    from tests.matchmaking.factories import make_world

    mm = make_world(network)
    mm.setup.max_meetings = 7
    mm.setup.save()
    _sign_in(page, network.secretariat.email)
    page.goto(f"/meetings/{mm.meeting.slug}/matchmaking/organise/")
    assert page.get_by_label("Requests open").is_checked()

    page.get_by_label("First participant").fill("Atlantis")
    page.get_by_label("Second participant").fill(mm.company.name)
    page.get_by_role("button", name="Set meeting").click()
    assert (
        "No participant of this matchmaking is called “Atlantis”." in page.locator(".messages").inner_text()
    )
    assert "This field is required" not in page.content()
    assert page.get_by_label("Requests open").is_checked()
    assert page.locator("[name=setup-max_meetings]").input_value() == "7"
    assert page.get_by_label("Tables on site").input_value() == "2"
    assert page.get_by_label("First participant").input_value() == "Atlantis"
    assert axe_violations(page) == []

    # The suggestions list offers the participants; a name from it sets the meeting.
    options = page.locator("datalist#mm-participants option")
    danang = f"{mm.danang.name} ({mm.danang.organisation.name})"
    assert danang in [options.nth(i).get_attribute("value") for i in range(options.count())]
    page.get_by_label("First participant").fill(danang)
    page.get_by_role("button", name="Set meeting").click()
    assert (
        f"Meeting between {mm.danang.name} and {mm.company.name} set."
        in page.locator(".messages").inner_text()
    )
    request = MeetingRequest.objects.get(setup=mm.setup, locked=True)
    assert {request.requester_id, request.recipient_id} == {mm.danang.pk, mm.company.pk}
