"""Who may do what, tried from the outside: anonymous, another country's NR, another participant,
a company."""

from __future__ import annotations

import pytest

from ascnhub.events.models import Registration
from tests.events.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ORGANISER_PAGES = [
    "manage/",
    "manage/participants/",
    "manage/participants.csv",
    "manage/participants.xlsx",
    "manage/clone/",
    "check-in/",
    "check-in/counts/",
]


@pytest.mark.parametrize("page", ORGANISER_PAGES + ["approvals/"])
def test_anonymous_is_sent_to_sign_in(client, hlm, page):
    response = client.get(f"/meetings/hlm-test/{page}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "company_person", "indonesia_nr", "makassar_officer"])
@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_others_may_not_manage(client_for, hlm, network, who, page):
    user = getattr(network, who)
    user = getattr(user, "user", user)
    assert client_for(user).get(f"/meetings/hlm-test/{page}").status_code == 403


@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_secretariat_and_meeting_organisers_manage(client_for, hlm, network, page):
    assert client_for(network.secretariat).get(f"/meetings/hlm-test/{page}").status_code == 200
    hlm.meeting.organisers.add(network.company_person.user)
    response = client_for(network.company_person.user).get(f"/meetings/hlm-test/{page}")
    # cloning also needs the right to create meetings (secretariat)
    assert response.status_code == (403 if page == "manage/clone/" else 200)


def test_nr_approves_own_country_delegates_only(client_for, hlm, network):
    own = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.gov, country="ID", status="pending", name="Ina"
    )
    other = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.gov, country="VN", status="pending", name="Viet"
    )
    private = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.private, country="ID", status="pending", name="Company Indo"
    )
    nr = client_for(network.indonesia_nr.user)
    html = nr.get("/meetings/hlm-test/approvals/").content.decode()
    assert "Ina" in html and "Viet" not in html and "Company Indo" not in html
    # another country's delegate: refused, unchanged
    assert (
        nr.post(
            f"/meetings/hlm-test/registration/{other.public_id}/decide/", {"decision": "approve"}
        ).status_code
        == 403
    )
    assert (
        nr.post(
            f"/meetings/hlm-test/registration/{private.public_id}/decide/", {"decision": "approve"}
        ).status_code
        == 403
    )
    assert (
        nr.post(
            f"/meetings/hlm-test/registration/{own.public_id}/decide/", {"decision": "approve"}
        ).status_code
        == 302
    )
    assert Registration.objects.get(pk=own.pk).status == "approved"
    assert Registration.objects.get(pk=other.pk).status == "pending"
    assert Registration.objects.get(pk=private.pk).status == "pending"
    # the Viet Nam NR may decide on the Vietnamese delegate, and sees it
    vn = client_for(network.vietnam_nr.user)
    assert vn.get(f"/meetings/hlm-test/registration/{other.public_id}/").status_code == 200
    assert vn.get(f"/meetings/hlm-test/registration/{own.public_id}/").status_code == 403


def test_company_and_outsider_cannot_decide(client_for, hlm, network):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, country="ID", status="pending")
    for user in (network.company_person.user, network.outsider):
        c = client_for(user)
        assert c.get("/meetings/hlm-test/approvals/").status_code == 403
        assert (
            c.post(
                f"/meetings/hlm-test/registration/{reg.public_id}/decide/", {"decision": "approve"}
            ).status_code
            == 403
        )
    assert Registration.objects.get(pk=reg.pk).status == "pending"


def test_participant_sees_own_registration_not_another(client_for, hlm, network):
    mine = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, user=network.company_person.user)
    theirs = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, user=network.outsider)
    me = client_for(network.company_person.user)
    assert me.get(f"/meetings/hlm-test/registration/{mine.public_id}/").status_code == 200
    assert me.get(f"/meetings/hlm-test/registration/{theirs.public_id}/").status_code == 403
    assert me.get(f"/meetings/hlm-test/registration/{theirs.public_id}/calendar.ics").status_code == 403
    assert me.get(f"/meetings/hlm-test/registration/{theirs.public_id}/badge.pdf").status_code == 403
    assert me.post(f"/meetings/hlm-test/registration/{theirs.public_id}/cancel/").status_code == 403
    response = me.post(f"/meetings/hlm-test/registration/{theirs.public_id}/mode/", {"mode": "online"})
    assert response.status_code == 403
    assert Registration.objects.get(pk=theirs.pk).status == "approved"


