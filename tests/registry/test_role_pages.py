"""The secretariat assigns and ends roles on the site and in the admin, both through the service:
a new officer ends the previous term, overlapping terms and holders of another country are refused,
and the history shows on the person's and the city's pages."""

from __future__ import annotations

import datetime

import pytest

from ascnhub.common.models import ActivityLog
from ascnhub.registry.models import Role
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _indonesian(name: str):
    return PersonFactory(name=name, organisation=OrganisationFactory(country="ID", kind="city_government"))


def _assign(client, **data):
    return client.post("/roles/", {"note": "", "year": "", **data})


def _csco_terms(network) -> list[tuple]:
    return list(
        Role.objects.filter(kind="csco", city=network.makassar)
        .order_by("start_date")
        .values_list("person__name", "start_date", "end_date")
    )


def test_the_secretariat_assigns_an_officer_and_the_history_shows(network, client_for):
    sec = client_for(network.secretariat)
    newcomer = _indonesian("Dewi Newcomer")
    response = _assign(
        sec, kind="csco", person=newcomer.pk, city=network.makassar.pk, start_date="2024-07-01"
    )
    assert response.status_code == 302
    assert _csco_terms(network) == [
        (network.makassar_officer.name, datetime.date(2020, 1, 1), datetime.date(2024, 6, 30)),
        ("Dewi Newcomer", datetime.date(2024, 7, 1), None),
    ]
    city = client_for(None).get(network.makassar.get_absolute_url()).content.decode()
    assert "Dewi Newcomer" in city and "Past officers" in city and network.makassar_officer.name in city
    former = client_for(None).get(network.makassar_officer.get_absolute_url()).content.decode()
    assert "Past roles" in former and "Jan 2020 – Jun 2024" in former
    roles_page = sec.get("/roles/").content.decode()
    assert "Dewi Newcomer" in roles_page
    # Ending the new term through the page.
    role = Role.objects.get(person=newcomer)
    assert sec.post(f"/roles/{role.pk}/end/", {"end_date": "2025-01-31"}).status_code == 302
    role.refresh_from_db()
    assert role.end_date == datetime.date(2025, 1, 31)
    assert {"assign_role", "end_role"} <= set(ActivityLog.objects.values_list("action", flat=True))


def test_a_person_of_another_country_is_refused_and_nothing_changes(network, client_for):
    vietnamese = PersonFactory(
        name="Nguyen Van A", organisation=OrganisationFactory(country="VN", name="Hanoi DOST")
    )
    before = _csco_terms(network)
    response = _assign(
        client_for(network.secretariat),
        kind="csco",
        person=vietnamese.pk,
        city=network.makassar.pk,
        start_date="2024-07-01",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "Nguyen Van A works for Hanoi DOST in Viet Nam" in body or "Nguyen Van A works for Hanoi DOST" in body
    )
    assert _csco_terms(network) == before
    # A National Representative's agency of another country: refused, naming the agency.
    response = _assign(
        client_for(network.secretariat),
        kind="national_representative",
        member_state=network.indonesia.pk,
        organisation=vietnamese.organisation.pk,
        start_date="2024-07-01",
    )
    assert response.status_code == 400 and "Hanoi DOST is an agency of" in response.content.decode()
    assert Role.objects.filter(kind="national_representative", member_state=network.indonesia).count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        # The current officer again: their own term overlaps.
        (lambda n: {"person": n.makassar_officer.pk, "start_date": "2024-07-01"}, "is already held since"),
        # Before the current term started.
        (lambda n: {"person": _indonesian("Early").pk, "start_date": "2019-06-01"}, "must start later"),
    ],
)
def test_overlapping_officer_terms_are_refused(network, client_for, data, message):
    before = _csco_terms(network)
    response = _assign(
        client_for(network.secretariat), kind="csco", city=network.makassar.pk, **data(network)
    )
    assert response.status_code == 409
    assert message in response.content.decode()
    assert _csco_terms(network) == before


def test_a_term_inside_an_ended_term_is_refused(network, client_for):
    sec = client_for(network.secretariat)
    _assign(
        sec, kind="csco", person=_indonesian("Second").pk, city=network.makassar.pk, start_date="2023-01-01"
    )
    before = _csco_terms(network)
    response = _assign(
        sec,
        kind="csco",
        person=_indonesian("Back-dated").pk,
        city=network.makassar.pk,
        start_date="2022-06-01",
    )
    assert response.status_code == 409 and "was held until 2022-12-31" in response.content.decode()
    assert _csco_terms(network) == before


def test_overlapping_focal_point_terms_of_one_person_are_refused(network, client_for):
    sec = client_for(network.secretariat)
    person = _indonesian("Focal Person")
    assert _assign(sec, kind="focal_point", person=person.pk, start_date="2024-01-01").status_code == 302
    response = _assign(sec, kind="focal_point", person=person.pk, start_date="2024-05-01")
    assert response.status_code == 409
    assert Role.objects.filter(kind="focal_point", person=person).count() == 1


def test_only_the_secretariat_assigns_or_ends_roles(network, client_for):
    role = Role.objects.get(kind="csco", city=network.makassar)
    anonymous = client_for(None).get("/roles/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in [
        network.makassar_officer.user,
        network.danang_officer.user,
        network.indonesia_nr.user,
        network.company_person.user,
    ]:
        c = client_for(user)
        assert c.get("/roles/").status_code == 403
        newcomer = _indonesian(f"Sneaky {user.pk}")
        data = {
            "kind": "csco",
            "person": newcomer.pk,
            "city": network.makassar.pk,
            "start_date": "2024-07-01",
        }
        assert _assign(c, **data).status_code == 403
        assert c.post(f"/roles/{role.pk}/end/", {"end_date": "2024-07-01"}).status_code == 403
    role.refresh_from_db()
    assert role.end_date is None and Role.objects.filter(kind="csco", city=network.makassar).count() == 1


def test_the_admin_goes_through_the_same_rules(network, django_user_model):
    from django.test import Client

    admin = django_user_model.objects.create_superuser(email="root@test.example", password="x")
    c = Client()
    c.force_login(admin)
    vietnamese = PersonFactory(organisation=OrganisationFactory(country="VN", name="Saigon Office"))
    form = {
        "kind": "csco",
        "city": network.makassar.pk,
        "person": vietnamese.pk,
        "start_date": "2024-07-01",
        "note": "",
    }
    refused = c.post("/admin/registry/role/add/", form)
    assert refused.status_code == 200 and "Saigon Office" in refused.content.decode()
    assert Role.objects.filter(kind="csco", city=network.makassar).count() == 1
    newcomer = _indonesian("Admin Newcomer")
    done = c.post("/admin/registry/role/add/", {**form, "person": newcomer.pk})
    assert done.status_code == 302
    assert _csco_terms(network)[0][2] == datetime.date(2024, 6, 30)  # the previous term was ended
    assert ActivityLog.objects.filter(action="end_role").exists()


def test_the_secretariat_finds_the_roles_page_from_city_and_person_pages(network, client_for):
    for url in [network.makassar.get_absolute_url(), network.makassar_officer.get_absolute_url()]:
        assert "/roles/" in client_for(network.secretariat).get(url).content.decode()
        assert "/roles/" not in client_for(network.makassar_officer.user).get(url).content.decode()
        assert "/roles/" not in client_for(None).get(url).content.decode()
