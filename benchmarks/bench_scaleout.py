"""Scale-out proof: one process against two web processes + two task workers behind a balancer.

On a real PostgreSQL (the one in --postgres / DATABASE_URL, or a private server this script
starts with initdb in a temporary directory) it migrates a fresh database, loads the demo
network, opens two copies of the 3rd ASEAN–Japan HLM for registration and opens the demo
meeting's matchmaking for requests, issues API tokens for matchmaking participants, then:

1. single: `ascnhub serve --workers 1 --task-workers 1` (one web process, one worker);
2. scaled: two such web processes (`--task-workers 1` each, so two task workers) on two ports
   behind benchmarks/balancer.py (round-robin TCP, like HAProxy in tcp mode).

Through each it runs the same load, on its own meeting copy and its own participants:
registration (--registrations by --clients concurrent clients, every POST must answer 302) and
matchmaking (--requesters API clients each sending --requests meeting requests, every POST must
answer 201). Then, on the scaled set-up, the soak: --users concurrent users for --soak-seconds,
each a browser (public pages), a registrant (form, POST, own page) or a matchmaker (API list and
request), pausing 2–8 s between actions like a person; zero errors and p95 < 500 ms is the goal.
Every phase ends with the database checked against what the clients were told (nothing lost,
nothing doubled, no capacity exceeded) once the task workers have drained their queue.
Prints ONE JSON object.

    .venv/bin/python benchmarks/bench_scaleout.py [--quick] [--postgres URL]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_registration import ASCNHUB, free_port, percentile, postgres_database, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMO = "asean-japan-hlm-2021"
PHASES = ["single", "scaled", "soak"]
BROWSE = [
    "/",
    "/cities/",
    "/cities/makassar/",
    "/member-states/",
    "/projects/",
    "/needs/",
    "/offers/",
    "/dashboard/",
    f"/meetings/{DEMO}/",
    "/meetings/",
    "/outcomes/",
    "/knowledge/",
    "/knowledge/guidebook/",
    "/api/v1/cities",
    "/api/v1/projects",
    "/search/?q=flood",
]

PREPARE = """
import django, datetime, json, sys
django.setup()
from django.db import transaction
from ascnhub.events import services
from ascnhub.events.models import Meeting
from ascnhub.matchmaking.models import MeetingRequest, Profile, Setup
from ascnhub.api.services import issue_token
phases, tokens_per_phase = json.loads(sys.argv[1]), int(sys.argv[2])
CATEGORIES = ["government", "city", "private", "partner", "media"]
out = {"meetings": {}, "tokens": {}}
with transaction.atomic():
    source = Meeting.objects.get(slug=sys.argv[3])
    for i, phase in enumerate(phases):
        copy = services.clone_meeting(None, source, slug=f"bench-{phase}", title=f"Scale-out ({phase})",
                                      start_date=datetime.date(2031 + i, 10, 18),
                                      parts={"rooms", "categories", "sessions"})
        copy.status = "open"
        copy.save()
        services.publish_agenda(None, copy)
        out["meetings"][phase] = [c.code for c in copy.categories.all() if c.code in CATEGORIES]
    setup = Setup.objects.get(meeting=source)
    Setup.objects.filter(pk=setup.pk).update(is_open=True, request_deadline=None, max_open_requests=500)
    approved = Profile.objects.filter(setup=setup, owner__status="approved").order_by("pk")
    # The participants who ask (those with an account) ask in every phase; the ones they ask are
    # split into one disjoint group per phase, so no pair is asked twice across the phases.
    with_account = approved.filter(owner__user__isnull=False).select_related("owner__user")
    senders = list(with_account)[:tokens_per_phase]
    sender_ids = {p.pk for p in senders}
    others = [str(p.public_id) for p in approved if p.pk not in sender_ids]
    share = len(others) // len(phases)
    # The demo already has requests; a participant does not ask someone they have one with.
    linked = {}
    pairs = MeetingRequest.objects.filter(setup=setup).values_list(
        "requester__public_id", "recipient__public_id")
    for a, b in pairs:
        for me, other in ((a, b), (b, a)):
            linked.setdefault(me, set()).add(str(other))
    for i, phase in enumerate(phases):
        out["tokens"][phase] = [
            {"token": issue_token(p.owner.user, f"bench {phase}", ["write:meeting_requests"], days=1)[1],
             "profile": str(p.public_id), "avoid": sorted(linked.get(p.public_id, ()))} for p in senders]
        out.setdefault("recipients", {})[phase] = others[i * share:(i + 1) * share]
