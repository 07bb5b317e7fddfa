"""Registration under load: 1,200 registrations from 50 concurrent clients against the real server.

For each database (SQLite always; PostgreSQL when DATABASE_URL is set or --postgres is given) it
makes a fresh data directory (and a fresh PostgreSQL database), migrates, loads the demo (the
registry and the 3rd ASEAN–Japan HLM with its ~1,200 registrants), opens a copy of that meeting
for registration, starts `ascnhub serve` (gunicorn + task worker, as `make run` does) on a free
loopback port, then:

- baseline: one client submits --baseline registrations one after another;
- load: --clients concurrent clients (threads, keep-alive http.client connections) submit
  --registrations registrations in all, each with its own e-mail address.

Every submission is a real browser-like round: the form's CSRF token is read once per client,
then each POST must answer 302 (to the registrant's page); anything else counts as an error.
Afterwards the database is checked: every submission stored once, no category over capacity.
Prints ONE JSON object (inputs, figures per database, environment).

    .venv/bin/python benchmarks/bench_registration.py [--registrations 1200] [--clients 50]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# `python -m ascnhub.cli` rather than the `ascnhub` script: it also runs from a plain PYTHONPATH.
ASCNHUB = [sys.executable, "-m", "ascnhub.cli"]
SOURCE = "asean-japan-hlm-2021"
SLUG = "bench-registration"
CATEGORIES = ["government", "city", "private", "partner", "media"]

PREPARE = f"""
import django, datetime, json
django.setup()
from django.db import transaction
from ascnhub.registry import demo as registry_demo
from ascnhub.events import demo as events_demo, services
from ascnhub.events.models import Meeting
with transaction.atomic():
    registry_demo.load(lambda _: None)
    events_demo.load(lambda _: None)
    source = Meeting.objects.get(slug="{SOURCE}")
    copy = services.clone_meeting(None, source, slug="{SLUG}", title="Registration benchmark",
                                  start_date=datetime.date(2030, 10, 18),
                                  parts={{"rooms", "categories", "sessions"}})
    copy.status = "open"
    copy.save()
    services.publish_agenda(None, copy)
print(json.dumps({{"categories": {{c.code: c.capacity for c in copy.categories.all()}}}}))
"""

SERVE_CONFIG = """
import django, json
django.setup()
from ascnhub.common.management.commands.serve import Command
parser = Command().create_parser("ascnhub", "serve")
print(json.dumps({a.dest: a.default for a in parser._actions
                  if a.dest in ("workers", "threads", "task_workers", "task_nice")}))
"""

VERIFY = f"""
import django, json
django.setup()
from django.db.models import Count, Q
from ascnhub.events.models import Registration, RegistrationCategory
regs = Registration.objects.filter(meeting__slug="{SLUG}")
over = [c.code for c in RegistrationCategory.objects.filter(meeting__slug="{SLUG}").annotate(
    n=Count("registrations", filter=Q(registrations__status__in=Registration.HOLDS_PLACE)))
    if c.capacity is not None and c.n > c.capacity]
