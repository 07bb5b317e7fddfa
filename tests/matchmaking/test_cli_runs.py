"""`ascnhub matchmaking run` and `rollback` on the demo meeting (its matchmaking loaded by the
matchmaking app's own demo loader, on the registry, projects and events demo it builds on)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from ascnhub.events import demo as events_demo
from ascnhub.matchmaking import demo as matchmaking_demo
from ascnhub.matchmaking.models import ScheduledMeeting, ScheduleRun, Setup
from ascnhub.projects import demo as projects_demo
from ascnhub.registry import demo as registry_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _cli(*args: str) -> str:
    out = io.StringIO()
    call_command("matchmaking", *args, stdout=out)
    return out.getvalue()


def _placement(run) -> dict[int, tuple[int, int]]:
    return {m.request_id: (m.slot_id, m.location_id) for m in ScheduledMeeting.objects.filter(run=run)}


def test_cli_run_keeps_the_published_schedule_and_rollback_restores_a_run():
    registry_demo.load(lambda _: None)
    projects_demo.load(lambda _: None)  # the needs and offers the profiles are made from
    events_demo.load(lambda _: None)
    matchmaking_demo.load(lambda _: None)
    slug = matchmaking_demo.SLUG
    setup = Setup.objects.get(meeting__slug=slug)
    first = setup.published_run
    published = _placement(first)
    assert first.number == 1 and len(published) > 200

    out = _cli("run", slug, "--time-limit", "5", "--publish")
    assert "0 moved, 0 added, 0 dropped, 0 affected" in out and "Published run 2" in out
    setup.refresh_from_db()
    assert setup.published_run.number == 2 and _placement(setup.published_run) == published

    out = _cli("run", slug, "--time-limit", "3", "--from-scratch")
    assert "Run 3:" in out and "(from scratch)" in out
    setup.refresh_from_db()
    assert setup.published_run.number == 2  # not published without --publish

    out = _cli("rollback", slug, "--to-run", "1")
    assert "Run 1 published again as run 4" in out and "0 moved" in out
    setup.refresh_from_db()
    assert setup.published_run.number == 4 and setup.published_run.restored_from == first
    assert _placement(setup.published_run) == published

    ScheduleRun.objects.filter(number=3).update(status="failed")
    with pytest.raises(CommandError, match="Run 3 is failed: only a finished run can be published again"):
        _cli("rollback", slug, "--to-run", "3")
    with pytest.raises(CommandError, match="--to-run"):
        _cli("rollback", slug)
    with pytest.raises(CommandError, match="--time-limit must be 1 to 600"):
        _cli("run", slug, "--time-limit", "0")
