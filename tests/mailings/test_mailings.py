"""Organisers' mailings: audience, languages, placeholders, the outbox and the figures."""

from __future__ import annotations

import pytest

from ascnhub.common.models import OutgoingEmail
from ascnhub.mailings import services
from ascnhub.mailings.models import Mailing
from ascnhub.mailings.services import MailingError
from tests.events.factories import RegistrationFactory, make_meeting

pytestmark = pytest.mark.django_db

VERSIONS = {
    "en": {"subject": "Welcome, {name}", "body": "Your badge: {badge_link}\nThe agenda: {agenda_link}"},
    "id": {"subject": "Selamat datang, {name}", "body": "Tanda pengenal Anda: {badge_link}"},
}


@pytest.fixture
def hlm(network):
    hlm = make_meeting(network)
    hlm.sari = RegistrationFactory(
        meeting=hlm.meeting,
        category=hlm.city,
        name="Sari",
        email="sari@t.example",
        language="id",
        status="approved",
    )
    hlm.ken = RegistrationFactory(
        meeting=hlm.meeting,
        category=hlm.city,
        name="Ken",
        email="ken@t.example",
        language="ja",
        status="approved",
    )
    hlm.gov_person = RegistrationFactory(
        meeting=hlm.meeting,
        category=hlm.gov,
        name="Budi",
        email="budi@t.example",
        language="id",
        status="approved",
    )
    return hlm


def _outbox() -> dict[str, OutgoingEmail]:
    return {m.recipients[0]: m for m in OutgoingEmail.objects.all()}


def test_a_mailing_to_one_category_reaches_exactly_it_each_in_their_language(hlm):
    mailing = services.compose(None, hlm.meeting, VERSIONS, categories=[hlm.city])
    assert services.send(None, mailing) == 2
    sent = _outbox()
    assert set(sent) == {"sari@t.example", "ken@t.example"}  # not the government delegation
    assert sent["sari@t.example"].subject == "Selamat datang, Sari"
    assert sent["ken@t.example"].subject == "Welcome, Ken"  # no Japanese version: English
    body = sent["ken@t.example"].message["body"]
    assert f"/meetings/{hlm.meeting.slug}/registration/{hlm.ken.public_id}/badge.pdf" in body
    assert f"/meetings/{hlm.meeting.slug}/agenda/" in body
    assert services.figures(mailing) == {"total": 2, "queued": 2, "sent": 0, "failed": 0}
    OutgoingEmail.objects.filter(pk=sent["sari@t.example"].pk).update(status="sent")
    OutgoingEmail.objects.filter(pk=sent["ken@t.example"].pk).update(status="failed")
    assert services.figures(mailing) == {"total": 2, "queued": 0, "sent": 1, "failed": 1}
    with pytest.raises(MailingError, match="already sent"):
        services.send(None, mailing)
    assert OutgoingEmail.objects.count() == 2


def test_countries_and_statuses_narrow_the_audience(hlm):
    hlm.ken.country = "JP"
    hlm.ken.save()
    mailing = services.compose(None, hlm.meeting, VERSIONS, countries=["jp"])
    assert list(services.audience(mailing)) == [hlm.ken]
    mailing = services.compose(None, hlm.meeting, VERSIONS, statuses=["cancelled"])
    assert list(services.audience(mailing)) == []


def test_an_unknown_placeholder_is_refused_and_nothing_is_stored(hlm):
    bad = {"en": {"subject": "Hi {nmae}", "body": "x"}}
    with pytest.raises(MailingError, match=r"Unknown placeholder \{nmae\} in the en version"):
        services.compose(None, hlm.meeting, bad)
    with pytest.raises(MailingError, match="“fr” is not a mailing language"):
        services.compose(None, hlm.meeting, {**VERSIONS, "fr": {"subject": "a", "body": "b"}})
    with pytest.raises(MailingError, match="Unknown status: maybe"):
        services.compose(None, hlm.meeting, VERSIONS, statuses=["maybe"])
    assert not Mailing.objects.exists()


def test_preview_and_a_test_send_go_to_the_organiser_only(hlm, network):
    mailing = services.compose(None, hlm.meeting, VERSIONS, categories=[hlm.city])
    language, subject, _body = services.render(mailing, hlm.sari)
    assert (language, subject) == ("id", "Selamat datang, Sari")
    organiser = network.secretariat
    assert services.send_test(organiser, mailing) == 2  # one per language version
    assert {tuple(m.recipients) for m in OutgoingEmail.objects.all()} == {(organiser.email,)}
    assert all(m.subject.startswith("[TEST] ") for m in OutgoingEmail.objects.all())


def test_the_organiser_composes_previews_tests_and_sends_on_the_page(hlm, network, client_for):
    organiser = client_for(network.secretariat)
    base = f"/meetings/{hlm.meeting.slug}/mailings/"
    assert f'href="{base}"' in organiser.get(f"/meetings/{hlm.meeting.slug}/manage/").content.decode()
    data = {
        "categories": [hlm.city.pk],
        "subject_en": "Welcome, {name}",
        "body_en": "Agenda: {agenda_link}",
        "subject_id": "Selamat datang, {name}",
        "body_id": "Agenda: {agenda_link}",
    }
    bad = organiser.post(base, {**data, "body_en": "Hi {nmae}"})
    assert bad.status_code == 400 and "Unknown placeholder {nmae}" in bad.content.decode()
    assert not Mailing.objects.exists()
    response = organiser.post(base, data)
    mailing = Mailing.objects.get()
    assert response["Location"] == f"{base}{mailing.pk}/"
    page = organiser.get(f"{base}{mailing.pk}/").content.decode()
    assert "2 recipients" in page and "Selamat datang, Sari" in page
    organiser.post(f"{base}{mailing.pk}/test/")
    assert [m.recipients for m in OutgoingEmail.objects.all()] == [[network.secretariat.email]] * 2
    organiser.post(f"{base}{mailing.pk}/send/")
    assert OutgoingEmail.objects.count() == 4
    listing = organiser.get(base).content.decode()
    assert "2 queued, 0 sent, 0 failed" in listing


def test_only_the_meetings_organisers_see_its_mailings(hlm, network, client_for):
    mailing = services.compose(None, hlm.meeting, VERSIONS)
    base = f"/meetings/{hlm.meeting.slug}/mailings/"
    for user in (network.outsider, network.makassar_officer.user):
        client = client_for(user)
        assert client.get(base).status_code == 403
        assert client.post(f"{base}{mailing.pk}/send/").status_code == 403
    assert client_for(None).get(base).status_code == 302
    assert not OutgoingEmail.objects.exists()


def test_mailings_share_the_placeholders_of_the_e_mail_templates(hlm):
    versions = {"en": {"subject": "{meeting}", "body": "{name}, {category}, {status}: {registration_link}"}}
    mailing = services.compose(None, hlm.meeting, versions, categories=[hlm.city])
    hlm.sari.language = "en"
    _language, subject, body = services.render(mailing, hlm.sari)
    assert subject == "Test High Level Meeting"
    assert body.startswith("Sari, City delegation, approved: http")
    assert body.endswith(f"?key={hlm.sari.secret}")
