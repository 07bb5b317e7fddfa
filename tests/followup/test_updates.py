"""Status updates: evidence rules, bad input, history on the public page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ascnhub.common.models import ActivityLog
from ascnhub.followup.models import Commitment, StatusUpdate
from tests.followup.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(network):
    return CommitmentFactory(party_kind="member_state", member_state=network.indonesia)


def _post(client, c, **data):
    payload = {"status": "in_progress", "progress": "30", "note": "Work started.", **data}
    return client.post(f"/outcomes/commitments/{c.public_id}/update/", payload)


@pytest.mark.parametrize(
    "data,message,field",
    [
        ({"progress": "140"}, "less than or equal to 100", "progress"),
        ({"note": ""}, "This field is required", "note"),
        ({"status": "finished"}, "Select a valid choice", "status"),
        ({"evidence_url": "javascript:alert(1)"}, "Enter a valid URL", "evidence_url"),
        (
            {"evidence_file": SimpleUploadedFile("run.exe", b"MZ...", "application/octet-stream")},
            "are not accepted",
            "evidence_file",
        ),
        (
            {
                "evidence_file": SimpleUploadedFile(
                    "report.pdf", b"<html><script>alert(1)</script>", "application/pdf"
                )
            },
            "is not a real PDF file",
            "evidence_file",
        ),
        ({"status": "completed"}, "A completed commitment needs evidence", None),
    ],
)
def test_bad_input_is_named_and_changes_nothing(
    network, client_for, commitment, settings, tmp_path, data, message, field
):
    settings.MEDIA_ROOT = tmp_path
    response = _post(client_for(network.indonesia_nr.user), commitment, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if field:
        assert f'id="id_{field}-errors"' in html
    assert not StatusUpdate.objects.exists() and not ActivityLog.objects.exists()
    assert Commitment.objects.get(pk=commitment.pk).status == "planned"


def test_too_large_evidence_is_refused(network, client_for, commitment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ASCNHUB_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("report.pdf", b"%PDF-1.4 " + b"x" * 2000, "application/pdf")
    response = _post(client_for(network.indonesia_nr.user), commitment, evidence_file=big)
    assert response.status_code == 400 and "at most" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_completed_with_file_evidence_sets_100_percent_and_shows_in_history(
    network, client_for, commitment, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    nr = client_for(network.indonesia_nr.user)
    _post(nr, commitment, note="Outline agreed.")
    pdf = SimpleUploadedFile("final-report.pdf", b"%PDF-1.4 final", "application/pdf")
    assert (
        _post(
            nr, commitment, status="completed", progress="80", note="Guidebook delivered.", evidence_file=pdf
        ).status_code
        == 302
    )
    fresh = Commitment.objects.get(pk=commitment.pk)
    assert fresh.status == "completed" and fresh.progress == 100
    page = client_for(None).get(commitment.get_absolute_url()).content.decode()
    assert page.index("Guidebook delivered.") < page.index("Outline agreed.")  # newest first
    latest = StatusUpdate.objects.first()
    download = client_for(None).get(f"/outcomes/evidence/{latest.public_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 final"
    assert "attachment" in download["Content-Disposition"]


def test_overdue_commitment_is_flagged(network, client_for):
    import datetime

    late = CommitmentFactory(member_state=network.indonesia, due_date=datetime.date(2021, 1, 1))
    CommitmentFactory(
        member_state=network.vietnam,
        due_date=datetime.date(2021, 1, 1),
        status="completed",
        recommendation=late.recommendation,
    )
    assert list(Commitment.objects.overdue()) == [late]
    page = client_for(None).get(late.get_absolute_url()).content.decode()
    assert "st-overdue" in page
    tracker = client_for(None).get("/outcomes/?status=overdue").content.decode()
    assert late.recommendation.title in tracker
