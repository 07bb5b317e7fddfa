"""A task worker killed in the middle of a scheduling run leaves the published schedule exactly as
it was; the dead run is reported as failed once it is overdue, and a new run can start and
finish on a fresh worker.

This is the real thing: its own database (an SQLite file, or a fresh PostgreSQL database beside
the test one), the demo network, `ascnhub db_worker` as a separate process, and SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

START = """
import django, json
django.setup()
from django.db import transaction
from ascnhub.matchmaking import scheduling
from ascnhub.matchmaking.models import ScheduledMeeting, Setup
setup = Setup.objects.get(meeting__slug="asean-japan-hlm-2021")
published = setup.published_run
Setup.objects.filter(pk=setup.pk).update(solver_time_limit=300)  # far longer than the test waits
setup.refresh_from_db()
with transaction.atomic():
    # From scratch: a run that keeps the published meetings is solved in about a second, and this
    # test needs one still solving when the worker is killed.
    run = scheduling.start_run(None, setup, from_scratch=True)
rows = ScheduledMeeting.objects.filter(run=published)
meetings = sorted(rows.values_list("request_id", "slot_id", "location_id"))
print(json.dumps({"run": run.pk, "published": published.pk, "meetings": meetings}))
"""

AFTER_CRASH = """
import django, json, datetime, sys
django.setup()
from django.db import transaction
from django.utils import timezone
from ascnhub.matchmaking import scheduling
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import ScheduledMeeting, ScheduleRun, Setup
setup = Setup.objects.get(meeting__slug="asean-japan-hlm-2021")
dead = ScheduleRun.objects.get(pk=int(sys.argv[1]))
out = {"status_after_kill": dead.status, "published": setup.published_run_id,
       "meetings": sorted(ScheduledMeeting.objects.filter(run_id=setup.published_run_id)
                          .values_list("request_id", "slot_id", "location_id"))}
try:  # while the dead run is not yet overdue it still blocks a new one
    with transaction.atomic():
        scheduling.start_run(None, setup)
    out["blocked_while_fresh"] = False
except MatchmakingError as exc:
    out["blocked_while_fresh"] = exc.code == "busy"
later = dead.started_at + datetime.timedelta(seconds=dead.time_limit) + scheduling.abandon_grace()
out["failed_when_overdue"] = scheduling.fail_abandoned_runs(setup, now=later + datetime.timedelta(seconds=1))
dead.refresh_from_db()
out["dead_status"], out["dead_error"] = dead.status, dead.error
Setup.objects.filter(pk=setup.pk).update(solver_time_limit=3)
setup.refresh_from_db()
with transaction.atomic():
    out["new_run"] = scheduling.start_run(None, setup).pk
print(json.dumps(out))
"""

STATE = """
import django, json, sys
django.setup()
from ascnhub.matchmaking.models import ScheduleRun, Setup

run = ScheduleRun.objects.get(pk=int(sys.argv[1]))
setup = Setup.objects.get(pk=run.setup_id)
print(json.dumps({"status": run.status, "published": setup.published_run_id, "result": bool(run.result)}))
"""


def _python(code: str, env: dict[str, str], *argv: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fresh_postgres(url: str) -> tuple[str, object]:
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    name = f"ascnhub_crash_{os.getpid()}"
    admin = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return urllib.parse.urlunsplit(parsed._replace(path=f"/{name}")), drop


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "ascnhub"),
            "db_worker",
            "--queue-name",
            "*",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(env: dict[str, str], run_id: int, until, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = _python(STATE, env, str(run_id))
        if until(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.5)


def test_killing_the_worker_mid_run_keeps_the_published_schedule(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ASCNHUB_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="ascnhub.settings",
        ASCNHUB_LOG_LEVEL="WARNING",
        ASCNHUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = _fresh_postgres(os.environ["DATABASE_URL"])
    worker = None
    try:
        for command in (["migrate", "--noinput", "-v0"], ["demo", "load"]):
            done = subprocess.run(
                [str(BIN / "ascnhub"), *command],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert done.returncode == 0, done.stderr[-3000:]
        before = _python(START, env)
        worker = _worker(env, tmp_path / "worker1.log")
        state = _wait(env, before["run"], lambda s: s["status"] != "queued", timeout=120)
        assert state["status"] == "running", state  # the worker is at it (300 s limit)
        # Killed at once: the engine proves the demo's schedule optimal in a few seconds now, and
        # each look at the run costs a process start, so waiting longer could let the run finish.
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)

        after = _python(AFTER_CRASH, env, str(before["run"]))
        assert after["status_after_kill"] == "running"  # nobody could tell the database
        assert after["published"] == before["published"]
        assert after["meetings"] == before["meetings"] and len(after["meetings"]) > 100
        assert after["blocked_while_fresh"] is True
        assert after["failed_when_overdue"] == 1
        assert after["dead_status"] == "failed" and "worker stopped" in after["dead_error"]

        worker = _worker(env, tmp_path / "worker2.log")
        state = _wait(env, after["new_run"], lambda s: s["status"] in ("done", "failed"), timeout=180)
        assert state == {"status": "done", "published": before["published"], "result": True}
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        if drop is not None:
            drop()
