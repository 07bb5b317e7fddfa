"""Two people acting at once never create a double booking or two requests for one pair (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ascnhub.matchmaking import scheduling, services
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import MeetingRequest, ScheduledMeeting, ScheduleRun

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("parallel transactions need PostgreSQL (SQLite serialises all writers)")


def _in_parallel(*fns):
    barrier = threading.Barrier(len(fns))
    results: list = [None] * len(fns)

    def runner(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # collected and inspected by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_simultaneous_requests_for_the_same_pair_make_one(mm):
    results = _in_parallel(
        lambda: services.send_request(None, mm.makassar, mm.company),
        lambda: services.send_request(None, mm.company, mm.makassar),
    )
    assert sum(isinstance(r, MeetingRequest) for r in results) == 1
    assert sum(isinstance(r, MatchmakingError) and r.code == "duplicate" for r in results) == 1
    assert MeetingRequest.objects.count() == 1


def test_two_publications_at_once_leave_one_consistent_schedule(mm):
    services.answer_request(None, services.send_request(None, mm.makassar, mm.company), accept=True)
    services.answer_request(None, services.send_request(None, mm.danang, mm.company), accept=True)
    a = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    b = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    results = _in_parallel(lambda: scheduling.publish_run(None, a), lambda: scheduling.publish_run(None, b))
    mm.setup.refresh_from_db()
    published = ScheduleRun.objects.filter(status="published")
    assert list(published) == [mm.setup.published_run]
    # Whatever the order, the newer run is the schedule and nobody is in two meetings at once.
    assert mm.setup.published_run == b
    assert (
        any(isinstance(r, MatchmakingError) and r.code == "stale" for r in results)
        or ScheduleRun.objects.get(pk=a.pk).status == "superseded"
    )
    meetings = ScheduledMeeting.objects.filter(run=b)
    company_slots = [m.slot_id for m in meetings]
    assert len(company_slots) == len(set(company_slots)) == 2


def test_two_acceptances_for_one_full_participant_at_once_accept_one(mm):
    # The company may have one meeting; two requests to it are accepted at the same moment.
    mm.setup.max_meetings = 1
    mm.setup.save()
    first = services.send_request(None, mm.makassar, mm.company)
    second = services.send_request(None, mm.danang, mm.company)
    results = _in_parallel(
        lambda: services.answer_request(None, first, accept=True),
        lambda: services.answer_request(None, second, accept=True),
    )
    assert sum(isinstance(r, MeetingRequest) for r in results) == 1
    assert sum(isinstance(r, MatchmakingError) and r.code == "meeting_limit" for r in results) == 1
    assert MeetingRequest.objects.filter(status="accepted").count() == 1
