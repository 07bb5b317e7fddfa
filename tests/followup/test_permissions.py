"""Who may report on a commitment, tested from the outside: every refused attempt changes nothing."""

from __future__ import annotations

import pytest

from ascnhub.common.models import ActivityLog
from ascnhub.followup.models import ActionItem, Commitment, StatusUpdate
from tests.factories import OrganisationFactory, PersonFactory
from tests.followup.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

UPDATE = {
    "status": "in_progress",
    "progress": "40",
    "note": "Sensors installed in two districts.",
    "evidence_url": "https://example.org/report",
}


@pytest.fixture
def commitments(network):
    partner = OrganisationFactory(kind="partner_government", name="Partner Ministry")
    return {
        "indonesia": CommitmentFactory(party_kind="member_state", member_state=network.indonesia),
        "makassar": CommitmentFactory(party_kind="city", city=network.makassar),
        "partner": CommitmentFactory(party_kind="organisation", organisation=partner),
        "partner_staff": PersonFactory(organisation=partner),
    }


def _unchanged(c: Commitment) -> bool:
    fresh = Commitment.objects.get(pk=c.pk)
    return (
        fresh.status == "planned"
        and fresh.progress == 0
        and not StatusUpdate.objects.exists()
        and not ActionItem.objects.exists()
        and not ActivityLog.objects.exists()
    )


def _attempts(client, c):
    base = f"/outcomes/commitments/{c.public_id}/"
    return [
        client.get(base + "update/"),
        client.post(base + "update/", UPDATE),
        client.post(base + "actions/", {"title": "Train teams", "due_date": "2030-01-01"}),
    ]


@pytest.mark.parametrize("key", ["indonesia", "makassar", "partner"])
def test_anonymous_is_sent_to_sign_in_and_nothing_changes(network, commitments, client_for, key):
    c = commitments[key]
    for response in _attempts(client_for(None), c):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _unchanged(c)


@pytest.mark.parametrize(
    "who,key",
    [
        ("vietnam_nr", "indonesia"),
        ("vietnam_nr", "makassar"),
        ("danang_officer", "makassar"),
        ("banyuwangi_officer", "makassar"),
        ("makassar_officer", "indonesia"),
        ("company_person", "indonesia"),
        ("company_person", "partner"),
        ("indonesia_nr", "partner"),
        ("danang_officer", "partner"),
    ],
)
def test_others_get_403_and_nothing_changes(network, commitments, client_for, who, key):
    c = commitments[key]
    client = client_for(getattr(network, who).user)
    for response in _attempts(client, c):
        assert response.status_code == 403
    assert _unchanged(c)
    assert "Post a status update" not in client.get(c.get_absolute_url()).content.decode()


def test_signed_in_user_without_role_gets_403(network, commitments, client_for):
    c = commitments["indonesia"]
    assert all(r.status_code == 403 for r in _attempts(client_for(network.outsider), c))
    assert _unchanged(c)


@pytest.mark.parametrize(
    "who,key",
    [
        ("indonesia_nr", "indonesia"),
        ("indonesia_nr", "makassar"),
        ("makassar_officer", "makassar"),
        ("partner_staff", "partner"),
        ("secretariat", "makassar"),
    ],
)
def test_those_responsible_report_and_the_change_is_logged(network, commitments, client_for, who, key):
    actor = commitments[who] if who == "partner_staff" else getattr(network, who)
    user = getattr(actor, "user", actor)
    c = commitments[key]
    response = client_for(user).post(f"/outcomes/commitments/{c.public_id}/update/", UPDATE)
    assert response.status_code == 302
    fresh = Commitment.objects.get(pk=c.pk)
    assert fresh.status == "in_progress" and fresh.progress == 40
    update = StatusUpdate.objects.get()
    assert update.author == user and update.previous_status == "planned"
    entry = ActivityLog.objects.get()
    assert entry.actor == user and entry.action == "status_update"
    assert entry.changes["status"] == ["planned", "in_progress"]


