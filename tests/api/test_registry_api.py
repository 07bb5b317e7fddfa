"""API v1 registry endpoints: what an integrator sees, pagination, conditional GET, errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_cities_are_paginated_and_filtered(client, network):
    body = client.get("/api/v1/cities?country=id&page_size=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1 and body["items"][0]["name"] == "Banyuwangi"
    assert body["next"].endswith("/api/v1/cities?country=id&page_size=1&page=2")
    second = client.get("/api/v1/cities?country=id&page_size=1&page=2").json()
    assert second["items"][0]["name"] == "Makassar" and second["next"] is None


def test_city_detail_names_its_officer(client, network):
    body = client.get("/api/v1/cities/makassar").json()
    assert body["chief_smart_city_officer"]["name"] == network.makassar_officer.name
    assert body["country"] == "ID" and body["timezone"] == "Asia/Makassar"
    assert network.makassar_officer.email not in str(body)  # no personal contact data in public API


def test_unchanged_list_answers_304_to_if_none_match(client, network):
    first = client.get("/api/v1/member-states")
    etag = first.headers["ETag"]
    assert client.get("/api/v1/member-states", HTTP_IF_NONE_MATCH=etag).status_code == 304
    network.vietnam.name = "Socialist Republic of Viet Nam"
    network.vietnam.save()
    assert client.get("/api/v1/member-states", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_errors_name_what_is_wrong(client, network):
    response = client.get("/api/v1/cities?page=0")
    assert response.status_code == 422 and "page" in response.json()["detail"]
    response = client.get("/api/v1/organisations?kind=spaceship")
    assert response.status_code == 422 and "kind" in response.json()["detail"]
    assert client.get("/api/v1/cities/atlantis").json() == {"detail": "Not found."}


def test_openapi_document_is_served_and_matches_the_committed_copy(client, db):
    import json
    from pathlib import Path

    served = client.get("/api/v1/openapi.json").json()
    assert served["info"]["title"] == "ASCN Hub API" and "/api/v1/cities" in served["paths"]
    committed = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"
    assert json.loads(committed.read_text()) == served, "run `make openapi` and commit docs/api/openapi.json"


def test_nul_characters_match_nothing_instead_of_a_server_error(client, network):
    # PostgreSQL refuses NUL in text parameters; a filter holding one is valid and matches nothing.
    response = client.get("/api/v1/cities?country=%C3%96%00")
    assert response.status_code == 200 and response.json()["count"] == 0
    assert client.get("/api/v1/cities").json()["count"] > 0
    assert client.get("/api/v1/cities/mak%00assar").status_code == 404
    page = client.get("/cities/?q=%00")
    assert page.status_code == 200
