"""Outcome documents authored on the site and reviewed before publishing, tested through the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches

from ascnhub.followup.models import OutcomeDocument, OutcomeRevision, Recommendation, RevisionEvent
from ascnhub.notices.models import Notification
from tests.factories import secretariat_user
from tests.followup.factories import (
    CommitmentFactory,
    OutcomeDocumentFactory,
    RecommendationFactory,
    make_meeting,
)

pytestmark = pytest.mark.django_db


def _form(recs: list[dict], **head) -> dict:
    data = {
        "title": "Chair's Statement of the 7th ASCN Annual Meeting",
        "adopted_on": "2024-10-18",
        "summary": "The network met in Viet Nam.",
        "source_url": "",
        "rec-TOTAL_FORMS": str(len(recs) + 1),
        "rec-INITIAL_FORMS": "0",
        "rec-MIN_NUM_FORMS": "0",
        "rec-MAX_NUM_FORMS": "1000",
        **head,
    }
    for i, r in enumerate(recs):
        for key, value in r.items():
            data[f"rec-{i}-{key}"] = value
    return data


RECS = [
    {"number": "1", "title": "Smart mobility", "text": "Cities share their bus data."},
    {"number": "2", "title": "Guidebook", "text": "Publish the ASCN guidebook in all languages."},
]


@pytest.fixture
def desk(network):
    meeting = make_meeting("acm-2024", 2024, "7th ASCN Annual Meeting")
    return network, meeting, secretariat_user()


def _draft(client, meeting, recs=RECS, **head):
    return client.post("/outcomes/drafts/new/", _form(recs, meeting=str(meeting.pk), **head))


def test_a_draft_is_reviewed_by_another_member_then_published(desk, client_for):
    net, meeting, reviewer = desk
    author = client_for(net.secretariat)
    response = _draft(author, meeting)
    revision = OutcomeRevision.objects.get()
    assert response.status_code == 302 and response["Location"] == revision.get_absolute_url()
    doc = revision.document
    assert not doc.published and not doc.recommendations.exists()

    # Invisible to the public, to cities and to the API while it is a draft.
    anonymous = client_for(None)
    assert anonymous.get("/outcomes/meetings/acm-2024/").status_code == 404
    assert client_for(net.makassar_officer.user).get("/outcomes/meetings/acm-2024/").status_code == 404
    assert "7th ASCN Annual Meeting" not in anonymous.get("/outcomes/").content.decode()
    assert "7th ASCN" not in anonymous.get("/api/v1/outcomes").content.decode()

    assert author.post(f"/outcomes/revisions/{revision.public_id}/submit/").status_code == 302
    revision.refresh_from_db()
    assert revision.state == "in_review"
    # The other secretariat member is told; the author is not.
    assert Notification.objects.filter(user=reviewer, kind="outcome_review").count() == 1
    assert not Notification.objects.filter(user=net.secretariat).exists()

    # The author cannot approve their own revision: no review form, and the POST is refused.
    page = author.get(revision.get_absolute_url()).content.decode()
    assert "Record the decision" not in page and "Waiting for another member" in page
    assert (
        author.post(f"/outcomes/revisions/{revision.public_id}/review/", {"decision": "approve"}).status_code
        == 403
    )
    revision.refresh_from_db()
    assert revision.state == "in_review" and not OutcomeDocument.objects.get().published

    other = client_for(reviewer)
    assert "Record the decision" in other.get(revision.get_absolute_url()).content.decode()
    response = other.post(f"/outcomes/revisions/{revision.public_id}/review/", {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == "/outcomes/meetings/acm-2024/"
    caches["pages"].clear()  # anonymous pages are cached 15 s: skip the wait
    doc.refresh_from_db()
    assert doc.published and doc.title == "Chair's Statement of the 7th ASCN Annual Meeting"
    assert list(doc.recommendations.values_list("number", "title")) == [
        (1, "Smart mobility"),
        (2, "Guidebook"),
    ]
    public = anonymous.get("/outcomes/meetings/acm-2024/").content.decode()
    assert "Publish the ASCN guidebook in all languages." in public
    assert "7th ASCN Annual Meeting" in anonymous.get("/outcomes/").content.decode()
    assert "Guidebook" in anonymous.get("/api/v1/outcomes").content.decode()
    assert Notification.objects.filter(user=net.secretariat, kind="outcome_review").count() == 1
    assert list(revision.events.values_list("action", "actor")) == [
        ("created", net.secretariat.pk),
        ("submitted", net.secretariat.pk),
        ("approved", reviewer.pk),
    ]


def test_a_returned_revision_carries_the_comments_and_publishes_nothing(desk, client_for):
    net, meeting, reviewer = desk
    author = client_for(net.secretariat)
    _draft(author, meeting)
    revision = OutcomeRevision.objects.get()
    author.post(f"/outcomes/revisions/{revision.public_id}/submit/")
    other = client_for(reviewer)
    # Returning needs a comment; without one nothing changes and the reason is shown.
    refused = other.post(f"/outcomes/revisions/{revision.public_id}/review/", {"decision": "return"})
    assert refused.status_code == 400 and "Say what should change" in refused.content.decode()
    revision.refresh_from_db()
    assert revision.state == "in_review"
    other.post(
        f"/outcomes/revisions/{revision.public_id}/review/",
        {"decision": "return", "comment": "Recommendation 2 must name the languages."},
    )
    revision.refresh_from_db()
    assert revision.state == "returned" and not revision.document.published
    page = author.get(revision.get_absolute_url()).content.decode()
    assert "returned with comments" in page and "Recommendation 2 must name the languages." in page
    history = author.get("/outcomes/meetings/acm-2024/history/").content.decode()
    assert "Recommendation 2 must name the languages." in history
    assert Notification.objects.filter(user=net.secretariat, text__contains="returned").exists()

    # The author edits the same revision (it becomes a draft again) and resubmits.
    edited = [RECS[0], {**RECS[1], "text": "Publish the guidebook in English, Bahasa and Japanese."}]
    response = author.post("/outcomes/meetings/acm-2024/edit/", _form(edited))
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.state == "draft" and OutcomeRevision.objects.count() == 1
    assert revision.recommendations[1]["text"].startswith("Publish the guidebook in English")


def test_editing_a_published_document_makes_a_new_draft_and_keeps_it_published(desk, client_for):
    net, meeting, reviewer = desk
    doc = OutcomeDocumentFactory(meeting=meeting, title="Chair's Statement 2024", published=True)
    rec = RecommendationFactory(document=doc, number=1, title="Smart mobility", text="Old text.")
    CommitmentFactory(recommendation=rec, member_state=net.indonesia)
    author = client_for(net.secretariat)
    form = author.get("/outcomes/meetings/acm-2024/edit/").content.decode()
    assert "Old text." in form  # the live content to start from
    recs = [{"number": "1", "title": "Smart mobility", "text": "New text."}, RECS[1]]
    assert (
        author.post(
            "/outcomes/meetings/acm-2024/edit/", _form(recs, title="Chair's Statement 2024")
        ).status_code
        == 302
    )
    revision = OutcomeRevision.objects.get()
    assert revision.number == 1 and revision.state == "draft"
    caches["pages"].clear()
    public = client_for(None).get("/outcomes/meetings/acm-2024/").content.decode()
    assert "Old text." in public and "New text." not in public
    doc.refresh_from_db()
    assert doc.published

    # Dropping a recommendation that has commitments is refused, naming it; nothing is saved.
    response = author.post("/outcomes/meetings/acm-2024/edit/", _form([RECS[1] | {"number": "2"}]))
    assert (
        response.status_code == 400
        and "Recommendation 1 already has commitments" in response.content.decode()
    )
    revision.refresh_from_db()
    assert revision.recommendations[0]["text"] == "New text."

    author.post(f"/outcomes/revisions/{revision.public_id}/submit/")
    # In review, the draft cannot be edited.
    assert author.get("/outcomes/meetings/acm-2024/edit/").status_code == 302
    client_for(reviewer).post(f"/outcomes/revisions/{revision.public_id}/review/", {"decision": "approve"})
    rec.refresh_from_db()
    assert rec.text == "New text." and rec.commitments.count() == 1  # same row: commitments kept
    assert doc.recommendations.count() == 2

    # The next edit opens revision 2.
    author.post("/outcomes/meetings/acm-2024/edit/", _form(recs, title="Chair's Statement 2024 (corrected)"))
    assert list(doc.revisions.values_list("number", "state")) == [(2, "draft"), (1, "approved")]
    doc.refresh_from_db()
    assert doc.published and doc.title == "Chair's Statement 2024"


def test_bad_drafts_name_the_row_and_write_nothing(desk, client_for):
    net, meeting, _ = desk
    author = client_for(net.secretariat)
    duplicate = [RECS[0], {**RECS[1], "number": "1"}]
    response = _draft(author, meeting, duplicate)
    assert response.status_code == 400 and "Two recommendations are numbered 1." in response.content.decode()
    missing = [RECS[0], {"number": "2", "title": "Guidebook", "text": ""}]
    response = _draft(author, meeting, missing)
    assert response.status_code == 400 and "Row 2, Text:" in response.content.decode()
    later = OutcomeDocumentFactory(
        meeting=make_meeting("acm-2025", 2025), adopted_on=datetime.date(2025, 10, 1), published=True
    )
    future = RecommendationFactory(document=later, number=1)
    carried = [{**RECS[0], "carried_from": str(future.public_id)}]
    response = _draft(author, meeting, carried)
    assert response.status_code == 400 and "Recommendation 1 carries over one" in response.content.decode()
    assert not OutcomeRevision.objects.exists()
    assert not OutcomeDocument.objects.filter(meeting=meeting).exists()
    assert not RevisionEvent.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "makassar_officer", "indonesia_nr", "company_person"])
def test_only_the_secretariat_drafts_and_reviews(desk, client_for, who):
    net, meeting, reviewer = desk
    _draft(client_for(net.secretariat), meeting)
    revision = OutcomeRevision.objects.get()
    client_for(net.secretariat).post(f"/outcomes/revisions/{revision.public_id}/submit/")
    user = None if who == "anonymous" else getattr(net, who).user
    client = client_for(user)
    base = f"/outcomes/revisions/{revision.public_id}/"
    responses = [
        client.get("/outcomes/drafts/"),
        client.get("/outcomes/drafts/new/"),
        client.post("/outcomes/drafts/new/", _form(RECS, meeting=str(meeting.pk))),
        client.get(base),
        client.post(base + "submit/"),
        client.post(base + "review/", {"decision": "approve"}),
        client.get("/outcomes/meetings/acm-2024/edit/"),
        client.get("/outcomes/meetings/acm-2024/history/"),
    ]
    for response in responses:
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.state == "in_review" and not revision.document.published
    assert OutcomeRevision.objects.count() == 1 and not Recommendation.objects.exists()


def test_the_admin_is_no_way_round_the_review(network, client_for, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        email="root@test.example", password="pw-for-tests-1"
    )
    doc = OutcomeDocumentFactory(title="Published words", published=False)
    rec = RecommendationFactory(document=doc, number=1, title="Kept title")
    client = client_for(admin_user)
    assert client.get("/admin/followup/outcomedocument/add/").status_code == 403
    assert client.get("/admin/followup/recommendation/add/").status_code == 403
    client.post(
        f"/admin/followup/outcomedocument/{doc.pk}/change/",
        {
            "title": "Changed in the admin",
            "published": "on",
            "adopted_on": "2021-10-19",
            "meeting": doc.meeting_id,
        },
    )
    doc.refresh_from_db()
    rec.refresh_from_db()
    assert doc.title == "Published words" and not doc.published and rec.title == "Kept title"
    page = client.get(f"/admin/followup/outcomedocument/{doc.pk}/change/").content.decode()
    assert "Published words" in page and 'name="title"' not in page
