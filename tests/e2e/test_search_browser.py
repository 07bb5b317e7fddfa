"""A visitor types a Japanese word into the search box and finds the demo network's English flood
projects — in a real browser, with the real multilingual model and the demo data indexed."""

from __future__ import annotations

import pytest

from ascnhub.common import search_index
from ascnhub.knowledge import demo as knowledge_demo
from ascnhub.projects import demo as projects_demo
from ascnhub.registry import demo as registry_demo
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

# English-language flood projects of the demo data (projects/demo_data.py).
ENGLISH_FLOOD_PROJECTS = [
    "Urban flood monitoring",
    "Drainage and flood sensor network",
    "Flood early warning from floodgate sensors",
]


def test_japanese_query_finds_the_english_flood_projects(page, live_server):
    registry_demo.load(lambda s: None)
    projects_demo.load(lambda s: None)
    knowledge_demo.load(lambda s: None)
    search_index.reindex()

    page.goto("/search/")
    page.get_by_label("Words, in any language").fill("洪水")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()

    results = page.locator("ol.search-results > li")
    projects = page.locator('ol.search-results > li[data-kind="project"] h3')
    titles = projects.all_inner_texts()
    for title in ENGLISH_FLOOD_PROJECTS:
        assert any(title in t for t in titles), (title, titles)
    assert results.count() >= len(ENGLISH_FLOOD_PROJECTS)
    # Each result says what it is and in which language it is written.
    first_flood = page.locator("ol.search-results > li", has_text=ENGLISH_FLOOD_PROJECTS[0])
    assert first_flood.locator(".lang-badge").inner_text() == "EN"
    assert "found by meaning" in first_flood.inner_text()

    # Narrowed to projects: only projects remain, and the other kinds still show their counts.
    page.get_by_role("checkbox", name="Project", exact=False).first.check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    kinds = page.locator("ol.search-results > li").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert kinds and set(kinds) == {"project"}
    assert axe_violations(page) == []
