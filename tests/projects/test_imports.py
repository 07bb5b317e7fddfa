"""Imports of projects and offers: every bad row reported, nothing written unless all rows are valid."""

from __future__ import annotations

import csv
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from ascnhub.common.models import ActivityLog
from ascnhub.projects import importers
from ascnhub.projects.models import Offer, Project

pytestmark = pytest.mark.django_db

HEADER = [
    "city",
    "title",
    "language",
    "description",
    "focus_areas",
    "status",
    "start_date",
    "end_date",
    "budget_amount",
    "budget_currency",
    "published",
]


def _csv(rows: list[list[str]], header=HEADER) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("projects.csv", out.getvalue().encode("utf-8"), content_type="text/csv")


GOOD = [
    "makassar",
    "Flood sensors",
    "en",
    "Sensors on the canals.",
    "safety_security",
    "preparation",
    "2025-01-01",
    "2026-12-31",
    "450000",
    "USD",
    "yes",
]


def test_bad_rows_are_all_reported_and_nothing_is_written(network):
    rows = [
        GOOD,
        [
            "makassar",
            "Bad currency",
            "en",
            "x",
            "civic_social",
            "preparation",
            "2025-01-01",
            "",
            "100",
            "XYZ",
            "yes",
        ],
        [
            "makassar",
            "Bad dates",
            "en",
            "x",
            "civic_social",
            "preparation",
            "2025-13-01",
            "2024-01-01",
            "",
            "",
            "no",
        ],
        [
            "makassar",
            "Bad focus",
            "en",
            "x",
            "civic_social,smart_stuff",
            "started",
            "2025-01-01",
            "2024-01-01",
            "",
            "",
            "no",
        ],
        ["atlantis", "Unknown city", "en", "x", "civic_social", "preparation", "", "", "", "", "no"],
    ]
    outcome = importers.import_file(network.secretariat, "projects", _csv(rows))
    assert not outcome.ok and outcome.count == 0
    lines = {e.line: " ".join(e.messages) for e in outcome.errors}
    assert set(lines) == {3, 4, 5, 6}
    assert "budget_currency" in lines[3] and "XYZ" in lines[3]
    assert "start_date" in lines[4] and "YYYY-MM-DD" in lines[4]
    assert "focus_areas" in lines[5] and "smart_stuff" in lines[5] and "status" in lines[5]
    assert "end_date" in lines[5]  # the end before the start
    assert "city" in lines[6]
    assert not Project.objects.exists()
    assert not ActivityLog.objects.exists()


def test_valid_file_imports_every_row_and_logs_it(network):
    second = [
        "banyuwangi",
        "Smart Kampung",
        "id",
        "Layanan desa.",
        "civic_social,industry_innovation",
        "completion",
        "2016-01-01",
        "2022-12-31",
        "30000000000",
        "IDR",
        "yes",
    ]
    outcome = importers.import_file(network.secretariat, "projects", _csv([GOOD, second]))
    assert outcome.ok and outcome.count == 2, outcome.errors
    project = Project.objects.get(title="Smart Kampung")
    assert project.city == network.banyuwangi and project.budget_currency == "IDR" and project.published
    assert sorted(project.focus_areas.values_list("code", flat=True)) == [
        "civic_social",
        "industry_innovation",
    ]
    assert project.slug.startswith("banyuwangi-")
    assert ActivityLog.objects.filter(action="import").count() == 2
    # Re-importing with the slug updates instead of duplicating.
    update = [[project.slug, *second[:1], "Smart Kampung 2.0", *second[2:]]]
    outcome = importers.import_file(network.secretariat, "projects", _csv(update, ["slug", *HEADER]))
    assert outcome.ok, outcome.errors
    assert Project.objects.filter(title__startswith="Smart Kampung").count() == 1
    assert Project.objects.get(slug=project.slug).title == "Smart Kampung 2.0"


def test_xlsx_is_read_too(network):
    data = tablib.Dataset(headers=HEADER)
    data.append(GOOD)
    upload = SimpleUploadedFile("projects.xlsx", data.export("xlsx"))
    outcome = importers.import_file(network.makassar_officer.user, "projects", upload)
    assert outcome.ok, outcome.errors
    assert Project.objects.get().created_by == network.makassar_officer.user


