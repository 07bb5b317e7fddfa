"""Registering: validation, duplicates, double clicks, capacity and waiting list, forums, e-mails."""

from __future__ import annotations

import pytest
from django.core import mail

from ascnhub.events import services
from ascnhub.events.models import ForumSignup, Registration
from tests.events.factories import RegistrationFactory, form_data, registration_data

pytestmark = pytest.mark.django_db

URL = "/meetings/hlm-test/register/{}/"


def test_anonymous_registers_online_gets_email_in_their_language_with_ics(
    client, hlm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL.format("city"), form_data())
    reg = Registration.objects.get(email="sari@test.example")
    assert response.status_code == 302 and response["Location"] == reg.get_absolute_url()
    assert reg.status == "approved" and reg.mode == "online" and reg.country == "ID"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sari@test.example"]
    assert message.extra_headers["Content-Language"] == "id"  # written under the registrant's language
    assert "Test High Level Meeting" in message.subject and "Sari Wulandari" in message.body
    name, body, mimetype = message.attachments[0]
    assert name == "hlm-test.ics" and mimetype == "text/calendar"
    ics = body.decode() if isinstance(body, bytes) else body
    assert "Opening ceremony" in ics
    # the approved online participant's calendar carries personal join links, never the raw room URL
    assert "/join/?r=" in ics.replace("\r\n ", "") and "secret-room" not in ics


def test_registration_page_needs_the_key_or_the_owner(client, client_for, hlm, network):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.city)
    assert client.get(reg.get_absolute_url()).status_code == 200
    bare = f"/meetings/hlm-test/registration/{reg.public_id}/"
    assert client.get(bare).status_code == 302  # anonymous: sign in
    assert client.get(bare + "?key=wrong").status_code == 302
    assert client_for(network.outsider).get(bare).status_code == 403


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("name", "", "This field is required"),
        ("name", "A", "full name"),
        ("name", "Bad\x07name", "cannot be printed"),
        ("email", "not-an-email", "valid email"),
        ("organisation_name", "   ", "required"),
        ("country", "XX", "Select a valid choice"),
        ("language", "klingon", "Select a valid choice"),
        ("timezone", "Mars/Olympus", "not a known time zone"),
        ("mode", "teleport", "Select a valid choice"),
        ("name", "x" * 201, "at most 200"),
    ],
)
def test_every_field_is_validated_and_nothing_is_stored(client, hlm, field, value, message):
    response = client.post(URL.format("city"), form_data(**{field: value}))
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert not Registration.objects.exists()


def test_category_questions_are_asked_and_required(client, hlm):
    response = client.post(URL.format("private"), form_data(mode="in_person"))
    assert response.status_code == 400 and 'id="id_q_sector-errors"' in response.content.decode()
    response = client.post(URL.format("private"), form_data(mode="in_person", q_sector="Water"))
    assert response.status_code == 302
    assert Registration.objects.get().answers == {"sector": "Water"}


def test_delegations_come_from_asean_or_japan(client, hlm):
    response = client.post(URL.format("government"), form_data(country="US", mode="in_person"))
    assert response.status_code == 400 and "ASEAN member state or Japan" in response.content.decode()


def test_same_email_twice_is_caught(client, hlm):
    assert client.post(URL.format("city"), form_data(key="a")).status_code == 302
    response = client.post(
        URL.format("private"), form_data(key="b", email="SARI@test.example", q_sector="Water")
    )
    assert response.status_code == 400 and "already registered" in response.content.decode()
    assert Registration.objects.count() == 1
    with pytest.raises(services.EventsError) as exc:
        services.register(hlm.meeting, hlm.city, registration_data(email="sari@test.example"))
    assert exc.value.code == "duplicate_email"


