"""A project's translation in a real browser: a reader sees the labelled version and the original,
the city's officer asks for and writes a Japanese one, the secretariat approves it, and a Japanese
reader gets it. axe-core checks each page of the workflow."""

from __future__ import annotations

import pytest

from ascnhub.common.models import ContentTranslation
from ascnhub.projects import demo as projects_demo
from ascnhub.projects.models import Project
from ascnhub.registry import demo as registry_demo
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

OFFICER = "csco.makassar@demo.ascnhub.example"
SECRETARIAT = "secretariat@demo.ascnhub.example"
PASSWORD = "translate-pass-123"


def _sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_request_translate_approve_and_read_in_japanese(page, live_server, monkeypatch):
    monkeypatch.setenv("ASCNHUB_DEMO_PASSWORD", PASSWORD)
    registry_demo.load(lambda s: None)
    projects_demo.load(lambda s: None)
    project = Project.objects.get(title__startswith="Dottorota")  # written in Indonesian

    # An English reader gets the English version, labelled, with the way to the original.
    page.goto(project.get_absolute_url())
    assert page.locator("h1").inner_text() == "Dottorota: home-care health visits"
    note = page.locator(".translated-note")
    assert "Human translation" in note.inner_text() and "Original in Indonesian" in note.inner_text()
    assert axe_violations(page) == []
    note.get_by_role("link", name="read the original").click()
    assert page.locator("h1").inner_text() == "Dottorota: layanan kesehatan ke rumah"

    # The city's officer asks for a Japanese version and writes it.
    _sign_in(page, OFFICER)
    page.goto(project.get_absolute_url())
    page.select_option("#translation-language", "ja")
    page.get_by_role("button", name="Request", exact=True).click()
    page.wait_for_load_state()
    assert "Translation into Japanese requested." in page.locator(".messages").inner_text()
    version = ContentTranslation.objects.get(object_id=project.pk, language="ja")
    page.goto(f"/translations/{version.public_id}/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Translate it myself").click()
    page.wait_for_load_state()
    page.fill("#id_title", "ドットロタ:在宅医療訪問")
    page.fill("#id_description", "医師と看護師が車と遠隔医療で住民の自宅を訪問する。")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "Submitted for review." in page.locator(".messages").inner_text()
    _sign_out(page)

    # The secretariat finds it in the queue and approves it.
    _sign_in(page, SECRETARIAT)
    page.goto("/translations/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Dottorota: layanan kesehatan ke rumah").click()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "Approved" in page.locator(".messages").inner_text()
    _sign_out(page)

    # A Japanese reader gets the Japanese version, labelled, and the original one click away.
    page.context.add_cookies([{"name": "django_language", "value": "ja", "url": live_server.url}])
    page.goto(project.get_absolute_url())
    assert page.locator("h1").inner_text() == "ドットロタ:在宅医療訪問"
    assert page.locator('.translated-note a[href="?original=1"]').count() == 1
    assert axe_violations(page) == []