def test_officer_imports_only_for_own_city(network):
    rows = [
        GOOD,
        [
            "da-nang",
            "Digital map",
            "vi",
            "Bản đồ số",
            "civic_social",
            "implementation",
            "2020-01-01",
            "2025-12-31",
            "60000000000",
            "VND",
            "yes",
        ],
    ]
    outcome = importers.import_file(network.makassar_officer.user, "projects", _csv(rows))
    assert not outcome.ok
    assert [e.line for e in outcome.errors] == [3]
    assert "you may not" in " ".join(outcome.errors[0].messages)
    assert not Project.objects.exists()


def test_missing_columns_and_unreadable_files_are_explained(network):
    outcome = importers.import_file(network.secretariat, "projects", _csv([["x"]], ["title"]))
    assert not outcome.ok and "Missing columns" in outcome.problem
    junk = SimpleUploadedFile("projects.xlsx", b"not a spreadsheet")
    outcome = importers.import_file(network.secretariat, "projects", junk)
    assert not outcome.ok and outcome.problem


def test_import_page_shows_every_bad_row(network, client_for):
    rows = [
        GOOD,
        ["makassar", "Bad currency", "en", "x", "civic_social", "preparation", "", "", "1", "ABC", "yes"],
        ["makassar", "", "en", "x", "civic_social", "preparation", "", "", "", "", "yes"],
    ]
    response = client_for(network.secretariat).post("/projects/import/", {"file": _csv(rows)})
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        'id="import-errors"' in body
        and "ABC" in body
        and "Nothing was imported: 2 rows have problems." in body
    )
    assert not Project.objects.exists()


OFFER_HEADER = ["organisation", "title", "language", "description", "focus_areas", "deployed_in", "published"]


def test_company_imports_offers_of_its_own_company_only(network):
    own = network.company_person.organisation.slug
    other = _csv(
        [
            [own, "Watch-over", "ja", "見守り", "health_wellbeing", "JP,TH", "yes"],
            ["organisation-x", "Not ours", "en", "x", "civic_social", "", "yes"],
            [own, "Bad country", "en", "x", "civic_social", "JP,ZZ", "yes"],
        ],
        OFFER_HEADER,
    )
    from tests.factories import OrganisationFactory

    OrganisationFactory(slug="organisation-x", kind="company")
    outcome = importers.import_file(network.company_person.user, "offers", other)
    assert not outcome.ok
    assert {e.line for e in outcome.errors} == {3, 4}
    assert not Offer.objects.exists()
    good = _csv([[own, "Watch-over", "ja", "見守り", "health_wellbeing", "JP, TH", "yes"]], OFFER_HEADER)
    outcome = importers.import_file(network.company_person.user, "offers", good)
    assert outcome.ok, outcome.errors
    assert Offer.objects.get().deployed_in == "JP,TH"


def test_template_download(client):
    response = client.get("/imports/projects-template.csv")
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0].startswith("slug,city,title")


def test_importing_the_same_file_twice_changes_nothing_and_says_so(network, client_for):
    with_ids = ["external_id", *HEADER]
    rows = [["MKS-001", *GOOD], ["MKS-002", *GOOD[:1], "Smart lighting", *GOOD[2:]]]
    first = importers.import_file(network.secretariat, "projects", _csv(rows, with_ids))
    assert first.ok and (first.created, first.updated, first.unchanged) == (2, 0, 0), first.errors
    again = importers.import_file(network.secretariat, "projects", _csv(rows, with_ids))
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2), again.errors
    assert Project.objects.count() == 2
    # A changed row updates the project its external id names, even with a new title.
    rows[1][2] = "Smart street lighting"
    third = importers.import_file(network.secretariat, "projects", _csv(rows, with_ids))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert Project.objects.get(external_id="MKS-002").title == "Smart street lighting"
    # A file without ids, imported twice, does not duplicate either (same city, same title).
    plain = [[*GOOD[:1], "Canal cleaning robots", *GOOD[2:]]]
    importers.import_file(network.secretariat, "projects", _csv(plain))
    repeat = importers.import_file(network.secretariat, "projects", _csv(plain))
    assert (repeat.created, repeat.unchanged) == (0, 1) and Project.objects.count() == 3
    # The page says what happened.
    upload = _csv(rows, with_ids)
    response = client_for(network.secretariat).post("/projects/import/", {"file": upload}, follow=True)
    assert "0 created, 0 updated, 2 unchanged" in response.content.decode()
