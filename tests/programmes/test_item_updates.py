"""Status updates of cooperation items: who may post them, and bad input changes nothing."""

from __future__ import annotations

import datetime

import pytest

from ascnhub.programmes.models import ItemUpdate

pytestmark = pytest.mark.django_db


def _post(client, progs, **overrides):
    data = {
        "item": progs.items[1].pk,
        "date": "2023-03-01",
        "status": "in_progress",
        "note": "First shelters installed.",
        **overrides,
    }
    return client.post(f"{progs.mou.get_absolute_url()}update/", data)


def _unchanged(progs) -> bool:
    progs.items[1].refresh_from_db()
    return progs.items[1].status == "planned" and not ItemUpdate.objects.exists()


def test_the_officer_of_a_party_city_posts_an_update_and_the_item_takes_its_status(progs, client_for):
    officer = client_for(progs.net.makassar_officer.user)
    assert "Post a status update" in officer.get(progs.mou.get_absolute_url()).content.decode()
    response = _post(officer, progs)
    assert response.status_code == 302
    progs.items[1].refresh_from_db()
    assert progs.items[1].status == "in_progress"
    # An older update goes into the history without turning the status back.
    _post(officer, progs, date="2022-12-01", status="planned", note="Sites chosen.")
    progs.items[1].refresh_from_db()
    assert progs.items[1].status == "in_progress"
    body = client_for(None).get(progs.mou.get_absolute_url()).content.decode()
    assert "First shelters installed." in body and "Sites chosen." in body
    assert body.index("First shelters installed.") < body.index("Sites chosen.")


def test_outsiders_cannot_post_updates(progs, client_for):
    anonymous = _post(client_for(None), progs)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in [progs.net.danang_officer.user, progs.net.company_person.user, progs.net.indonesia_nr.user]:
        assert _post(client_for(user), progs).status_code == 403
    assert _unchanged(progs)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"note": " "}, "This field is required."),
        ({"status": "finished"}, "Select a valid choice"),
        ({"date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()}, "in the future"),
        ({"date": "yesterday"}, "Enter a valid date"),
        ({"date": "2022-04-30"}, "before the agreement was signed (2022-05-01)"),
    ],
)
def test_bad_updates_are_refused_with_a_message_and_change_nothing(progs, client_for, overrides, message):
    response = _post(client_for(progs.net.secretariat), progs, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _unchanged(progs)


def test_an_item_of_another_agreement_is_refused(progs, client_for):
    from ascnhub.programmes import services

    other = services.create_agreement(
        None,
        {"title": "Other MoU", "signed_on": datetime.date(2023, 1, 1)},
        cities=[progs.net.makassar],
        items=[{"number": 1, "title": "Elsewhere"}],
    )
    response = _post(client_for(progs.net.secretariat), progs, item=other.items.get().pk)
    assert response.status_code == 400
    assert "not part of this agreement" in response.content.decode()
    assert not ItemUpdate.objects.exists()


def test_the_activity_log_shows_item_changes(progs, client_for):
    _post(client_for(progs.net.secretariat), progs)
    body = client_for(progs.net.secretariat).get("/activity/").content.decode()
    assert "cooperation_items" in body and "1. Bus shelters" in body
    assert "First shelters installed." in body
