"""`ascnhub serve`: the web server (gunicorn, static files by WhiteNoise) and the task worker together.

Both are child processes; Ctrl-C (SIGINT) or SIGTERM stops both, and if either dies the other is
stopped too, so a half-running platform never lingers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform with gunicorn and run the background task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        # Two single-threaded processes per core. Python runs one thread per process at a time, so
        # threads only take turns; a second process per core keeps the core busy while the first
        # waits for the database (SQLite's write lock, PostgreSQL's answers). With 50 registering
        # clients on 2 cores (docs/benchmarks.md), 4 x 1 gave 98.8/s and p95 524 ms on SQLite and
        # 81.6/s, p95 631 ms on PostgreSQL, where 2 x 2 gave 90.6/s, p95 799 ms and 67.1/s, p95
        # 1,033 ms (3 x 4 before that: p95 3.0-5.1 s on a loaded machine). With one thread gunicorn
        # uses its sync workers, which expect a buffering reverse proxy in front of a public server
        # (docs/deployment.md) so that a slow client cannot hold a process.
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("ASCNHUB_WEB_WORKERS", "0")) or 2 * max(1, os.cpu_count() or 1),
            help="gunicorn worker processes (default: two per CPU core)",
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ASCNHUB_WEB_THREADS", "1")))
        parser.add_argument(
            "--task-workers",
            type=int,
            default=int(os.environ.get("ASCNHUB_TASK_WORKERS", "1")),
            help="background task worker processes (0: none, e.g. on a web-only node)",
        )
        parser.add_argument(
            "--task-nice",
            type=int,
            default=int(os.environ.get("ASCNHUB_TASK_WORKER_NICE", "10")),
            help="CPU priority of the task workers below the web server (0: the same; 10 by default, so "
            "e-mails and solver runs use what web requests leave)",
        )

    def handle(
        self,
        *args,
        host: str,
        port: str,
        workers: int,
        threads: int,
        task_workers: int,
        task_nice: int,
        **options,
    ):
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "ascnhub.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
            "--timeout",
            "120",
            # Import the application once, in the master: workers start warm (ascnhub/wsgi.py) and
            # share its memory. Nothing at import time opens a database connection to share.
            "--preload",
        ]
        worker = [sys.executable, "-m", "ascnhub.cli", "db_worker", "--queue-name", "*", "--no-reload"]
        children = [subprocess.Popen(web)]

        def lower_priority() -> None:  # in the worker process, before it starts
            if task_nice > 0:
                os.nice(task_nice)

        children += [subprocess.Popen(worker, preexec_fn=lower_priority) for _ in range(task_workers)]
        self.stdout.write(
            f"ASCN Hub on http://{host}:{port}/ with {task_workers} task worker(s); Ctrl-C stops all."
        )

        stopping = False

        def stop(signum, frame):  # noqa: ARG001 - signal handler signature
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    self.stderr.write(f"{' '.join(child.args[:4])} exited with {child.returncode}; stopping.")
                    exit_code = child.returncode or 1
                    stopping = True
            time.sleep(0.3)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if exit_code:
            sys.exit(exit_code)
