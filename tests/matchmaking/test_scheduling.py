"""From accepted requests to a published schedule: the instance, the real solver, publishing,
stale drafts, double-booking protection, re-scheduling and notifications."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from ascnhub.engine.scheduling import formats, validator
from ascnhub.matchmaking import scheduling, services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import ScheduledMeeting, ScheduleRun, SlotBooking

pytestmark = pytest.mark.django_db


def _accept(a, b):
    request = services.send_request(None, a, b)
    return services.answer_request(None, request, accept=True)


def _run_and_publish(mm, actor=None):
    run = scheduling.start_run(actor, mm.setup, enqueue=False)
    run = scheduling.execute_run(run.pk)
    assert run.status == "done", run.error
    return run, scheduling.publish_run(actor, run)


def test_instance_follows_the_format_and_the_schedule_is_valid(mm):
    _accept(mm.makassar, mm.company)
    _accept(mm.danang, mm.company)
    document = scheduling.build_instance(mm.setup)
    assert document["format"] == "ascnhub-schedule/1"
    assert [s["id"] for s in document["slots"]] == sorted(s["id"] for s in document["slots"])
    assert len(document["slots"]) == 3 and {loc["kind"] for loc in document["locations"]} == {
        "table",
        "virtual",
    }
    modes = {p["id"]: p["mode"] for p in document["participants"]}
    assert modes[str(mm.danang.public_id)] == "online"
    run, summary = _run_and_publish(mm)
    instance = formats.instance_from_dict(run.instance)
    assert validator.validate(instance, formats.result_from_dict(run.result)) == []
    assert summary["meetings"] == 2
    # The company meets both cities in different slots; Da Nang (online) is in the video room.
    meetings = {
        m.request.requester_id: m for m in ScheduledMeeting.objects.select_related("location", "request")
    }
    assert meetings[mm.danang.pk].location.kind == "virtual"
    assert meetings[mm.makassar.pk].location.kind == "table"
    assert meetings[mm.danang.pk].slot_id != meetings[mm.makassar.pk].slot_id


def test_participants_are_notified_and_see_their_meeting_in_their_own_time(
    mm, client_for, django_capture_on_commit_callbacks
):
    _accept(mm.danang, mm.company)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run_and_publish(mm)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([mm.danang.owner.email, mm.company.owner.email])
    html = (
        client_for(mm.danang.owner.user)
        .get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda/")
        .content.decode()
    )
    meeting = ScheduledMeeting.objects.select_related("slot").get()
    # 13:00 in Tokyo is 11:00 in Ho Chi Minh City; the venue time is shown too.
    assert "(Asia/Ho_Chi_Minh, UTC+07:00)" in html and "(Asia/Tokyo, UTC+09:00)" in html
    assert "Video room V01" in html and meeting.slot.starts_at.hour == 4  # 04:00 UTC
    ics = client_for(mm.danang.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda.ics").content
    assert b"BEGIN:VEVENT" in ics and b"Video room V01" in ics
    # Makassar has no meeting and sees none of theirs.
    html = (
        client_for(mm.makassar.owner.user)
        .get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda/")
        .content.decode()
    )
    assert "You have no meeting in the schedule." in html


def test_a_stale_draft_is_never_published_over_a_newer_schedule(mm):
    _accept(mm.makassar, mm.company)
    old = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    new = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    scheduling.publish_run(None, new)
    with pytest.raises(MatchmakingError, match="newer and already published"):
        scheduling.publish_run(None, old)
    mm.setup.refresh_from_db()
    assert mm.setup.published_run == new
    assert ScheduledMeeting.objects.filter(run=old).count() == 0


def test_the_database_refuses_a_double_booking(mm):
    _accept(mm.makassar, mm.company)
    _accept(mm.danang, mm.company)
    run, _ = _run_and_publish(mm)
    first, second = ScheduledMeeting.objects.filter(run=run).order_by("pk")
    with pytest.raises(IntegrityError), transaction.atomic():
        # The company in two meetings in the same slot: refused whatever code tries it.
        SlotBooking.objects.create(run=run, slot=first.slot, profile=mm.company, meeting=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledMeeting.objects.filter(pk=second.pk).update(slot=first.slot, location=first.location)


def test_cancellation_after_publishing_reschedules_and_tells_only_those_affected(
    mm, network, django_capture_on_commit_callbacks
):
    r1 = _accept(mm.makassar, mm.company)
    _accept(mm.danang, mm.company)
    run1, _ = _run_and_publish(mm)
    kept = ScheduledMeeting.objects.get(run=run1, request__requester=mm.danang)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.cancel_request(mm.makassar.owner.user, r1)
    # The re-scheduling run was queued and ran (immediate tasks); it moved nothing that was unaffected.
    run2 = ScheduleRun.objects.get(number=2)
    assert callbacks and run2.is_reschedule and run2.status == "published", run2.error
    mm.setup.refresh_from_db()
    assert mm.setup.published_run == run2
    still = ScheduledMeeting.objects.get(run=run2, request__requester=mm.danang)
    assert (still.slot_id, still.location_id, still.public_id) == (
        kept.slot_id,
        kept.location_id,
        kept.public_id,
    )
    assert not ScheduledMeeting.objects.filter(run=run2, request=r1).exists()
    # Makassar and the company lost a meeting and are told; Da Nang's meeting did not change: no e-mail.
    told = sorted(m.to[0] for m in mail.outbox if "schedule" in m.subject.lower())
    assert told == sorted([mm.makassar.owner.email, mm.company.owner.email])


def test_review_explains_unheld_meetings(mm):
    # Da Nang (online, Ho Chi Minh City) is unavailable in every slot: the meeting cannot be held.
    mm.danang.unavailable.set(mm.setup.slots.all())
    _accept(mm.danang, mm.company)
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    review = scheduling.review(run)
    assert review["held"] == 0
    assert review["unheld"][0]["reason"] == "the two sides share no free slot"


def test_on_the_day_confirmation_no_show_and_feedback_lead(mm, client_for, monkeypatch):
    request = _accept(mm.makassar, mm.company)
    run, _ = _run_and_publish(mm)
    meeting = ScheduledMeeting.objects.get(run=run)
    services.confirm_at_table(None, meeting, mm.makassar)
    services.confirm_at_table(None, meeting, mm.makassar)  # a double click changes nothing
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.requester_confirmed_at
    services.confirm_at_table(None, meeting, mm.company)
    meeting.refresh_from_db()
    assert meeting.status == "held"
    with pytest.raises(MatchmakingError, match="not part of this meeting"):
        services.confirm_at_table(None, meeting, mm.danang)
    services.give_feedback(None, meeting, mm.makassar, rating=5, follow_up=True, comment="Pilot next year")
    assert meeting.lead.city == mm.makassar.city and request.status == "accepted"
    with pytest.raises(MatchmakingError, match="1 to 5"):
        services.give_feedback(None, meeting, mm.company, rating=9, follow_up=False)


def test_export_commands(mm, tmp_path):
    from django.core.management import call_command

    _accept(mm.makassar, mm.company)
    out = tmp_path / "instance.json"
    call_command("matchmaking", "export-instance", mm.meeting.slug, "--out", str(out))
    assert formats.instance_from_dict(__import__("json").loads(out.read_text())).meetings
    with pytest.raises(Exception, match="no published schedule"):
        call_command("matchmaking", "export-result", mm.meeting.slug, "--out", str(tmp_path / "r.json"))
    _run_and_publish(mm)
    call_command("matchmaking", "export-result", mm.meeting.slug, "--out", str(tmp_path / "r.json"))
    assert '"format": "ascnhub-schedule-result/1"' in (tmp_path / "r.json").read_text()


def test_reminders_go_out_once_before_each_meeting(mm, monkeypatch):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    _accept(mm.makassar, mm.company)
    run, _ = _run_and_publish(mm)
    meeting = ScheduledMeeting.objects.select_related("slot").get(run=run)
    # Pretend it is ten minutes before the meeting.
    fake_now = meeting.slot.starts_at - datetime.timedelta(minutes=10)
    monkeypatch.setattr(timezone, "now", lambda: fake_now)
    mail.outbox.clear()
    call_command("matchmaking", "send-reminders", "--minutes", "15", stdout=__import__("io").StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mm.makassar.owner.email, mm.company.owner.email])
    assert all("Reminder" in m.body for m in mail.outbox)
    call_command("matchmaking", "send-reminders", stdout=__import__("io").StringIO())
    assert len(mail.outbox) == 2  # not sent twice


def test_the_public_dashboard_counts_what_matchmaking_led_to(mm, client):
    _accept(mm.makassar, mm.company)
    run, _ = _run_and_publish(mm)
    meeting = ScheduledMeeting.objects.get(run=run)
    services.confirm_at_table(None, meeting, mm.makassar)
    services.confirm_at_table(None, meeting, mm.company)
    services.give_feedback(None, meeting, mm.makassar, rating=4, follow_up=True)
    meeting.lead.status = "partnership"
    meeting.lead.save()
    html = client.get("/dashboard/").content.decode()
    section = html[html.index('id="h-matchmaking"') :]
    figures = [int(n) for n in __import__("re").findall(r'<span class="n">(\d+)</span>', section)[:4]]
    assert figures == [1, 1, 1, 1]  # scheduled, held, follow-ups, partnerships
    # No names of who met whom on the public dashboard.
    assert mm.makassar.name not in html


def test_each_feedback_form_on_my_meetings_has_its_own_ids_and_the_table_comes_early(mm, client_for):
    _accept(mm.makassar, mm.company)
    _accept(mm.danang, mm.company)
    _run_and_publish(mm)
    response = client_for(mm.company.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda/")
    html = response.content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert html.count('name="rating"') == 2  # the field names the service reads stay the same
    for label_for in re.findall(r'<label for="([^"]+)"', html):
        assert f'id="{label_for}"' in html
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers.index("Where") == 1  # on a phone the table number shows without scrolling
    meeting = ScheduledMeeting.objects.filter(request__requester=mm.makassar).get()
    sent = client_for(mm.company.owner.user).post(
        f"/meetings/{mm.meeting.slug}/matchmaking/m/{meeting.public_id}/feedback/",
        {"rating": "4", "follow_up": "on", "comment": "Good"},
    )
    assert sent.status_code == 302


def test_the_meetings_own_schedule_text_reaches_japanese_recipients_and_the_built_in_the_others(
    mm, network, django_capture_on_commit_callbacks
):
    """Issue 20: the schedule e-mail follows the meeting's own template in the recipient's language."""
    from ascnhub.events import message_templates

    message_templates.save(
        network.secretariat,
        mm.meeting,
        "schedule",
        "ja",
        "{meeting}: 商談の日程",
        "{name} 様\n\n{schedule}\n\n{schedule_link}",
    )
    mm.company.owner.language = "ja"
    mm.company.owner.save()
    _accept(mm.danang, mm.company)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run_and_publish(mm)
    sent = {m.to[0]: m for m in mail.outbox}
    japanese = sent[mm.company.owner.email]
    assert japanese.subject == f"{mm.meeting.title}: 商談の日程"
    assert japanese.body.startswith(f"{mm.company.owner.name} 様\n\n- ")
    assert mm.danang.name in japanese.body and japanese.body.rstrip().endswith("/matchmaking/agenda/")
    # The calendar invitations still ride along.
    assert any(part.get_content_type() == "text/calendar" for part in japanese.attachments)
    other = sent[mm.danang.owner.email]  # English: no text of the meeting's own
    assert other.subject.startswith("Your matchmaking schedule · ")
    assert "Your business-matchmaking schedule has been published or changed:" in other.body
    assert mm.company.name in other.body
