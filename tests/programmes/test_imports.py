"""Imports of studies, agreements with items, item updates, action-plan items and fundings:
all or nothing, every problem named by line and column."""

from __future__ import annotations

import csv
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from ascnhub.programmes import imports
from ascnhub.programmes.models import ActionPlanItem, Agreement, CooperationItem, ItemUpdate, Study
from ascnhub.projects.models import Funding

pytestmark = pytest.mark.django_db


def _csv(header: list[str], rows: list[list[str]], name: str = "rows.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def _xlsx(header: list[str], rows: list[list[str]]) -> SimpleUploadedFile:
    data = tablib.Dataset(*rows, headers=header)
    return SimpleUploadedFile("rows.xlsx", data.export("xlsx"), content_type="application/octet-stream")


STUDY_HEADER = [
    "programme",
    "title",
    "theme",
    "fiscal_year",
    "cities",
    "consortium",
    "kickoff_date",
    "projects",
]


def _errors(outcome) -> set[tuple[int, str]]:
    return {(e.line, e.field) for e in outcome.errors}


def test_studies_import_from_xlsx(progs, client_for):
    upload = _xlsx(
        STUDY_HEADER,
        [
            [
                "test-jamp",
                "Flood sensors",
                "Water",
                "2023",
                "Makassar, banyuwangi",
                "kaizen-consulting",
                "2023-06-01",
                "",
            ]
        ],
    )
    response = client_for(progs.net.secretariat).post("/programmes/import/studies/", {"file": upload})
    assert response.status_code == 200 and "1 record imported" in response.content.decode()
    study = Study.objects.get(title="Flood sensors")
    assert {c.slug for c in study.cities.all()} == {progs.net.makassar.slug, progs.net.banyuwangi.slug}


def test_one_bad_study_row_writes_nothing_and_each_problem_names_its_line_and_column(progs, network):
    rows = [
        ["test-jamp", "Good study", "Mobility", "2024", "makassar", "", "", ""],
        ["test-jamp", "Smart bus shelters", "Public transport", "2021", "makassar", "", "", ""],  # duplicate
        ["test-jamp", "Lost study", "Mobility", "2024", "Atlantis", "", "", ""],  # unknown city
        ["nope", "Other", "Mobility", "20x4", "makassar", "ghost-org", "1 May", "no-such-project"],
        ["test-jamp", "Twice", "Mobility", "2024", "makassar", "", "", ""],
        ["test-jamp", "Twice", "Mobility", "2024", "makassar", "", "", ""],
    ]
    before = Study.objects.count()
    outcome = imports.import_file(network.secretariat, "studies", _csv(STUDY_HEADER, rows))
    assert not outcome.ok and outcome.count == 0
    assert _errors(outcome) == {
        (3, "title"),
        (4, "cities"),
        (5, "programme"),
        (5, "fiscal_year"),
        (5, "consortium"),
        (5, "kickoff_date"),
        (5, "projects"),
        (7, "title"),
    }
    messages = " ".join(e.message for e in outcome.errors)
    assert "Duplicate study" in messages and "Unknown city “Atlantis”" in messages
    assert Study.objects.count() == before and not Study.objects.filter(title="Good study").exists()


AGREEMENT_HEADER = [
    "agreement",
    "kind",
    "signed_on",
    "cities",
    "organisations",
    "item_number",
    "item_title",
    "item_projects",
]


def test_agreements_with_items_are_grouped_by_agreement(progs, network):
    rows = [
        ["Da Nang MoU", "mou", "2024-02-01", "da-nang", "kaizen-consulting", "1", "Data platform", ""],
        ["Da Nang MoU", "mou", "2024-02-01", "da-nang", "kaizen-consulting", "2", "Training", ""],
    ]
    outcome = imports.import_file(network.secretariat, "agreements", _csv(AGREEMENT_HEADER, rows))
    assert outcome.ok, outcome.errors
    agreement = Agreement.objects.get(title="Da Nang MoU")
    assert list(agreement.items.values_list("number", "title")) == [(1, "Data platform"), (2, "Training")]


def test_a_repeated_item_number_or_unknown_project_refuses_the_whole_agreement(progs, network):
    rows = [
        ["Da Nang MoU", "mou", "2024-02-01", "da-nang", "", "1", "Data platform", ""],
        ["Da Nang MoU", "mou", "2024-02-01", "da-nang", "", "1", "Training", "no-such-project"],
    ]
    outcome = imports.import_file(network.secretariat, "agreements", _csv(AGREEMENT_HEADER, rows))
    assert _errors(outcome) == {(3, "item_number"), (3, "item_projects")}
    assert not Agreement.objects.filter(title="Da Nang MoU").exists()


def test_an_update_of_an_item_that_does_not_exist_writes_nothing(progs, network):
    header = ["agreement", "item_number", "date", "status", "note"]
    rows = [
        [progs.mou.slug, "1", "2023-01-10", "in_progress", "Started."],
        [progs.mou.slug, "7", "2023-01-10", "done", "Ghost item."],
    ]
    outcome = imports.import_file(network.secretariat, "item-updates", _csv(header, rows))
    assert _errors(outcome) == {(3, "item_number")}
    assert "has no item 7" in outcome.errors[0].message
    assert not ItemUpdate.objects.exists()
    assert CooperationItem.objects.get(agreement=progs.mou, number=1).status == "planned"


FUNDING_HEADER = ["project", "source", "amount", "currency", "status"]


def test_a_currency_that_is_not_iso_4217_refuses_the_funding_import(progs, network):
    rows = [
        [progs.project.slug, "kaizen-consulting", "100000", "USD", "committed"],
        [progs.project.slug, "kaizen-consulting", "5000", "XYZ", "pledged"],
        [progs.project.slug, "kaizen-consulting", "-3", "usd", "maybe"],
    ]
    outcome = imports.import_file(network.secretariat, "fundings", _csv(FUNDING_HEADER, rows))
    assert _errors(outcome) == {(3, "currency"), (4, "amount"), (4, "status")}
    assert "“XYZ” is not an ISO 4217 currency code" in outcome.errors[0].message
    assert not Funding.objects.exists()
    good = imports.import_file(network.secretariat, "fundings", _csv(FUNDING_HEADER, rows[:1]))
    assert good.ok and Funding.objects.get().amount == 100000


PLAN_HEADER = ["city", "code", "title", "projects"]


def test_an_officer_imports_only_their_own_citys_action_plan(progs, network, client_for):
    own = [["makassar", "M-1", "Bus shelters", progs.project.slug]]
    officer = network.makassar_officer.user
    outcome = imports.import_file(officer, "action-plan", _csv(PLAN_HEADER, own))
    assert outcome.ok
    item = ActionPlanItem.objects.get(code="M-1")
    assert list(item.projects.all()) == [progs.project]
    other = [["makassar", "M-2", "Parking", ""], ["da-nang", "D-1", "Someone else's plan", ""]]
    outcome = imports.import_file(officer, "action-plan", _csv(PLAN_HEADER, other))
    assert _errors(outcome) == {(3, "city")}
    assert not ActionPlanItem.objects.filter(code__in=["M-2", "D-1"]).exists()
    # A project of another city cannot carry this city's plan item.
    wrong = [["da-nang", "D-1", "Map", progs.project.slug]]
    outcome = imports.import_file(network.secretariat, "action-plan", _csv(PLAN_HEADER, wrong))
    assert _errors(outcome) == {(2, "projects")}


def test_import_pages_are_for_those_who_may_import(progs, client_for):
    anonymous = client_for(None).get("/programmes/import/studies/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in [progs.net.makassar_officer.user, progs.net.company_person.user]:
        assert client_for(user).get("/programmes/import/studies/").status_code == 403
        response = client_for(user).post(
            "/programmes/import/studies/",
            {"file": _csv(STUDY_HEADER, [["test-jamp", "Sneaky", "X", "2024", "makassar", "", "", ""]])},
        )
        assert response.status_code == 403
    assert not Study.objects.filter(title="Sneaky").exists()
    assert client_for(progs.net.company_person.user).get("/programmes/import/action-plan/").status_code == 403
    assert (
        client_for(progs.net.makassar_officer.user).get("/programmes/import/action-plan/").status_code == 200
    )
    assert client_for(progs.net.secretariat).get("/programmes/import/nothing/").status_code == 404


def test_a_file_with_missing_or_unknown_columns_is_refused_as_a_whole(progs, network):
    outcome = imports.import_file(network.secretariat, "studies", _csv(["programme", "title"], [["a", "b"]]))
    assert outcome.problem == "Missing columns: cities, fiscal_year, theme."
    outcome = imports.import_file(network.secretariat, "studies", _csv([*STUDY_HEADER, "colour"], []))
    assert outcome.problem.startswith("Unknown columns: colour")
