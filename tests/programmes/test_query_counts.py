"""List pages cost the same number of queries for few and many rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.programmes import services
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _more(progs, n: int) -> None:
    for i in range(n):
        services.create_study(
            None,
            {"programme": progs.programme, "title": f"Study {i}", "theme": "T", "fiscal_year": 2020 + i % 5},
            cities=[progs.net.makassar, progs.net.danang],
            consortium=[OrganisationFactory(), OrganisationFactory()],
        )
        services.create_agreement(
            None,
            {"title": f"Agreement {i}", "signed_on": datetime.date(2023, 1, 1 + i)},
            cities=[progs.net.makassar, progs.net.banyuwangi],
            items=[{"number": 1, "title": "One"}, {"number": 2, "title": "Two"}],
        )


@pytest.mark.parametrize(
    "url",
    [
        lambda p: "/programmes/",
        lambda p: p.programme.get_absolute_url(),
        lambda p: p.net.makassar.get_absolute_url(),
        lambda p: "/outcomes/",
    ],
)
def test_list_pages_do_not_grow_with_rows(progs, client, url):
    few = _queries(client, url(progs))
    _more(progs, 6)
    assert _queries(client, url(progs)) == few