def test_nr_may_add_a_commitment_only_for_its_own_country(network, client_for):
    rec = CommitmentFactory(member_state=network.indonesia).recommendation
    client = client_for(network.indonesia_nr.user)
    url = f"/outcomes/recommendations/{rec.public_id}/commit/"
    page = client.get(url).content.decode()
    assert "Indonesia" in page and "Makassar" in page and "Viet Nam" not in page
    bad = client.post(
        url, {"party": f"member_state:{network.vietnam.pk}", "description": "x", "due_date": "2030-01-01"}
    )
    assert bad.status_code == 400 and Commitment.objects.count() == 1
    good = client.post(
        url,
        {
            "party": f"city:{network.banyuwangi.pk}",
            "description": "Open data portal",
            "due_date": "2030-01-01",
        },
    )
    assert good.status_code == 302
    assert Commitment.objects.get(city=network.banyuwangi).description == "Open data portal"
    response = client_for(network.company_person.user).post(
        url, {"party": f"member_state:{network.indonesia.pk}", "description": "x", "due_date": "2030-01-01"}
    )
    assert response.status_code == 403
    assert Commitment.objects.count() == 2


def test_action_items_can_be_added_and_done_by_those_responsible_only(network, commitments, client_for):
    c = commitments["makassar"]
    officer = client_for(network.makassar_officer.user)
    assert (
        officer.post(
            f"/outcomes/commitments/{c.public_id}/actions/",
            {"title": "Train teams", "due_date": "2030-01-01"},
        ).status_code
        == 302
    )
    item = ActionItem.objects.get()
    assert (
        client_for(network.danang_officer.user)
        .post(f"/outcomes/actions/{item.public_id}/done/", {"done": "1"})
        .status_code
        == 403
    )
    assert ActionItem.objects.get().done_on is None
    officer.post(f"/outcomes/actions/{item.public_id}/done/", {"done": "1"})
    assert ActionItem.objects.get().done_on is not None


def test_my_commitments_lists_what_each_person_answers_for(network, commitments, client_for):
    staff = client_for(commitments["partner_staff"].user).get("/outcomes/mine/").content.decode()
    assert commitments["partner"].description in staff and commitments["makassar"].description not in staff
    nr = client_for(network.indonesia_nr.user).get("/outcomes/mine/").content.decode()
    assert commitments["indonesia"].description in nr and commitments["makassar"].description in nr
    assert commitments["partner"].description not in nr
    other = client_for(network.vietnam_nr.user).get("/outcomes/mine/").content.decode()
    assert "You answer for no commitment yet." in other
    assert client_for(None).get("/outcomes/mine/").status_code == 302


def test_a_draft_documents_commitments_do_not_exist_for_outsiders(network, client_for):
    """Under a draft outcome document, the commitment page, its report forms and its evidence
    answer 404 to an anonymous visitor, the committed city's own officer, another city's officer
    and a company, as the draft's own page does; the secretariat sees the commitment."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.followup.factories import OutcomeDocumentFactory, RecommendationFactory

    draft = OutcomeDocumentFactory(published=False)
    c = CommitmentFactory(
        recommendation=RecommendationFactory(document=draft), party_kind="city", city=network.makassar
    )
    update = StatusUpdate.objects.create(
        commitment=c,
        status="in_progress",
        progress=10,
        note="n",
        evidence_file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 draft evidence", "application/pdf"),
    )
    base = f"/outcomes/commitments/{c.public_id}/"
    urls = [base, base + "update/", f"/outcomes/evidence/{update.public_id}/"]
    for user in (
        None,
        network.makassar_officer.user,
        network.danang_officer.user,
        network.company_person.user,
    ):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(base + "update/", UPDATE).status_code == 404
    assert StatusUpdate.objects.count() == 1
    assert client_for(network.secretariat).get(base).status_code == 200
