"""The public tracker: status per meeting, per country and across years; no N+1 queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.followup import services
from ascnhub.followup.models import StatusUpdate
from tests.factories import OrganisationFactory
from tests.followup.factories import (
    CommitmentFactory,
    OutcomeDocumentFactory,
    RecommendationFactory,
    make_meeting,
)

pytestmark = pytest.mark.django_db


def _grow(network, n_docs: int, n_recs: int, n_commitments: int):
    partner = OrganisationFactory(kind="partner_government")
    for d in range(n_docs):
        doc = OutcomeDocumentFactory(meeting=make_meeting(f"m-{n_docs}-{d}", 2019 + d))
        for r in range(n_recs):
            rec = RecommendationFactory(document=doc, number=r + 1)
            for i in range(n_commitments):
                kind = ("member_state", "city", "organisation")[i % 3]
                target = {"member_state": network.indonesia, "city": network.danang, "organisation": partner}[
                    kind
                ]
                c = CommitmentFactory(recommendation=rec, party_kind=kind, **{kind: target})
                StatusUpdate.objects.create(commitment=c, status="in_progress", progress=10, note="n")


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/outcomes/", "/outcomes/?country=ID", "/outcomes/by-country/"])
def test_list_pages_make_the_same_number_of_queries_for_few_and_many_rows(network, client_for, url):
    client = client_for(None)
    _grow(network, 1, 1, 1)
    few = _count(client, url)
    _grow(network, 3, 4, 6)
    assert _count(client, url) == few


def test_my_commitments_page_query_count(network, client_for):
    client = client_for(network.indonesia_nr.user)
    _grow(network, 1, 1, 2)
    few = _count(client, "/outcomes/mine/")
    _grow(network, 2, 3, 5)
    assert _count(client, "/outcomes/mine/") == few


def test_document_page_query_count(network, client_for):
    doc = OutcomeDocumentFactory()
    rec = RecommendationFactory(document=doc, number=1)
    CommitmentFactory(recommendation=rec, member_state=network.indonesia)
    client = client_for(None)
    few = _count(client, doc.get_absolute_url())
    for n in range(2, 6):
        r = RecommendationFactory(document=doc, number=n)
        for _ in range(4):
            CommitmentFactory(recommendation=r, party_kind="city", city=network.makassar)
    assert _count(client, doc.get_absolute_url()) == few


def test_status_per_meeting_country_and_year(network, client_for):
    old = OutcomeDocumentFactory(meeting=make_meeting("hlm-2020", 2020, "HLM 2020"))
    new = OutcomeDocumentFactory(meeting=make_meeting("hlm-2021", 2021, "HLM 2021"))
    r_old = RecommendationFactory(document=old, number=1, title="Launch the support programme")
    r_new = RecommendationFactory(
        document=new, number=1, title="Write the guidebook together", carried_from=r_old
    )
    CommitmentFactory(recommendation=r_new, member_state=network.indonesia, status="completed", progress=100)
    CommitmentFactory(
        recommendation=r_new,
        party_kind="city",
        member_state=None,
        city=network.danang,
        status="in_progress",
        progress=50,
    )
    client = client_for(None)
    everything = client.get("/outcomes/").content.decode()
    assert "Launch the support programme" in everything and "Write the guidebook together" in everything
    assert "carried over from 2020" in everything and "carried over into 2021" in everything
    indonesia = client.get("/outcomes/?country=ID").content.decode()
    assert "Showing the commitments of Indonesia" in indonesia
    row = indonesia[indonesia.index("Write the guidebook together") :]
    assert "st-completed" in row[:600] and "Da Nang" not in row
    vietnam = client.get("/outcomes/?country=VN").content.decode()
    assert "Da Nang" in vietnam and "st-in_progress" in vietnam
    year = client.get("/outcomes/?year=2020").content.decode()
    assert "Launch the support programme" in year and "Write the guidebook together" not in year
    completed = client.get("/outcomes/?status=completed&country=ID").content.decode()
    assert "Write the guidebook together" in completed and "Launch the support programme" not in completed
    matrix = client.get("/outcomes/by-country/").content.decode()
    assert "Indonesia" in matrix and "st-completed" in matrix


def test_a_recommendation_shows_its_chain_across_years(network, client_for):
    docs = [
        OutcomeDocumentFactory(meeting=make_meeting(f"hlm-{y}", y, f"HLM {y}")) for y in (2020, 2021, 2022)
    ]
    r1 = RecommendationFactory(document=docs[0], number=1, title="Hold the meeting every year")
    r2 = RecommendationFactory(
        document=docs[1], number=4, title="Hold the meeting continuously", carried_from=r1
    )
    r3 = RecommendationFactory(document=docs[2], number=3, title="Continue the meeting", carried_from=r2)
    assert services.recommendation_chain(r2) == [r1, r2, r3]
    page = client_for(None).get(r2.get_absolute_url()).content.decode()
    assert "Across the years" in page
    chain = page[page.index("Across the years") :]
    assert chain.index("HLM 2020") < chain.index("HLM 2021") < chain.index("HLM 2022")


def test_carry_over_must_come_from_an_earlier_meeting(network):
    from django.core.exceptions import ValidationError

    later = OutcomeDocumentFactory(meeting=make_meeting("later", 2023))
    earlier = OutcomeDocumentFactory(meeting=make_meeting("earlier", 2021))
    r_later = RecommendationFactory(document=later, number=1)
    r = RecommendationFactory.build(document=earlier, number=1, carried_from=r_later)
    with pytest.raises(ValidationError, match="earlier meeting"):
        r.full_clean()


def test_rollup_statuses():
    from ascnhub.followup.models import Commitment

    today = datetime.date(2025, 1, 1)

    def c(status, due="2030-01-01", progress=0):
        return Commitment(status=status, due_date=datetime.date.fromisoformat(due), progress=progress)

    assert services.Rollup([], today).status == "none"
    assert services.Rollup([c("planned")], today).status == "planned"
    assert services.Rollup([c("completed", progress=100), c("planned")], today).status == "in_progress"
    assert services.Rollup([c("completed"), c("dropped")], today).status == "completed"
    assert services.Rollup([c("completed"), c("planned", due="2024-01-01")], today).status == "overdue"
    assert services.Rollup([c("delayed"), c("in_progress")], today).status == "delayed"


def test_commitments_as_open_data_csv(network, client_for):
    import csv
    import io

    rec = RecommendationFactory(title="A joint planning guidebook")
    c = CommitmentFactory(
        recommendation=rec,
        party_kind="city",
        member_state=None,
        city=network.danang,
        description="Add Da Nang's examples, “quoted”",
        due_date=datetime.date(2022, 1, 31),
    )
    StatusUpdate.objects.create(commitment=c, status="in_progress", progress=20, note="n")
    hidden = OutcomeDocumentFactory(published=False)
    CommitmentFactory(recommendation=RecommendationFactory(document=hidden), member_state=network.indonesia)
    client = client_for(None)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/outcomes/commitments.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["party"] == "Da Nang" and row["country"] == "VN" and row["overdue"] == "yes"
    assert row["commitment"] == "Add Da Nang's examples, “quoted”"
    assert row["recommendation"] == "A joint planning guidebook"
    assert row["url"].endswith(f"/outcomes/commitments/{c.public_id}/") and row["last_update"]
    few = len(ctx)
    for _ in range(5):
        CommitmentFactory(recommendation=rec, member_state=network.vietnam)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/outcomes/commitments.csv")
    assert len(ctx) == few
