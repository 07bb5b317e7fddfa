"""Several worker processes sweep the same outbox at the same moment: each message reaches the mail
server exactly once, and no row is even attempted twice, because a claim is one conditional UPDATE.

The real thing: its own database (an SQLite file, or a fresh PostgreSQL database beside the test
one), separate processes started together, and an SMTP server (aiosmtpd) counting what arrives.
On PostgreSQL, threads with their own connections also race for single rows."""

from __future__ import annotations

import email
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, connections

from tests.matchmaking.test_worker_crash import _fresh_postgres

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MESSAGES = 60
WORKERS = 4

QUEUE = f"""
import django
django.setup()
from django.core.mail import EmailMessage
from ascnhub.common import mail
mail.queue([EmailMessage(f"Agenda {{i}}", "Table 12", to=[f"p{{i}}@example.org"]) for i in range({MESSAGES})])
"""

WORKER = """
import django, json, pathlib, sys, time
django.setup()
from django.db import connection
from ascnhub.common import mail
connection.ensure_connection()
folder = pathlib.Path(sys.argv[1])
(folder / f"ready-{sys.argv[2]}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
print(json.dumps(mail.send_pending()))
"""

ROWS = """
import django, json
django.setup()
from ascnhub.common.models import OutgoingEmail
print(json.dumps(sorted(OutgoingEmail.objects.order_by().values_list("status", "attempts").distinct())))
"""


class Mailbox:
    def __init__(self):
        self.subjects: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.subjects.append(email.message_from_bytes(envelope.content)["Subject"])
        return "250 OK"


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_workers_sweeping_together_send_each_message_once(tmp_path):
    box = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ASCNHUB_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="ascnhub.settings",
        ASCNHUB_LOG_LEVEL="WARNING",
        ASCNHUB_TASK_BACKEND="django_tasks.backends.dummy.DummyBackend",  # no task worker: only the sweeps
        ASCNHUB_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        ASCNHUB_EMAIL_HOST="127.0.0.1",
        ASCNHUB_EMAIL_PORT=str(port),
    )
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = _fresh_postgres(os.environ["DATABASE_URL"])
    workers: list[subprocess.Popen] = []
    try:
        _run([str(BIN / "ascnhub"), "migrate", "--noinput", "-v0"], env)
        _run([sys.executable, "-c", QUEUE], env)
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(tmp_path), str(i)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(WORKERS)
        ]
        deadline = time.monotonic() + 120
        while len(list(tmp_path.glob("ready-*"))) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.05)
        (tmp_path / "go").touch()  # all of them list the same due messages, then race for each
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=240)
            assert worker.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
        assert sum(r.get("sent", 0) for r in results) == MESSAGES, results
        assert sorted(box.subjects) == sorted(f"Agenda {i}" for i in range(MESSAGES))  # each once
        assert json.loads(_run([sys.executable, "-c", ROWS], env).strip().splitlines()[-1]) == [["sent", 1]]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
        smtp.stop()
        if drop is not None:
            drop()


def _race(n: int, work) -> list:
    """Run `work()` in n threads released together, each on its own connection; their results."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work()
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


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel connections are tested on PostgreSQL")
def test_threads_claiming_one_row_at_once_have_one_winner():
    from ascnhub.common import delivery, mail
    from ascnhub.common.models import OutgoingEmail

    rows = [
        OutgoingEmail.objects.create(subject=f"s{i}", recipients=["a@example.org"], message={})
        for i in range(5)
    ]
    for row in rows:
        won = _race(8, lambda pk=row.pk: delivery.claim(mail.CHANNEL, pk) is not None)
        assert won.count(True) == 1, won
    assert set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}
