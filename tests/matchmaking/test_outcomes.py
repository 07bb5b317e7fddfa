"""Outcomes that count: both sides say what happened, disagreement is a dispute, mark_no_show
does what it says, and the figures show attendance and no-shows."""

from __future__ import annotations

import pytest

from ascnhub.matchmaking import scheduling, services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import AttendanceReport, ScheduledMeeting
from ascnhub.matchmaking.outcomes import matchmaking_outcomes, record_attendance

pytestmark = pytest.mark.django_db


def _meeting(mm, a, b):
    services.answer_request(None, services.send_request(None, a, b), accept=True)
    services.bump_version(mm.setup)
    run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    scheduling.publish_run(None, run, notify=False)
    return ScheduledMeeting.objects.get(run=run, request__requester=a)


def test_both_sides_agreeing_set_the_status_and_disagreeing_is_a_dispute(mm):
    meeting = _meeting(mm, mm.company, mm.makassar)
    meeting = record_attendance(None, meeting, mm.company, "held")
    assert meeting.status == "scheduled"  # one side's word is not enough
    meeting = record_attendance(None, meeting, mm.makassar, "held")
    assert meeting.status == "held"
    meeting = record_attendance(None, meeting, mm.makassar, "no_show")
    assert meeting.status == "disputed" and meeting.no_show_id is None
    meeting = record_attendance(None, meeting, mm.company, "not_held")
    assert meeting.status == "disputed"
    meeting = record_attendance(None, meeting, mm.makassar, "not_held")
    assert meeting.status == "not_held"
    with pytest.raises(MatchmakingError, match="not part of this meeting"):
        record_attendance(None, meeting, mm.danang, "held")
    with pytest.raises(MatchmakingError, match="Unknown outcome"):
        record_attendance(None, meeting, mm.company, "maybe")


def test_mark_no_show_records_it_for_the_other_side_and_a_denial_disputes_it(mm, client_for):
    meeting = _meeting(mm, mm.company, mm.makassar)
    client = client_for(mm.company.owner.user)
    response = client.post(
        f"/meetings/{mm.meeting.slug}/matchmaking/m/{meeting.public_id}/no-show/", follow=True
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == "no_show" and meeting.no_show_id == mm.makassar.pk
    report = AttendanceReport.objects.get(request=meeting.request)
    assert (report.profile_id, report.outcome) == (mm.company.pk, "no_show")
    home = client.get(f"/meetings/{mm.meeting.slug}/matchmaking/").content.decode()
    assert 'data-testid="no-shows">1<' in home
    # Makassar says it came: the two disagree.
    client_for(mm.makassar.owner.user).post(
        f"/meetings/{mm.meeting.slug}/matchmaking/m/{meeting.public_id}/attendance/", {"outcome": "held"}
    )
    meeting.refresh_from_db()
    assert meeting.status == "disputed"
    figures = matchmaking_outcomes(mm.setup)
    assert (figures["no_shows"], figures["disputed"], figures["held"]) == (0, 1, 0)


def test_the_follow_up_survey_goes_out_months_later_and_feeds_the_lead(
    mm, client, django_capture_on_commit_callbacks
):
    import datetime

    from django.core import mail

    from ascnhub.matchmaking.models import FollowUpSurvey, Lead
    from ascnhub.matchmaking.outcomes import send_follow_up_surveys

    meeting = _meeting(mm, mm.company, mm.makassar)
    record_attendance(None, meeting, mm.company, "held")
    record_attendance(None, meeting, mm.makassar, "held")
    meeting.refresh_from_db()
    ends = meeting.slot.ends_at
    mm.setup.refresh_from_db()
    mm.setup.survey_after_months = 4
    mm.setup.save(update_fields=["survey_after_months"])
    assert send_follow_up_surveys(now=ends + datetime.timedelta(days=110)) == 0  # not yet 4 months
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_follow_up_surveys(now=ends + datetime.timedelta(days=125)) == 2
    assert send_follow_up_surveys(now=ends + datetime.timedelta(days=200)) == 0  # once per side
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mm.company.owner.email, mm.makassar.owner.email])
    survey = FollowUpSurvey.objects.get(profile=mm.makassar)
    link = f"/meetings/{mm.meeting.slug}/matchmaking/survey/{survey.token}/"
    assert any(link in m.body for m in mail.outbox)
    assert client.get(f"/meetings/{mm.meeting.slug}/matchmaking/survey/forged-token/").status_code == 404
    refused = client.post(link, {"result": ""})
    assert refused.status_code == 400 and "Choose what came of the meeting." in refused.content.decode()
    client.post(link, {"result": "partnership", "note": "Pilot in two districts"})
    lead = Lead.objects.get(meeting=meeting)
    assert lead.status == "partnership" and "Pilot in two districts" in lead.note
    assert matchmaking_outcomes(mm.setup)["survey_results"] == 1