print(json.dumps(out))
"""

VERIFY = """
import django, json, sys
django.setup()
from django.db.models import Count, Q
from ascnhub.common.models import OutgoingEmail
from ascnhub.events.models import Registration, RegistrationCategory
from ascnhub.matchmaking.models import MeetingRequest
slug, marker = sys.argv[1], sys.argv[2]
regs = Registration.objects.filter(meeting__slug=slug)
over = [c.code for c in RegistrationCategory.objects.filter(meeting__slug=slug).annotate(
    n=Count("registrations", filter=Q(registrations__status__in=Registration.HOLDS_PLACE)))
    if c.capacity is not None and c.n > c.capacity]
requests = MeetingRequest.objects.filter(message__contains=marker)
print(json.dumps({
    "registrations_stored": regs.count(),
    "duplicate_emails": regs.values("email").annotate(n=Count("id")).filter(n__gt=1).count(),
    "categories_over_capacity": over,
    "requests_stored": requests.count(),
    "duplicate_request_pairs": requests.values("pair_low", "pair_high").annotate(n=Count("id"))
        .filter(n__gt=1).count(),
    "emails_to_registrants": OutgoingEmail.objects.filter(recipients__icontains=f"@{slug}.example").count(),
}))
"""

QUEUE = """
import django, json
django.setup()
from django_tasks_db.models import DBTaskResult
print(json.dumps({"waiting": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()}))
"""


def run_python(code: str, env: dict[str, str], *argv: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def private_postgres() -> Iterator[str]:
    """A throw-away PostgreSQL server in a temporary directory (as the `postgres` user when root)."""
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    directory = Path(tempfile.mkdtemp(prefix="ascnhub-scaleout-pg-"))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_pg:
        shutil.chown(directory, "postgres")
    port = free_port()
    subprocess.run(
        [
            *as_pg,
            str(pg_bin / "initdb"),
            "-D",
            str(directory / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_pg,
            str(pg_bin / "pg_ctl"),
            "-D",
            str(directory / "data"),
            "-l",
            str(directory / "server.log"),
            "-w",
            "-o",
            f"-p {port} -k {directory} -c listen_addresses='' -c max_connections=300 -c shared_buffers=256MB",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgres://postgres@/postgres?host={directory}&port={port}"
    finally:
        subprocess.run(
            [*as_pg, str(pg_bin / "pg_ctl"), "-D", str(directory / "data"), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(directory, ignore_errors=True)


class Http:
    """One client's keep-alive connection, reconnecting once when the server closed it."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[float, int, bytes, http.client.HTTPResponse]:
        for attempt in range(2):
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                data = response.read()
                return time.perf_counter() - start, response.status, data, response
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