def test_double_click_returns_the_first_registration(client, hlm):
    first = client.post(URL.format("city"), form_data(key="same"))
    second = client.post(URL.format("city"), form_data(key="same"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Registration.objects.count() == 1


def test_full_category_puts_people_on_the_waiting_list_and_a_freed_place_promotes_the_first(hlm):
    regs = [
        services.register(
            hlm.meeting,
            hlm.private,
            registration_data(email=f"p{i}@test.example", answers={"sector": "Water"}),
        )[0]
        for i in range(5)
    ]
    assert [r.status for r in regs] == ["approved"] * 3 + ["waitlisted"] * 2
    services.cancel(None, regs[1])
    statuses = {r.email: r.status for r in Registration.objects.all()}
    assert statuses["p1@test.example"] == "cancelled"
    assert statuses["p3@test.example"] == "approved"  # first in line
    assert statuses["p4@test.example"] == "waitlisted"
    assert Registration.objects.filter(category=hlm.private, status__in=Registration.HOLDS_PLACE).count() == 3


def test_nr_approval_category_waits_for_a_decision(hlm):
    reg, _ = services.register(hlm.meeting, hlm.gov, registration_data(mode="in_person"))
    assert reg.status == "pending"
    services.decide(None, reg, approve=True)
    reg.refresh_from_db()
    assert reg.status == "approved" and reg.decided_at is not None
    with pytest.raises(services.EventsError):
        services.decide(None, reg, approve=False)


def test_declining_frees_a_place_for_the_waiting_list(hlm):
    hlm.gov.capacity = 1
    hlm.gov.save()
    first, _ = services.register(hlm.meeting, hlm.gov, registration_data(email="a@test.example"))
    second, _ = services.register(hlm.meeting, hlm.gov, registration_data(email="b@test.example"))
    assert (first.status, second.status) == ("pending", "waitlisted")
    services.decide(None, first, approve=False)
    second.refresh_from_db()
    assert second.status == "pending"  # promoted, still awaiting its NR


def test_closed_meeting_takes_no_registrations(client, hlm):
    hlm.meeting.status = "closed"
    hlm.meeting.save()
    response = client.post(URL.format("city"), form_data())
    assert response.status_code == 302 and not Registration.objects.exists()


def test_mode_override_per_person(client_for, hlm, network):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online")
    hlm.meeting.organisers.add(network.outsider)
    response = client_for(network.outsider).post(
        f"/meetings/hlm-test/registration/{reg.public_id}/mode/", {"mode": "in_person"}
    )
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.mode == "in_person"


def test_forum_signup_respects_capacity_clashes_and_is_idempotent(client, hlm):
    regs = [RegistrationFactory(meeting=hlm.meeting, category=hlm.city) for _ in range(3)]
    services.sign_up(regs[0], hlm.forum)
    services.sign_up(regs[0], hlm.forum)  # again: nothing new
    services.sign_up(regs[1], hlm.forum)
    with pytest.raises(services.EventsError) as exc:
        services.sign_up(regs[2], hlm.forum)
    assert exc.value.code == "forum_full"
    with pytest.raises(services.EventsError) as exc:
        services.sign_up(regs[0], hlm.forum2)
    assert exc.value.code == "clash"
    assert ForumSignup.objects.filter(session=hlm.forum).count() == 2
    # through the page, with the key from the e-mail
    services.withdraw(regs[1], hlm.forum)
    url = f"/meetings/hlm-test/registration/{regs[2].public_id}/sessions/{hlm.forum.public_id}/"
    assert client.post(url, {"key": regs[2].secret, "action": "signup"}).status_code == 302
    assert ForumSignup.objects.filter(session=hlm.forum, registration=regs[2]).exists()


def test_pending_participants_cannot_sign_up_for_forums(hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, status="pending")
    with pytest.raises(services.EventsError):
        services.sign_up(reg, hlm.forum)


def test_approval_email_goes_out_in_japanese(hlm, django_capture_on_commit_callbacks):
    reg, _ = services.register(hlm.meeting, hlm.gov, registration_data(language="ja", mode="in_person"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(None, reg, approve=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Content-Language"] == "ja"
    assert mail.outbox[0].attachments  # the calendar


def test_cancel_through_the_page(client, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.city)
    url = f"/meetings/hlm-test/registration/{reg.public_id}/cancel/"
    assert client.post(url, {"key": reg.secret}).status_code == 302
    reg.refresh_from_db()
    assert reg.status == "cancelled"


def test_the_form_shows_no_label_for_its_hidden_submission_key(client, hlm):
    html = client.get(URL.format("city")).content.decode()
    assert 'type="hidden" name="submission_key"' in html
    assert "Submission key" not in html


def test_the_registration_page_names_the_questions_and_answers_in_words(client, hlm):
    hlm.private.questions = hlm.private.questions + [
        {"name": "matchmaking", "label": "I want business matchmaking meetings", "type": "boolean"}
    ]
    hlm.private.save()
    client.post(URL.format("private"), form_data(mode="in_person", q_sector="Water", q_matchmaking="on"))
    reg = Registration.objects.get()
    html = client.get(reg.get_absolute_url()).content.decode()
    assert "<dt>Sector</dt><dd>Water</dd>" in html
    assert "<dt>I want business matchmaking meetings</dt><dd>yes</dd>" in html
    assert "True" not in html and "<dt>sector</dt>" not in html


def test_category_names_and_questions_show_in_the_visitors_language(client, hlm):
    hlm.private.translations = {"ja": "民間企業", "id": "Sektor swasta"}
    hlm.private.questions = [
        {
            **hlm.private.questions[0],
            "translations": {"ja": {"label": "分野", "choices": {"Water": "水", "Mobility": "モビリティ"}}},
        }
    ]
    hlm.private.save()
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    assert "民間企業" in client.get("/meetings/hlm-test/").content.decode()
    html = client.get(URL.format("private")).content.decode()
    assert "民間企業" in html and '<label for="id_q_sector">分野:</label>' in html
    assert '<option value="Water">水</option>' in html  # stored as written, shown translated
    client.post(URL.format("private"), form_data(mode="in_person", q_sector="Water"))
    reg = Registration.objects.get()
    assert reg.answers == {"sector": "Water"}
    assert "<dt>分野</dt><dd>水</dd>" in client.get(reg.get_absolute_url()).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "<dt>Sector</dt><dd>Water</dd>" in client.get(reg.get_absolute_url()).content.decode()
