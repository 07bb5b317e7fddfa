"""The OC4IDS packages pass the standard's own validator, lib-cove-oc4ids, offline.

The validator downloads the package schema, the project schema and the codelists; a fixture serves
the copy in `../shared/standards/oc4ids` (beside the repository checkout, as in CI) on a loopback
port and points the validator there. Without that folder these tests skip, saying so.
"""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from ascnhub.projects import demo as projects_demo
from ascnhub.projects import services as project_services
from ascnhub.projects.exporters import OPEN_CODELIST_ADDITIONS, oc4ids_package
from ascnhub.projects.oc4ids.cove import validate_package
from ascnhub.registry import demo as registry_demo
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
STANDARD = REPO / ".." / "shared" / "standards" / "oc4ids"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's signature)
        pass


@pytest.fixture(scope="module")
def schema_url():
    """The OC4IDS 0.9.5 schemas and codelists, served on a loopback port for this module."""
    if not (STANDARD / "project-package-schema.json").is_file():
        pytest.skip(f"OC4IDS schemas not found at {STANDARD.resolve()} (../shared beside the checkout)")
    handler = functools.partial(_QuietHandler, directory=str(STANDARD.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _documented_values() -> set[str]:
    return {code for values in OPEN_CODELIST_ADDITIONS.values() for code, _ in values}


@pytest.mark.slow
def test_the_demo_package_passes_the_validator_with_no_finding(schema_url):
    registry_demo.load(lambda s: None)
    projects_demo.load(lambda s: None)
    package = oc4ids_package()
    report = validate_package(package, schema_url)
    assert report.schema_errors == []
    assert report.additional_checks == []
    assert report.conformance_checks == []
    assert report.closed_codelist_values == {}
    # Every open-codelist value the standard does not list is ours, documented for readers.
    used = {v for values in report.open_codelist_values.values() for v in values}
    assert used and used <= _documented_values()
    docs = (REPO / "docs" / "open-data.md").read_text(encoding="utf-8")
    for value in _documented_values():
        assert f"`{value}`" in docs, value
    # Funding per source: budget breakdowns whose source parties are among the project's parties.
    with_breakdowns = [p for p in package["projects"] if "budgetBreakdowns" in p.get("budget", {})]
    assert len(with_breakdowns) >= 5
    for project in with_breakdowns:
        party_roles = {party["id"]: party["roles"] for party in project["parties"]}
        for group in project["budget"]["budgetBreakdowns"]:
            assert group["id"] in {"committed", "pledged"}
            for line in group["budgetBreakdown"]:
                assert "sourceParty" in party_roles[line["sourceParty"]["id"]]
    assert package["license"].startswith("https://") and package["publicationPolicy"].startswith("http")


def test_a_package_with_a_wrong_field_fails_naming_it(schema_url, world):
    org = OrganisationFactory(name="Nusa Dana Fund")
    project_services.add_funding(
        world.net.secretariat, world.public, source=org, amount=Decimal("1000"), currency="IDR"
    )
    package = oc4ids_package()
    assert validate_package(package, schema_url).findings == 0
    broken = json.loads(json.dumps(package))
    broken["projects"][0]["budget"]["amount"]["amount"] = "a lot"
    line = next(p for p in broken["projects"] if "budget" in p)["budget"]["budgetBreakdowns"][0]
    line["budgetBreakdown"][0]["amount"]["currency"] = "XYZ"
    broken["projects"][0]["status"] = "half-done"
    report = validate_package(broken, schema_url)
    assert report.findings == 3
    assert [path for path, _ in report.schema_errors] == ["projects/0/budget/amount/amount"]
    assert "'amount' is not a number" in report.schema_errors[0][1]
    # Values outside a closed codelist are reported apart, by field.
    assert report.closed_codelist_values == {
        "projects/status": ["half-done"],
        "projects/budget/budgetBreakdowns/budgetBreakdown/amount/currency": ["XYZ"],
    }
    # A source party missing from `parties` is the additional check's finding.
    dangling = json.loads(json.dumps(package))
    project = next(p for p in dangling["projects"] if "budget" in p)
    project["parties"] = [p for p in project["parties"] if "sourceParty" not in p["roles"]]
    checks = validate_package(dangling, schema_url).additional_checks
    assert [c["check_id"] for c in checks] == ["missing-org-refs"]
    assert any("sourceParty" in path for path in checks[0]["paths"])


def test_packages_per_project_and_per_city_pass_the_validator(schema_url, world, client):
    org = OrganisationFactory(name="Makassar Bank")
    project_services.add_funding(
        world.net.secretariat,
        world.public,
        source=org,
        amount=Decimal("2500000000"),
        currency="IDR",
        status="committed",
    )
    city = client.get(f"/open-data/cities/{world.net.makassar.slug}.oc4ids.json")
    assert city.status_code == 200
    city_package = json.loads(city.content)
    assert [p["title"] for p in city_package["projects"]] == ["Makassar home-care visits"]
    assert city_package["uri"].endswith(f"/open-data/cities/{world.net.makassar.slug}.oc4ids.json")
    assert validate_package(city_package, schema_url).findings == 0
    one = json.loads(client.get("/open-data/projects/makassar-home-care.oc4ids.json").content)
    assert validate_package(one, schema_url).findings == 0
    (project,) = one["projects"]
    (committed,) = project["budget"]["budgetBreakdowns"]
    assert committed["id"] == "committed"
    assert committed["budgetBreakdown"][0]["amount"] == {"amount": 2500000000.0, "currency": "IDR"}
    assert committed["budgetBreakdown"][0]["sourceParty"]["name"] == "Makassar Bank"
    # A draft is not published, not even in a package of its own; a city with nothing public has none.
    assert client.get("/open-data/projects/makassar-secret-pumps.oc4ids.json").status_code == 404
    assert client.get(f"/open-data/cities/{world.net.banyuwangi.slug}.oc4ids.json").status_code == 404
    assert client.get("/open-data/cities/atlantis.oc4ids.json").status_code == 404


def test_identifiers_carry_the_configured_prefix(world, client, settings):
    settings.ASCNHUB_OC4IDS_PREFIX = "oc4ids-ab12cd-"
    package = json.loads(client.get("/open-data/projects.oc4ids.json").content)
    assert {p["id"] for p in package["projects"]} == {
        f"oc4ids-ab12cd-{world.public.public_id}",
        f"oc4ids-ab12cd-{world.danang.public_id}",
    }


def test_a_prefix_not_in_the_standard_form_stops_the_start():
    code = "import django; django.setup()"
    env = {"ASCNHUB_OC4IDS_PREFIX": "oc4ids-ascnhub-", "DJANGO_SETTINGS_MODULE": "ascnhub.settings"}
    import os

    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ASCNHUB_OC4IDS_PREFIX" in result.stderr and "oc4ids-xxxxxx-" in result.stderr


def test_the_publication_policy_names_every_value_we_add(client):
    response = client.get("/open-data/publication-policy/")
    assert response.status_code == 200
    body = response.content.decode()
    for value in _documented_values():
        assert f"<code>{value}</code>" in body
    assert "creativecommons.org/licenses/by/4.0" in body
    package = oc4ids_package()
    assert package["publicationPolicy"].endswith("/open-data/publication-policy/")
