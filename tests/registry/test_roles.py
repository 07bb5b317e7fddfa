"""Time-bound roles: a new holder ends the previous term, which stays in the history."""

from __future__ import annotations

import datetime

import pytest

from ascnhub.common.models import ActivityLog
from ascnhub.registry import services
from ascnhub.registry.models import Role
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_assigning_a_new_officer_ends_the_previous_term(network, client_for):
    newcomer = PersonFactory(name="New Officer", organisation=OrganisationFactory(country="ID"))
    services.assign_role(
        network.secretariat,
        kind=Role.Kind.CSCO,
        city=network.makassar,
        person=newcomer,
        start_date=datetime.date(2024, 1, 1),
    )
    roles = Role.objects.filter(kind=Role.Kind.CSCO, city=network.makassar).order_by("start_date")
    assert [r.person for r in roles] == [network.makassar_officer, newcomer]
    assert roles[0].end_date == datetime.date(2023, 12, 31) and roles[1].end_date is None
    assert list(Role.objects.current().filter(kind="csco", city=network.makassar)) == [roles[1]]
    assert {e.action for e in ActivityLog.objects.all()} == {"assign_role", "end_role"}
    # The former officer has lost edit rights on the city.
    assert client_for(network.makassar_officer.user).get("/cities/makassar/edit/").status_code == 403
    assert client_for(newcomer.user).get("/cities/makassar/edit/").status_code == 200
    html = client_for(None).get("/cities/makassar/").content.decode()
    assert "New Officer" in html and "Past officers" in html


def test_a_new_term_cannot_start_before_the_current_one(network):
    with pytest.raises(services.RoleError, match="must start later") as refused:
        services.assign_role(
            network.secretariat,
            kind=Role.Kind.CSCO,
            city=network.makassar,
            person=PersonFactory(organisation=OrganisationFactory(country="ID")),
            start_date=datetime.date(2019, 1, 1),
        )
    assert (refused.value.code, refused.value.field) == ("overlap", "start_date")
    assert Role.objects.filter(kind="csco", city=network.makassar).count() == 1
