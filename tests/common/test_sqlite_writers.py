"""SQLite writers queue on a file lock (common/dbbackends/sqlite): nobody fails, nobody is stuck.

These run real processes against a real database file, as `ascnhub serve` does with several
gunicorn workers: the test suite's own database is in memory and takes no file lock.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.processes import ROOT, sqlite_env, write_lock_held

# These run the platform in child processes on their own SQLite file (tests/processes.py), so a
# PostgreSQL pass would only repeat them.
pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]

SETUP = """
import django, sys
django.setup()
from django.db import connection, transaction
"""

WRITER = (
    SETUP
    + """
import threading
def work():
    for _ in range(25):
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("SELECT n FROM counter")
                n = c.fetchone()[0]
                c.execute("UPDATE counter SET n = %s", [n + 1])  # lost if two held the lock at once
    connection.close()
threads = [threading.Thread(target=work) for _ in range(2)]
[t.start() for t in threads]
[t.join() for t in threads]
"""
)

HOLDER = (
    SETUP
    + """
import time
with transaction.atomic():
    with connection.cursor() as c:
        c.execute("UPDATE counter SET n = -1")
    print("holding", flush=True)
    time.sleep(120)
"""
)


def _python(code: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _counter(env: dict[str, str]) -> int:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP
            + """
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
    c.execute("SELECT n FROM counter")
    row = c.fetchone()
    if row is None:
        c.execute("INSERT INTO counter VALUES (0)")
print(row[0] if row else 0)
""",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def database(tmp_path):
    env = sqlite_env(tmp_path)
    assert _counter(env) == 0  # creates the database file and the table
    return env, tmp_path / "ascnhub.sqlite3.writelock"


def test_concurrent_writers_in_several_processes_all_commit_without_losing_an_update(database):
    env, _lock = database
    writers = [_python(WRITER, env) for _ in range(4)]
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-2000:]  # no "database is locked"
    assert _counter(env) == 4 * 2 * 25


def test_a_killed_writer_never_blocks_the_others(database):
    env, lock = database
    holder = _python(HOLDER, env)
    try:
        assert holder.stdout.readline().strip() == "holding"
        assert write_lock_held(lock)
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
        writer = _python(WRITER, env)
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-2000:]
    finally:
        if holder.poll() is None:
            holder.kill()
    assert _counter(env) == 2 * 25  # the killed transaction left nothing behind
