"""Public registry pages: what an anonymous visitor sees, and that list pages make no N+1 queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.registry.models import Role
from tests.factories import CityFactory, MemberStateFactory, OrganisationFactory, PersonFactory, officer_of

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/", "/cities/", "/cities/?country=ID", "/member-states/", "/organisations/"]
)
def test_list_pages_make_the_same_number_of_queries_for_3_or_15_records(client, url):
    state = MemberStateFactory(code="ID", name="Indonesia")
    for _ in range(3):
        officer_of(CityFactory(country=state))
        PersonFactory()
    few = _queries(client, url)
    for _ in range(12):
        officer_of(CityFactory(country=state))
        PersonFactory()
    assert _queries(client, url) == few


def test_city_list_filters_by_country(client, network):
    html = client.get("/cities/?country=VN").content.decode()
    assert ">Da Nang</a>" in html and ">Makassar</a>" not in html
    html = client.get("/cities/").content.decode()
    assert ">Da Nang</a>" in html and ">Makassar</a>" in html and ">Banyuwangi</a>" in html


def test_city_page_shows_current_and_past_officers_and_nr(client, network):
    past = PersonFactory(name="Former Officer")
    Role.objects.create(
        kind=Role.Kind.CSCO,
        city=network.makassar,
        person=past,
        start_date=datetime.date(2018, 4, 28),
        end_date=datetime.date(2019, 12, 31),
    )
    html = client.get("/cities/makassar/").content.decode()
    assert network.makassar_officer.name in html
    assert "Past officers" in html and "Former Officer" in html
    assert network.indonesia_nr.organisation.name in html


def test_member_state_page_lists_its_cities_and_nr(client, network):
    html = client.get("/member-states/id/").content.decode()
    assert "Makassar" in html and "Banyuwangi" in html and "Da Nang" not in html
    assert network.indonesia_nr.organisation.name in html


def test_state_without_known_nr_says_to_be_confirmed(client):
    MemberStateFactory(code="TL", name="Timor-Leste")
    assert "To be confirmed" in client.get("/member-states/tl/").content.decode()


def test_organisation_list_filters(client):
    OrganisationFactory(name="Aoba Sensors", kind="company", country="JP")
    OrganisationFactory(name="Ministry of Things", kind="ministry", country="ID")
    html = client.get("/organisations/?kind=company").content.decode()
    assert "Aoba Sensors" in html and "Ministry of Things" not in html
    html = client.get("/organisations/?q=ministry").content.decode()
    assert "Ministry of Things" in html and "Aoba Sensors" not in html


def test_unknown_city_is_404(client, db):
    assert client.get("/cities/atlantis/").status_code == 404


def test_pages_carry_a_strict_content_security_policy(client, network):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
