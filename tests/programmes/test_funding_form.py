"""A project's funding per source, edited on the site as one form: rows named in errors, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import caches

from ascnhub.common.models import ActivityLog
from ascnhub.projects import services
from ascnhub.projects.models import Funding, Project
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _post(rows: list[dict], initial: int = 0, **cost) -> dict:
    data = {
        "funding-TOTAL_FORMS": str(len(rows)),
        "funding-INITIAL_FORMS": str(initial),
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "1000",
        "om_cost_per_year": "",
        "om_cost_currency": "",
        **cost,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"funding-{i}-{key}"] = value
    return data


@pytest.fixture
def funders(world):
    bank = OrganisationFactory(name="Nusa Bank", slug="nusa-bank")
    agency = OrganisationFactory(name="Tokyo Agency", slug="tokyo-agency")
    services.add_funding(
        world.net.secretariat,
        world.public,
        source=bank,
        amount=Decimal("1000000"),
        currency="IDR",
        status="committed",
    )
    return bank, agency


def test_the_city_officer_edits_the_budget_lines_and_the_dashboard_follows(world, funders, client_for):
    bank, agency = funders
    officer = client_for(world.net.makassar_officer.user)
    url = f"/projects/{world.public.slug}/funding/"
    page = officer.get(url).content.decode()
    assert 'value="1000000.00"' in page and "Nusa Bank" in page
    line = Funding.objects.get()
    rows = [
        {
            "public_id": str(line.public_id),
            "source": "nusa-bank",
            "amount": "1500000",
            "currency": "idr",
            "status": "committed",
        },
        {
            "source": "tokyo-agency",
            "amount": "80000",
            "currency": "JPY",
            "status": "pledged",
            "description": "FY2025",
        },
        {"source": "", "amount": "", "currency": "", "status": "pledged"},  # the empty row offered
    ]
    response = officer.post(url, _post(rows, initial=1, om_cost_per_year="12000", om_cost_currency="usd"))
    assert response.status_code == 302 and response["Location"].endswith("#funding")
    lines = {
        (f.source.slug, f.amount, f.currency, f.status) for f in Funding.objects.select_related("source")
    }
    assert lines == {
        ("nusa-bank", Decimal("1500000.00"), "IDR", "committed"),
        ("tokyo-agency", Decimal("80000.00"), "JPY", "pledged"),
    }
    assert Funding.objects.get(source=bank).public_id == line.public_id  # the same line, updated
    project = Project.objects.get(pk=world.public.pk)
    assert project.om_cost_per_year == Decimal("12000") and project.om_cost_currency == "USD"
    caches["pages"].clear()
    detail = client_for(None).get(f"/projects/{world.public.slug}/").content.decode()
    assert "1,500,000 IDR" in detail and "80,000 JPY" in detail and "12,000 USD" in detail
    dashboard = client_for(None).get("/programmes/funding/").content.decode()
    assert "Tokyo Agency" in dashboard and "1,500,000" in dashboard and "80,000" in dashboard

    # Removing a line (ticked "remove") deletes it.
    rows[1]["public_id"] = str(Funding.objects.get(source=agency).public_id)
    rows[1]["DELETE"] = "on"
    officer.post(url, _post(rows[:2], initial=2, om_cost_per_year="12000", om_cost_currency="USD"))
    assert list(Funding.objects.values_list("source__slug", flat=True)) == ["nusa-bank"]


@pytest.mark.parametrize(
    ("row", "named"),
    [
        ({"currency": "EURO"}, "Row 2, currency: “EURO” is not a current ISO 4217 currency code"),
        ({"amount": "-5"}, "Row 2, amount:"),
        ({"amount": "0"}, "Row 2, amount:"),
        (
            {"source": "nusa-bank", "currency": "IDR", "status": "committed"},
            "Row 1 already gives this source",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(world, funders, client_for, row, named):
    line = Funding.objects.get()
    rows = [
        {
            "public_id": str(line.public_id),
            "source": "nusa-bank",
            "amount": "2",
            "currency": "IDR",
            "status": "committed",
        },
        {"source": "tokyo-agency", "amount": "80000", "currency": "JPY", "status": "pledged", **row},
    ]
    before = list(Funding.objects.values_list("source_id", "amount", "currency", "status"))
    logs = ActivityLog.objects.count()
    response = client_for(world.net.secretariat).post(
        f"/projects/{world.public.slug}/funding/",
        _post(rows, initial=1, om_cost_per_year="5", om_cost_currency="USD"),
    )
    body = response.content.decode()
    assert response.status_code == 400 and named in body and "nothing was saved" in body
    assert list(Funding.objects.values_list("source_id", "amount", "currency", "status")) == before
    assert Project.objects.get(pk=world.public.pk).om_cost_per_year is None
    assert ActivityLog.objects.count() == logs


def test_an_operation_cost_without_a_currency_is_refused(world, funders, client_for):
    response = client_for(world.net.secretariat).post(
        f"/projects/{world.public.slug}/funding/", _post([], om_cost_per_year="100")
    )
    assert response.status_code == 400 and "Give the currency of the operation and maintenance cost." in (
        response.content.decode()
    )
    assert Project.objects.get(pk=world.public.pk).om_cost_per_year is None


@pytest.mark.parametrize("who", ["anonymous", "danang_officer", "company_person", "vietnam_nr"])
def test_others_cannot_edit_the_funding(world, funders, client_for, who):
    user = None if who == "anonymous" else getattr(world.net, who).user
    client = client_for(user)
    url = f"/projects/{world.public.slug}/funding/"
    rows = [{"source": "tokyo-agency", "amount": "1", "currency": "JPY", "status": "pledged"}]
    for response in (client.get(url), client.post(url, _post(rows))):
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403
    assert list(Funding.objects.values_list("source__slug", flat=True)) == ["nusa-bank"]
    # A draft project of another city does not even exist for them.
    if who == "danang_officer":
        assert client.get(f"/projects/{world.draft.slug}/funding/").status_code == 404


def test_two_lines_swap_their_status_in_one_save_and_the_log_shows_before_and_after(
    world, funders, client_for
):
    bank, _agency = funders
    services.add_funding(
        world.net.secretariat,
        world.public,
        source=bank,
        amount=Decimal("300"),
        currency="IDR",
        status="pledged",
    )
    committed = Funding.objects.get(status="committed")
    pledged = Funding.objects.get(status="pledged")
    rows = [
        {"public_id": str(committed.public_id), "source": "nusa-bank", "amount": "1000000", "currency": "IDR",
         "status": "pledged"},
        {"public_id": str(pledged.public_id), "source": "nusa-bank", "amount": "300", "currency": "IDR",
         "status": "committed"},
    ]  # fmt: skip
    response = client_for(world.net.secretariat).post(
        f"/projects/{world.public.slug}/funding/", _post(rows, initial=2)
    )
    assert response.status_code == 302
    assert Funding.objects.get(public_id=committed.public_id).status == "pledged"
    assert Funding.objects.get(public_id=pledged.public_id).status == "committed"
    log = ActivityLog.objects.filter(action="set_fundings").get()
    before, after = log.changes["fundings"]
    assert any("1000000" in line and "Committed" in line for line in before)
    assert any("1000000" in line and "Pledged" in line for line in after)
