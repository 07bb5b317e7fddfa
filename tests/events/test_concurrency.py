"""Capacities hold under concurrent registration (real threads, real connections, PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ascnhub.events import services
from ascnhub.events.models import ForumSignup, Registration
from tests.events.factories import RegistrationFactory, make_meeting, registration_data

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def _in_threads(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_parallel_registrations_never_exceed_capacity():
    hlm = make_meeting()
    hlm.private.capacity = 5
    hlm.private.save()
    results = _in_threads(
        24,
        lambda i: (
            services.register(
                hlm.meeting,
                hlm.private,
                registration_data(email=f"c{i}@test.example", answers={"sector": "Water"}),
            )[0].status
        ),
    )
    assert all(isinstance(r, str) for r in results), results
    assert results.count("approved") == 5 and results.count("waitlisted") == 19
    assert Registration.objects.filter(category=hlm.private, status__in=Registration.HOLDS_PLACE).count() == 5


def test_parallel_same_email_registers_once():
    hlm = make_meeting()
    results = _in_threads(
        10,
        lambda i: services.register(
            hlm.meeting,
            [hlm.city, hlm.private][i % 2],
            registration_data(email="same@test.example", answers={"sector": "Water"}),
        ),
    )
    errors = [r for r in results if isinstance(r, services.EventsError)]
    assert len(errors) == 9 and {e.code for e in errors} == {"duplicate_email"}
    assert Registration.objects.filter(email="same@test.example").count() == 1


def test_parallel_forum_signups_never_exceed_seats():
    hlm = make_meeting()  # the water forum has 2 seats
    regs = [RegistrationFactory(meeting=hlm.meeting, category=hlm.city) for _ in range(12)]
    results = _in_threads(12, lambda i: services.sign_up(regs[i], hlm.forum))
    assert sum(isinstance(r, ForumSignup) for r in results) == 2, results
    assert ForumSignup.objects.filter(session=hlm.forum).count() == 2


def test_parallel_check_ins_store_one():
    hlm = make_meeting()
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    token = services.badge_token(reg)
    results = _in_threads(8, lambda i: services.check_in(None, hlm.meeting, token=token).outcome)
    assert sorted(results) == ["again"] * 7 + ["ok"]