class Recorder:
    """Latencies and errors per action, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.ok: dict[str, int] = {}

    def add(self, action: str, seconds: float, status: int, expected: tuple[int, ...]) -> bool:
        with self.lock:
            self.latencies.setdefault(action, []).append(seconds)
            if status in expected:
                self.ok[action] = self.ok.get(action, 0) + 1
                return True
            self.errors.append(f"{action}: HTTP {status}")
            return False

    def fail(self, action: str, error: Exception) -> None:
        with self.lock:
            self.errors.append(f"{action}: {type(error).__name__}: {error}")

    def summary(self, wall: float) -> dict:
        every = [x for values in self.latencies.values() for x in values]

        def figures(values: list[float]) -> dict:
            return {
                "n": len(values),
                "p50_ms": round(percentile(values, 0.5) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                "max_ms": round(max(values) * 1000, 1) if values else None,
            }

        return {
            "wall_s": round(wall, 1),
            "requests": len(every),
            "throughput_per_s": round(len(every) / wall, 1) if wall else None,
            **figures(every),
            "by_action": {k: figures(v) for k, v in sorted(self.latencies.items())},
            "ok": dict(sorted(self.ok.items())),
            "errors": len(self.errors),
            "error_kinds": sorted(set(self.errors))[:6],
        }


def registration_form(client: Http, slug: str, category: str) -> tuple[str, str]:
    seconds, status, data, response = client.request("GET", f"/meetings/{slug}/register/{category}/")
    if status != 200:
        raise RuntimeError(f"registration form answered {status}")
    cookies = response.headers.get_all("Set-Cookie") or []
    cookie = "; ".join(c.split(";", 1)[0] for c in cookies if c.startswith("csrftoken="))
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
    return cookie, match.group(1).decode() if match else ""


def register(client: Http, rec: Recorder, slug: str, category: str, n: int, csrf: tuple[str, str]) -> bool:
    cookie, token = csrf
    fields = {
        "csrfmiddlewaretoken": token,
        "name": f"Load Participant {n}",
        "email": f"p{n}@{slug}.example",
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
    seconds, status, _, _ = client.request(
        "POST",
        f"/meetings/{slug}/register/{category}/",
        urllib.parse.urlencode(fields),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    return rec.add("register", seconds, status, (302,))


def request_meeting(client: Http, rec: Recorder, token: str, recipient: str, marker: str) -> bool:
    body = json.dumps({"recipient": recipient, "message": f"Shall we meet? [{marker}]"})
    seconds, status, data, _ = client.request(
        "POST",
        f"/api/v1/meetings/{DEMO}/matchmaking/requests",
        body,
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    return rec.add("request_meeting", seconds, status, (201,))


def closed_loop(port: int, phase: str, prepared: dict, args) -> dict:
    """Registration load, then matchmaking load, each client sending back-to-back."""
    slug, categories = f"bench-{phase}", prepared["meetings"][phase]
    results = {}
    rec = Recorder()
    counter = iter(range(args.registrations))
    barrier = threading.Barrier(args.clients)

    def registrant(i: int) -> None:
        client, category = Http(port), categories[i % len(categories)]
        try:
            csrf = registration_form(client, slug, category)
        except Exception as exc:  # noqa: BLE001 - counted as errors
            rec.fail("form", exc)
            csrf = ("", "")
        barrier.wait()
        while (n := next(counter, None)) is not None:
            try:
                register(client, rec, slug, category, n, csrf)
            except Exception as exc:  # noqa: BLE001
                rec.fail("register", exc)

    results["registration"] = run_threads(registrant, args.clients, rec)
    rec = Recorder()
    tokens = prepared["tokens"][phase]
    profiles = prepared["recipients"][phase]

    def requester(i: int) -> None:
        client, mine = Http(port), tokens[i]
        pool = [p for p in profiles if p not in set(mine["avoid"])]
        others = random.Random(i).sample(pool, min(args.requests, len(pool)))
        for recipient in others:
            try:
                request_meeting(client, rec, mine["token"], recipient, phase)
            except Exception as exc:  # noqa: BLE001
                rec.fail("request_meeting", exc)

    results["matchmaking"] = run_threads(requester, len(tokens), rec)
    return results


def run_threads(target, count: int, rec: Recorder) -> dict:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return rec.summary(time.perf_counter() - start)


def soak(port: int, prepared: dict, args) -> dict:
    """--users people for --soak-seconds: browsing, registering and requesting meetings, with pauses."""
    slug, categories = "bench-soak", prepared["meetings"]["soak"]
    tokens, profiles = prepared["tokens"]["soak"], prepared["recipients"]["soak"]
    rec = Recorder()
    deadline = time.monotonic() + args.soak_seconds
    numbers = iter(range(10**9))
    number_lock = threading.Lock()

    def person(i: int) -> None:
        rng = random.Random(1000 + i)
        client = Http(port)
        # Of every 20 people 3 arrange meetings (each with their own token), 3 register, 14 browse.
        token_index = (i // 20) * 3 + i % 20
        if i % 20 < 3 and token_index < len(tokens):
            role, mine = "matchmaker", tokens[token_index]
        else:
            role, mine = ("registrant" if i % 20 < 6 else "browser"), None
        asked: set[str] = set(mine["avoid"]) if mine else set()
        time.sleep(rng.uniform(0, 8))  # people arrive over the first seconds, not all at once
        while time.monotonic() < deadline:
            try:
                if role == "browser":
                    seconds, status, _, _ = client.request("GET", rng.choice(BROWSE))
                    rec.add("browse", seconds, status, (200,))
                elif role == "registrant":
                    category = rng.choice(categories)
                    seconds_start = time.perf_counter()
                    csrf = registration_form(client, slug, category)
                    rec.add("registration_form", time.perf_counter() - seconds_start, 200, (200,))
                    time.sleep(rng.uniform(2, 8))  # filling in the form
                    with number_lock:
                        n = next(numbers)
                    register(client, rec, slug, category, n, csrf)
                else:
                    seconds, status, body, _ = client.request(
                        "GET",
                        f"/api/v1/meetings/{DEMO}/matchmaking/requests",
                        headers={"Authorization": f"Bearer {mine['token']}"},
                    )
                    if rec.add("list_requests", seconds, status, (200,)):
                        # Like a person reading their list: nobody asks someone they already have
                        # a request with (in either direction; the platform refuses that with 400).
                        for item in json.loads(body):
                            asked.update((item["requester"], item["recipient"]))
                    choices = [p for p in profiles if p != mine["profile"] and p not in asked]
                    recipient = rng.choice(choices)
                    asked.add(recipient)
                    request_meeting(client, rec, mine["token"], recipient, "soak")
            except Exception as exc:  # noqa: BLE001 - counted as errors
                rec.fail(role, exc)
            time.sleep(rng.uniform(2, 8))

    return run_threads(person, args.users, rec)


def drain(env: dict[str, str], timeout: float = 180) -> dict:
    """Wait until the task workers have run everything queued (e-mails to the outbox)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        waiting = run_python(QUEUE, env)["waiting"]
        if waiting == 0:
            return {"drained_after_s": round(time.monotonic() - start, 1)}
        time.sleep(2)
    return {"drained_after_s": None, "still_waiting": waiting}


