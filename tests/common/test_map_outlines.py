"""Maps read without a tile server: the vendored country outlines of ASEAN and Japan are small,
valid GeoJSON, linked from every page, and no tile host is allowed or asked for by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ascnhub.common

OUTLINES = (
    Path(ascnhub.common.__file__).parent / "static" / "vendor" / "natural-earth" / "asean-japan.geojson"
)

pytestmark = pytest.mark.django_db


def test_outlines_are_small_geojson_of_asean_and_japan():
    assert OUTLINES.stat().st_size < 300_000
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in data["features"]}
    assert names == {
        "Brunei", "Cambodia", "Indonesia", "Laos", "Malaysia", "Myanmar", "Philippines", "Singapore",
        "Thailand", "Timor-Leste", "Vietnam", "Japan",
    }  # fmt: skip
    for feature in data["features"]:
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_pages_link_the_outlines_and_allow_no_tile_host_by_default(network, client, settings):
    response = client.get(network.makassar.get_absolute_url())
    body = response.content.decode()
    assert 'name="ascnhub-outlines"' in body and "asean-japan" in body
    assert 'data-tiles=""' in body
    assert "img-src 'self' data: ;" in response["Content-Security-Policy"] or (
        "img-src 'self' data:;" in response["Content-Security-Policy"]
    )
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/natural-earth/asean-japan.geojson") == str(OUTLINES)
