"""Who may edit a city or a person, tested from the outside: every refused attempt changes nothing."""

from __future__ import annotations

import pytest

from ascnhub.common.models import ActivityLog
from ascnhub.registry.models import City, Person

pytestmark = pytest.mark.django_db

VALID_EDIT = {
    "kind": "city",
    "description": "Gateway to eastern Indonesia.",
    "website": "https://makassarkota.go.id",
    "population": "1500000",
    "timezone": "Asia/Makassar",
    "latitude": "-5.14770",
    "longitude": "119.43270",
}


def _edit_city(client, city, data=None):
    return client.post(f"/cities/{city.slug}/edit/", data or VALID_EDIT)


def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(network, client_for):
    response = _edit_city(client_for(None), network.makassar)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert City.objects.get(pk=network.makassar.pk).description == ""
    assert not ActivityLog.objects.exists()


@pytest.mark.parametrize("who", ["danang_officer", "banyuwangi_officer", "vietnam_nr", "company_person"])
def test_others_get_403_and_nothing_changes(network, client_for, who):
    user = getattr(network, who).user
    client = client_for(user)
    assert client.get(f"/cities/{network.makassar.slug}/edit/").status_code == 403
    assert _edit_city(client, network.makassar).status_code == 403
    assert City.objects.get(pk=network.makassar.pk).description == ""
    assert not ActivityLog.objects.exists()


def test_signed_in_user_without_role_gets_403(network, client_for):
    assert _edit_city(client_for(network.outsider), network.makassar).status_code == 403


@pytest.mark.parametrize("who", ["makassar_officer", "indonesia_nr"])
def test_own_officer_and_country_nr_can_edit_and_the_change_is_logged(network, client_for, who):
    actor = getattr(network, who).user
    response = _edit_city(client_for(actor), network.makassar)
    assert response.status_code == 302
    city = City.objects.get(pk=network.makassar.pk)
    assert city.description == "Gateway to eastern Indonesia." and city.population == 1500000
    entry = ActivityLog.objects.get()
    assert entry.actor == actor and entry.object_repr == "Makassar" and entry.action == "update"
    assert entry.changes["description"] == ["", "Gateway to eastern Indonesia."]


def test_secretariat_can_edit_any_city(network, client_for):
    assert (
        _edit_city(
            client_for(network.secretariat), network.danang, {**VALID_EDIT, "timezone": "Asia/Ho_Chi_Minh"}
        ).status_code
        == 302
    )
    assert City.objects.get(pk=network.danang.pk).description.startswith("Gateway")


def test_edit_button_shown_only_to_those_allowed(network, client_for):
    url = f"/cities/{network.makassar.slug}/"
    assert "Edit this city" in client_for(network.makassar_officer.user).get(url).content.decode()
    assert "Edit this city" not in client_for(network.danang_officer.user).get(url).content.decode()
    assert "Edit this city" not in client_for(None).get(url).content.decode()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("latitude", "200", "less than or equal to 90"),
        ("timezone", "Mars/Olympus", "Select a valid choice"),
        ("website", "not a url", "Enter a valid URL"),
        ("population", "-4", "greater than or equal to 0"),
    ],
)
def test_invalid_input_is_rejected_per_field_and_nothing_changes(network, client_for, field, value, message):
    response = _edit_city(
        client_for(network.makassar_officer.user), network.makassar, {**VALID_EDIT, field: value}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'id="id_{field}-errors"' in html
    assert City.objects.get(pk=network.makassar.pk).description == ""
    assert not ActivityLog.objects.exists()


def test_person_contact_details_are_private(network, client_for):
    person = network.makassar_officer
    url = f"/people/{person.public_id}/"
    assert person.email not in client_for(None).get(url).content.decode()
    assert person.email not in client_for(network.danang_officer.user).get(url).content.decode()
    assert person.email in client_for(person.user).get(url).content.decode()
    assert person.email in client_for(network.indonesia_nr.user).get(url).content.decode()


def test_person_edit_permissions(network, client_for):
    person = network.makassar_officer
    data = {
        "name": "Renamed",
        "title": "CSCO",
        "email": person.email,
        "organisation": person.organisation_id,
        "preferred_language": "id",
        "timezone": "Asia/Makassar",
    }
    url = f"/people/{person.public_id}/edit/"
    assert client_for(network.vietnam_nr.user).post(url, data).status_code == 403
    assert client_for(network.banyuwangi_officer.user).post(url, data).status_code == 403
    assert Person.objects.get(pk=person.pk).name != "Renamed"
    assert client_for(network.indonesia_nr.user).post(url, data).status_code == 302
    assert Person.objects.get(pk=person.pk).name == "Renamed"


def test_activity_log_is_for_the_secretariat_only(network, client_for):
    assert client_for(None).get("/activity/").status_code == 302
    assert client_for(network.makassar_officer.user).get("/activity/").status_code == 403
    assert client_for(network.indonesia_nr.user).get("/activity/").status_code == 403
    _edit_city(client_for(network.makassar_officer.user), network.makassar)
    page = client_for(network.secretariat).get("/activity/").content.decode()
    assert "Makassar" in page and network.makassar_officer.user.email in page