def check(env: dict[str, str], phase: str, results: dict) -> dict:
    """The database against what the clients were told."""
    stored = run_python(VERIFY, env, f"bench-{phase}", f"[{phase}]")
    loads = [r for r in results.values() if "ok" in r]
    registered = sum(r["ok"].get("register", 0) for r in loads)
    requested = sum(r["ok"].get("request_meeting", 0) for r in loads)
    stored["registrations_answered_302"] = registered
    stored["requests_answered_201"] = requested
    stored["nothing_lost"] = (
        stored["registrations_stored"] == registered
        and stored["requests_stored"] == requested
        and stored["emails_to_registrants"] >= registered
    )
    stored["nothing_doubled"] = stored["duplicate_emails"] == 0 and stored["duplicate_request_pairs"] == 0
    return stored


@contextlib.contextmanager
def topology(env: dict[str, str], webs: int, logs: Path) -> Iterator[int]:
    """`webs` × (`ascnhub serve --workers 1 --task-workers 1`); behind the balancer when more than one."""
    processes: list[subprocess.Popen] = []
    try:
        ports = []
        for k in range(webs):
            port = free_port()
            ports.append(port)
            log = open(logs / f"web{webs}-{k}.log", "w")  # noqa: SIM115 - closed with the process
            processes.append(
                subprocess.Popen(
                    [
                        *ASCNHUB,
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--workers",
                        "1",
                        "--threads",
                        "8",
                        "--task-workers",
                        "1",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for port, process in zip(ports, processes, strict=True):
            wait_for(port, process, timeout=120)
        front = ports[0]
        if webs > 1:
            front = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(Path(__file__).with_name("balancer.py")),
                        "--listen",
                        str(front),
                        *[arg for port in ports for arg in ("--backend", f"127.0.0.1:{port}")],
                    ],
                    start_new_session=True,
                )
            )
            wait_for(front, processes[-1], timeout=120)
        yield front
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def bench(database_url: str, args) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="ascnhub-scaleout-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ASCNHUB_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="ascnhub.settings",
        ASCNHUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ASCNHUB_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    )
    env["DATABASE_URL"], drop = postgres_database(database_url)
    try:
        started = time.perf_counter()
        subprocess.run([*ASCNHUB, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([*ASCNHUB, "demo", "load"], env=env, cwd=ROOT, check=True, capture_output=True)
        prepared = run_python(PREPARE, env, json.dumps(PHASES), str(args.requesters), DEMO)
        out: dict = {"setup_s": round(time.perf_counter() - started, 1)}
        for phase, webs in (("single", 1), ("scaled", 2)):
            with topology(env, webs, data_dir) as port:
                results = closed_loop(port, phase, prepared, args)
                results["drain"] = drain(env)
            results["database_check"] = check(env, phase, results)
            out[phase] = results
        if args.soak_seconds:
            with topology(env, 2, data_dir) as port:
                results = {"load": soak(port, prepared, args)}
                results["drain"] = drain(env)
            results["database_check"] = check(env, "soak", results)
            load = results["load"]
            results["goal_met"] = (
                load["errors"] == 0
                and load["p95_ms"] < 500
                and results["database_check"]["nothing_lost"]
                and results["database_check"]["nothing_doubled"]
            )
            out["soak"] = results
        return out
    finally:
        drop()
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL URL (default: DATABASE_URL; none: a private server is started)",
    )
    parser.add_argument("--registrations", type=int, default=1200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requesters", type=int, default=40, help="matchmaking API clients per phase")
    parser.add_argument("--requests", type=int, default=10, help="meeting requests per API client")
    parser.add_argument("--users", type=int, default=200, help="soak: concurrent users")
    parser.add_argument("--soak-seconds", type=int, default=300, help="soak: duration (0: skip)")
    parser.add_argument("--quick", action="store_true", help="small figures for a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.registrations, args.clients, args.requesters, args.requests = 200, 20, 10, 5
        args.users, args.soak_seconds = 60, 45
    if args.postgres.startswith("postgres"):
        results = bench(args.postgres, args)
    else:
        with private_postgres() as url:
            results = bench(url, args)
    print(
        json.dumps(
            {
                "benchmark": "scaleout",
                "inputs": {
                    "registrations": args.registrations,
                    "clients": args.clients,
                    "requesters": args.requesters,
                    "requests_each": args.requests,
                    "soak_users": args.users,
                    "soak_seconds": args.soak_seconds,
                    "single": "1 web process (gunicorn, 1 worker x 8 threads) + 1 task worker",
                    "scaled": "2 web processes (1 x 8 each) behind benchmarks/balancer.py + 2 task workers",
                    "database": "PostgreSQL",
                    "soak_goal": "zero errors, p95 < 500 ms, counts checked",
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
