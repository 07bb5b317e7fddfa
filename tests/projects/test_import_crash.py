"""A process killed in the middle of an import leaves the previous data exactly as it was.

A real database file, a real import of a few thousand rows in a separate process, and SIGKILL
while that process holds the write transaction (it holds the SQLite write lock of
common/dbbackends/sqlite then, which the test can see from outside). The test suite's own database
is in memory, so this one has its own data directory.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from tests.processes import ROOT, sqlite_env, write_lock_held

# These run the platform in child processes on their own SQLite file (tests/processes.py), so a
# PostgreSQL pass would only repeat them.
pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]

PREPARE = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import make_network
from tests.projects.test_imports import GOOD, _csv
from ascnhub.projects import importers
net = make_network()
outcome = importers.import_file(net.secretariat, "projects", _csv([GOOD]))
assert outcome.ok, outcome.errors
print(json.dumps({"user": net.secretariat.pk}))
"""

IMPORT = """
import django, sys
django.setup()
from ascnhub.common.models import User
from tests.projects.test_imports import GOOD, _csv
from ascnhub.projects import importers
rows = [[GOOD[0], f"Sensor network {n}", *GOOD[2:]] for n in range(int(sys.argv[2]))]
upload = _csv(rows)
print("importing", flush=True)
outcome = importers.import_file(User.objects.get(pk=int(sys.argv[1])), "projects", upload)
print("done", outcome.ok, outcome.count, flush=True)
"""

STATE = """
import django, json
django.setup()
from django.db import connection
from ascnhub.common.models import ActivityLog
from ascnhub.projects.models import Project
with connection.cursor() as c:
    c.execute("PRAGMA integrity_check")
    integrity = c.fetchone()[0]
print(json.dumps({"projects": sorted(Project.objects.values_list("title", flat=True)),
                  "log": ActivityLog.objects.count(), "integrity": integrity}))
"""


def _run(code: str, env: dict[str, str], *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_killing_an_import_mid_way_keeps_the_previous_data(tmp_path):
    env = sqlite_env(tmp_path)
    user = _run(PREPARE, env)["user"]
    before = _run(STATE, env)
    assert before["projects"] == ["Flood sensors"] and before["integrity"] == "ok"
    lock = tmp_path / "ascnhub.sqlite3.writelock"

    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORT, str(user), "3000"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert importer.stdout.readline().strip() == "importing"
        deadline = time.monotonic() + 120
        while not write_lock_held(lock):  # until the import's transaction is under way
            assert importer.poll() is None, "the import finished before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)  # well inside: rows are being written
        assert importer.poll() is None
        importer.send_signal(signal.SIGKILL)
        importer.wait(30)
    finally:
        if importer.poll() is None:
            importer.kill()
    after = _run(STATE, env)
    assert after == before  # no project, no log entry of the killed import; the file is sound

    # And the next import runs normally (nothing left locked or half-written).
    out = subprocess.run(
        [sys.executable, "-c", IMPORT, str(user), "3"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0 and "done True 3" in out.stdout, out.stderr[-3000:]
    assert len(_run(STATE, env)["projects"]) == 4
