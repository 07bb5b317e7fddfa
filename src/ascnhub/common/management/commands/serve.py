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
        # One process per core with two threads each: Python runs one thread per process at a time,
        # so more threads than that only take turns. With 50 concurrent registering clients on 2
        # cores, 2 x 2 had a 1.1-1.6x lower p95 than the former 3 x 4 and used 20-35 % less CPU per
        # request (2 x 1 was lower still, but one slow client would then hold a whole process);
        # see docs/benchmarks.md.
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("ASCNHUB_WEB_WORKERS", "0")) or max(2, os.cpu_count() or 2),
            help="gunicorn worker processes (default: one per CPU core, at least 2)",
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ASCNHUB_WEB_THREADS", "2")))
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