def test_online_links_only_for_approved_online_participants(client, client_for, hlm, network):
    secret = hlm.opening.online_url
    assert secret not in client.get("/meetings/hlm-test/agenda/").content.decode()
    in_person = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.city, mode="in_person", user=network.company_person.user
    )
    page = client_for(network.company_person.user).get("/meetings/hlm-test/agenda/").content.decode()
    assert secret not in page
    join = f"/meetings/hlm-test/sessions/{hlm.opening.public_id}/join/"
    assert client_for(network.company_person.user).get(join).status_code == 403
    assert client.get(join).status_code == 302 and "/accounts/login/" in client.get(join)["Location"]
    pending = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, mode="online", status="pending")
    assert client.get(f"{join}?r={pending.public_id}&key={pending.secret}").status_code == 403
    online = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online", user=network.outsider)
    page = client_for(network.outsider).get("/meetings/hlm-test/agenda/").content.decode()
    assert "Join online" in page and secret not in page  # the link goes through the logging redirect
    # to sign-in, not the room
    assert client.get(f"{join}?r={online.public_id}&key=forged").status_code == 302
    assert in_person.pk


def test_draft_meeting_is_hidden_from_the_public(client, client_for, network):
    MeetingFactory(slug="draft-one", title="Secret draft", status="draft")
    assert client.get("/meetings/draft-one/").status_code == 404
    assert "Secret draft" not in client.get("/meetings/").content.decode()
    assert client_for(network.secretariat).get("/meetings/draft-one/").status_code == 200


def test_nr_approves_in_bulk_and_declines_with_a_reason_and_reads_the_decision(
    client_for, hlm, network, django_capture_on_commit_callbacks
):
    from django.core import mail

    ina = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.gov, country="ID", status="pending", name="Ina"
    )
    budi = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.gov, country="ID", status="pending", name="Budi"
    )
    sari = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.gov, country="ID", status="pending", name="Sari"
    )
    viet = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.gov, country="VN", status="pending", name="Viet"
    )
    nr = client_for(network.indonesia_nr.user)
    url = "/meetings/hlm-test/approvals/"
    # Ticking another country's delegate (a tampered form) approves only the NR's own.
    response = nr.post(
        url, {"selected": [str(ina.public_id), str(budi.public_id), str(viet.public_id)]}, follow=True
    )
    html = response.content.decode()
    assert "Approved: Ina, Budi." in html or "Approved: Budi, Ina." in html
    assert {r.name: r.status for r in Registration.objects.all()} == {
        "Ina": "approved",
        "Budi": "approved",
        "Sari": "pending",
        "Viet": "pending",
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = nr.post(
            f"/meetings/hlm-test/registration/{sari.public_id}/decide/",
            {"decision": "decline", "reason": "The ministry sends two delegates.", "next": url},
            follow=True,
        )
    assert "Declined: Sari." in response.content.decode()
    assert "Decision saved" not in response.content.decode()
    assert Registration.objects.get(pk=sari.pk).status == "rejected"
    assert "Reason: The ministry sends two delegates." in mail.outbox[-1].body
    # Nothing ticked: told so, nothing changes.
    html = nr.post(url, {}, follow=True).content.decode()
    assert "Tick the registrations to approve first." in html


def test_a_too_long_reason_is_refused_and_changes_nothing(client_for, hlm, network):
    reg = RegistrationFactory(
        meeting=hlm.meeting, category=hlm.gov, country="ID", status="pending", name="Ina"
    )
    nr = client_for(network.indonesia_nr.user)
    html = nr.post(
        f"/meetings/hlm-test/registration/{reg.public_id}/decide/",
        {"decision": "decline", "reason": "x" * 501},
        follow=True,
    ).content.decode()
    assert "at most 500 characters" in html
    assert Registration.objects.get(pk=reg.pk).status == "pending"
