"""`ascnhub serve` as `make run` starts it: gunicorn (preloaded, warm workers) and the task worker."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import ROOT, sqlite_env

# These run the platform in child processes on their own SQLite file (tests/processes.py), so a
# PostgreSQL pass would only repeat them.
pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]

ASCNHUB = [sys.executable, "-m", "ascnhub.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def _process_group(pgid: int) -> list[int]:
    """The live processes of a process group (Linux /proc)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # zombies are gone, only not yet reaped
            found.append(int(pid))
    return found


def test_importing_the_wsgi_application_warms_it_without_opening_a_database_connection(tmp_path):
    """gunicorn --preload imports it in the master: a connection opened there would be shared,
    after the fork, by every worker at once."""
    code = (
        "import sys, ascnhub.wsgi\n"
        "from django.db import connections\n"
        "from django.utils.translation import trans_real\n"
        "from django.conf import settings\n"
        "assert all(connections[a].connection is None for a in connections), 'a connection is open'\n"
        "assert 'ascnhub.events.views' in sys.modules, 'views not loaded'\n"
        "missing = {c for c, _ in settings.LANGUAGES} - set(trans_real._translations)\n"
        "assert not missing, f'catalogues not loaded: {missing}'\n"
        "print('warm')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=sqlite_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and out.stdout.strip() == "warm", out.stderr[-2000:]


def test_serve_answers_with_warm_workers_and_stops_everything_on_sigterm(tmp_path):
    env = sqlite_env(tmp_path)
    env["ASCNHUB_WEB_WORKERS"] = "2"
    subprocess.run([*ASCNHUB, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=170)
    port = _free_port()
    server = subprocess.Popen(
        [*ASCNHUB, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.stdout.read().decode()[-3000:]
            try:
                status, body = _get(port, "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer within 90 s"
                time.sleep(0.3)
        assert status == 200 and b'"ok"' in body
        for _ in range(4):  # pages from both (preloaded) workers
            status, body = _get(port, "/meetings/")
            assert status == 200 and b"<html" in body.lower()
        # serve, the gunicorn master, its 2 workers, the task worker
        assert len(_process_group(server.pid)) >= 5
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    left = _process_group(server.pid)
    assert server.returncode == 0 and left == [], f"still running after SIGTERM: {left}"
