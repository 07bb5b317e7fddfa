"""Per-meeting templates of the transactional e-mails: an organiser's own text per kind and
language, the built-in text elsewhere; preview, test send, unknown placeholders, reset, and who
may edit them."""

from __future__ import annotations

import pytest
from django.core import mail

from ascnhub.common.models import ActivityLog, OutgoingEmail
from ascnhub.events import message_templates, services
from ascnhub.events.models import MessageTemplate
from tests.events.factories import MeetingFactory, registration_data

pytestmark = pytest.mark.django_db

JA_SUBJECT = "{meeting} への登録を受け付けました"
JA_BODY = (
    "{name} 様\n\n{meeting} にご登録いただきありがとうございます。\n"
    "登録ページ: {registration_link}\nバッジ: {badge_link}\n"
)


def _base(hlm) -> str:
    return f"/meetings/{hlm.meeting.slug}/manage/emails/"


@pytest.fixture
def organiser(hlm, network, client_for):
    return client_for(network.secretariat)


def test_an_override_in_japanese_reaches_a_japanese_registrant_and_the_built_in_an_indonesian_one(
    hlm, organiser, django_capture_on_commit_callbacks
):
    response = organiser.post(
        f"{_base(hlm)}received/ja/", {"action": "save", "subject": JA_SUBJECT, "body": JA_BODY}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        ken, _ = services.register(
            hlm.meeting,
            hlm.city,
            registration_data(name="Ken Sato", email="ken@t.example", language="ja", country="JP"),
        )
        sari, _ = services.register(hlm.meeting, hlm.city, registration_data(email="sari@t.example"))
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["ken@t.example"].subject == "Test High Level Meeting への登録を受け付けました"
    body = sent["ken@t.example"].body
    assert body.startswith("Ken Sato 様\n\nTest High Level Meeting にご登録いただきありがとうございます。")
    assert f"?key={ken.secret}" in body and f"/registration/{ken.public_id}/badge.pdf" in body
    # The calendar still rides along with the meeting's own text.
    assert any(name.endswith(".ics") for name, *_ in sent["ken@t.example"].attachments)
    # Indonesian has no text of the meeting's own: the built-in one, translated.
    assert sent["sari@t.example"].subject == "Pendaftaran diterima: Test High Level Meeting"
    assert "Sari Wulandari" in sent["sari@t.example"].body
    assert "への登録" not in sent["sari@t.example"].body


def test_a_declined_registrant_gets_the_reason_through_the_reason_placeholder(
    hlm, network, django_capture_on_commit_callbacks
):
    message_templates.save(
        network.secretariat, hlm.meeting, "declined", "id", "Maaf, {name}", "Alasan: {reason}\n{agenda_link}"
    )
    reg, _ = services.register(hlm.meeting, hlm.gov, registration_data(email="budi@t.example"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(network.secretariat, reg, approve=False, reason="Kuota penuh")
    [message] = mail.outbox
    assert message.subject == "Maaf, Sari Wulandari"
    assert message.body.startswith("Alasan: Kuota penuh\nhttp")


def test_the_editor_starts_from_the_built_in_text_and_previews_it_for_a_sample(hlm, organiser):
    page = organiser.get(f"{_base(hlm)}approved/en/").content.decode()
    # The built-in text, with placeholders where each registrant's details go.
    assert "Registration approved: {meeting}" in page
    assert "Dear {name}," in page and "{registration_link}" in page
    assert "The built-in text goes out." in page
    response = organiser.post(
        f"{_base(hlm)}approved/en/",
        {
            "action": "preview",
            "subject": "Welcome to {meeting}",
            "body": "Hello {name}, your badge: {badge_link}",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welcome to Test High Level Meeting" in html
    assert "Hello Ayu Lestari, your badge: http" in html
    assert not MessageTemplate.objects.exists()  # a preview stores nothing


def test_the_schedule_editor_previews_a_sample_schedule(hlm, organiser):
    page = organiser.get(f"{_base(hlm)}schedule/ja/").content.decode()
    assert "{schedule}" in page and "{schedule_link}" in page
    html = organiser.post(
        f"{_base(hlm)}schedule/ja/",
        {
            "action": "preview",
            "subject": "日程 · {meeting}",
            "body": "{name} 様\n{schedule}\n{schedule_link}",
        },
    ).content.decode()
    assert "Da Nang City" in html and "/matchmaking/agenda/" in html


def test_a_test_send_goes_to_the_organiser_alone(hlm, organiser, network):
    organiser.post(
        f"{_base(hlm)}received/id/",
        {"action": "test", "subject": "Halo {name}", "body": "Agenda: {agenda_link}"},
    )
    [message] = OutgoingEmail.objects.all()  # through the outbox
    assert message.recipients == [network.secretariat.email]
    assert message.subject == "[TEST] Halo Ayu Lestari"
    assert not MessageTemplate.objects.exists()


def test_an_unknown_placeholder_is_refused_by_name_and_nothing_is_written(hlm, organiser, network):
    response = organiser.post(
        f"{_base(hlm)}received/en/", {"action": "save", "subject": "Hi {nmae}", "body": "Welcome"}
    )
    assert response.status_code == 400
    assert "Unknown placeholder {nmae}" in response.content.decode()
    # {reason} belongs to the declined e-mail only.
    with pytest.raises(services.EventsError, match=r"Unknown placeholder \{reason\}"):
        message_templates.save(network.secretariat, hlm.meeting, "approved", "en", "Hi", "{reason}")
    with pytest.raises(services.EventsError, match="not a language"):
        message_templates.save(network.secretariat, hlm.meeting, "approved", "xx", "Hi", "Hi")
    assert not MessageTemplate.objects.exists()
    assert not ActivityLog.objects.filter(action="message_template_saved").exists()


def test_reset_goes_back_to_the_built_in_text(hlm, organiser, network, django_capture_on_commit_callbacks):
    message_templates.save(
        network.secretariat, hlm.meeting, "received", "en", "Own {meeting}", "Own text {name}"
    )
    listing = organiser.get(_base(hlm)).content.decode()
    assert listing.count("this meeting’s own text") + listing.count("this meeting's own text") == 1
    page = organiser.get(f"{_base(hlm)}received/en/").content.decode()
    assert "Own text {name}" in page and "Reset to the built-in text" in page
    response = organiser.post(f"{_base(hlm)}received/en/reset/")
    assert response.status_code == 302
    assert not MessageTemplate.objects.exists()
    assert ActivityLog.objects.filter(action="message_template_reset").count() == 1
    page = organiser.get(f"{_base(hlm)}received/en/").content.decode()
    assert "Registration received: {meeting}" in page and "Reset to the built-in text" not in page
    with django_capture_on_commit_callbacks(execute=True):
        services.register(hlm.meeting, hlm.city, registration_data(language="en"))
    assert mail.outbox[-1].subject == "Registration received: Test High Level Meeting"


def test_the_organisers_page_links_to_the_templates(hlm, organiser):
    assert f'href="{_base(hlm)}"' in organiser.get(f"/meetings/{hlm.meeting.slug}/manage/").content.decode()


def test_only_the_meetings_organisers_may_see_or_change_its_templates(
    hlm, network, client_for, django_user_model
):
    other = django_user_model.objects.create_user(email="other-organiser@t.example", password="x")
    MeetingFactory(slug="another-meeting").organisers.add(other)
    data = {"action": "save", "subject": "Hacked {name}", "body": "x"}
    for user in (other, network.makassar_officer.user, network.outsider):
        client = client_for(user)
        assert client.get(_base(hlm)).status_code == 403
        assert client.get(f"{_base(hlm)}received/en/").status_code == 403
        assert client.post(f"{_base(hlm)}received/en/", data).status_code == 403
        assert client.post(f"{_base(hlm)}received/en/reset/").status_code == 403
    anonymous = client_for(None)
    assert anonymous.get(_base(hlm)).status_code == 302
    assert anonymous.post(f"{_base(hlm)}received/en/", data).status_code == 302
    assert not MessageTemplate.objects.exists()
    assert not mail.outbox and not OutgoingEmail.objects.exists()
    # An unknown kind or language is not a page.
    organiser = client_for(network.secretariat)
    assert organiser.get(f"{_base(hlm)}nonsense/en/").status_code == 404
    assert organiser.get(f"{_base(hlm)}received/xx/").status_code == 404