by_status = dict(regs.values_list("status").annotate(n=Count("id")))
dupes = regs.values("email").annotate(n=Count("id")).filter(n__gt=1).count()
print(json.dumps({{"stored": regs.count(), "by_status": by_status, "categories_over_capacity": over,
                  "duplicate_emails": dupes}}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_python(code: str, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Client:
    """One browser-like client: a keep-alive connection, its CSRF cookie and token."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.token = ""

    def _request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                data = response.read()
                return response, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")

    def prepare(self, category: str) -> None:
        response, data = self._request("GET", f"/meetings/{SLUG}/register/{category}/")
        if response.status != 200:
            raise RuntimeError(f"form answered {response.status}")
        cookies = response.headers.get_all("Set-Cookie") or []
        self.cookie = "; ".join(c.split(";", 1)[0] for c in cookies if c.startswith("csrftoken="))
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
        self.token = match.group(1).decode() if match else ""

    def register(self, n: int, category: str, run: str) -> tuple[float, int]:
        fields = {
            "csrfmiddlewaretoken": self.token,
            "name": f"Bench Participant {run} {n}",
            "email": f"bench-{run}-{n}@load.example",
            "organisation_name": "Load Test Agency",
            "job_title": "Tester",
            "country": ["ID", "TH", "VN", "PH", "MY"][n % 5],
            "language": ["en", "id", "ja"][n % 3],
            "timezone": "Asia/Jakarta",
            "mode": "online" if n % 3 == 0 else "in_person",
            "consent_list": "on",
            "submission_key": uuid.uuid4().hex,
            "q_ministry_unit": "Directorate of Urban Affairs",
            "q_city": "Makassar",
            "q_sector": "Water",
            "q_matchmaking": "on",
            "q_outlet": "Load Times",
        }
        body = urllib.parse.urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        start = time.perf_counter()
        response, _ = self._request("POST", f"/meetings/{SLUG}/register/{category}/", body, headers)
        return time.perf_counter() - start, response.status


def server_cpu_s(pgid: int) -> dict[str, float]:
    """CPU seconds used so far by the server's processes (Linux /proc), web and task worker apart."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"web": 0.0, "task_worker": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if int(stat[2]) != pgid:  # process group
            continue
        kind = "task_worker" if b"db_worker" in cmd else "web" if b"gunicorn" in cmd else None
        if kind:
            used[kind] += (int(stat[11]) + int(stat[12])) / tick  # utime + stime
    return used


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def drive(port: int, total: int, clients: int, run: str) -> dict:
    """`clients` threads share `total` submissions; returns throughput, latency and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))
    barrier = threading.Barrier(clients)

    def worker(i: int) -> None:
        category = CATEGORIES[i % len(CATEGORIES)]
        client = Client(port)
        try:
            client.prepare(category)
        except Exception as exc:  # noqa: BLE001 - counted as errors
            with lock:
                errors.append(f"prepare: {exc}")
        barrier.wait()
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            try:
                elapsed, status = client.register(n, category, run)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append(elapsed)
                if status != 302:
                    errors.append(f"HTTP {status}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {
        "submitted": total,
        "clients": clients,
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(latencies) / wall, 1) if wall else None,
        "latency_ms": {
            "p50": round(percentile(latencies, 0.5) * 1000, 1),
            "p95": round(percentile(latencies, 0.95) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
            "max": round(max(latencies) * 1000, 1) if latencies else None,
            "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        },
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
    }


def wait_for(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def postgres_database(url: str) -> tuple[str, callable]:
    """Create a fresh database beside the one in `url`; returns its URL and a function that drops it."""
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    name = f"ascnhub_bench_{os.getpid()}"
    admin_url = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return urllib.parse.urlunsplit(parsed._replace(path=f"/{name}")), drop


def bench_database(kind: str, args, database_url: str | None) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"ascnhub-bench-{kind}-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ASCNHUB_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="ascnhub.settings",
        ASCNHUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ASCNHUB_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    )
    drop = None
    if database_url:
        env["DATABASE_URL"], drop = postgres_database(database_url)
    server = None
    try:
        started = time.perf_counter()
        subprocess.run([*ASCNHUB, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
        prepared = run_python(PREPARE, env)
        serve_config = run_python(SERVE_CONFIG, env)
        setup_s = time.perf_counter() - started
        port = free_port()
        with open(data_dir / "server.log", "w") as log:
            server = subprocess.Popen(
                [*ASCNHUB, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            wait_for(port, server)
            baseline = drive(port, args.baseline, 1, "base")
            cpu_before, load_before = server_cpu_s(server.pid), os.getloadavg()[0]
            client_before = time.process_time()
            load = drive(port, args.registrations, args.clients, "load")
            client_cpu = time.process_time() - client_before
            cpu_after, load_after = server_cpu_s(server.pid), os.getloadavg()[0]
            # CPU per registration while the 50 clients ran (the e-mails mostly follow afterwards),
            # and the machine's load average: on a shared machine, other jobs take cores too.
            load["server_cpu_ms_per_registration"] = {
                k: round((cpu_after[k] - cpu_before[k]) * 1000 / args.registrations, 1) for k in cpu_after
            }
            # The clients share the machine's cores with the server: their CPU counts against it too.
            load["client_cpu_ms_per_registration"] = round(client_cpu * 1000 / args.registrations, 1)
            load["machine_load_average"] = [round(load_before, 1), round(load_after, 1)]
            check = run_python(VERIFY, env)
        return {
            "setup_s": round(setup_s, 1),
            "capacities": prepared["categories"],
            "server_config": serve_config,
            "baseline_single_client": baseline,
            "load": load,
            "database_check": check,
            "goal_met": load["errors"] == 0
            and load["latency_ms"]["p95"] < 300
            and not check["categories_over_capacity"]
            and check["duplicate_emails"] == 0
            and check["stored"] == args.registrations + args.baseline,
        }
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if drop:
            drop()
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrations", type=int, default=1200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--baseline", type=int, default=100, help="registrations by a single client first")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL URL (default: DATABASE_URL); empty: SQLite only",
    )
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    results = {"sqlite": bench_database("sqlite", args, None)}
    if args.postgres and not args.sqlite_only:
        results["postgresql"] = bench_database("postgresql", args, args.postgres)
    print(
        json.dumps(
            {
                "benchmark": "registration",
                "inputs": {
                    "registrations": args.registrations,
                    "clients": args.clients,
                    "baseline": args.baseline,
                    "meeting": f"copy of {SOURCE} (categories with capacities: full ones fill the waiting "
                    "list)",
                    "server": "ascnhub serve as `make run` starts it (gunicorn gthread + task worker; "
                    "its defaults are in each result's server_config)",
                    "goal": "zero errors, p95 < 300 ms",
                },
                "results": results,
                "environment": {
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "machine": platform.machine(),
                },
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
