"""API lists are paginated in the database: one COUNT and one LIMIT/OFFSET query per page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [7, 60])
def test_a_page_reads_only_its_rows(client, rows):
    OrganisationFactory.create_batch(rows)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/organisations?page=2&page_size=3").json()
    assert body["count"] == rows and len(body["items"]) == 3
    assert body["next"] is not None
    selects = [q["sql"] for q in ctx.captured_queries if "registry_organisation" in q["sql"]]
    assert len(selects) == 2  # the count and the page, whatever the number of rows
    assert any("COUNT(" in q for q in selects) and any("LIMIT 3 OFFSET 3" in q for q in selects)


def test_the_last_page_has_no_next(client):
    OrganisationFactory.create_batch(4)
    body = client.get("/api/v1/organisations?page=2&page_size=3").json()
    assert [len(body["items"]), body["next"]] == [1, None]


def test_a_page_far_past_the_end_is_empty(client):
    OrganisationFactory.create_batch(2)
    body = client.get(f"/api/v1/organisations?page={2**62}&page_size=200").json()
    assert body["count"] == 2 and body["items"] == [] and body["next"] is None
