"""Check-in sync at the size of the demo meeting: ~1,200 registrants, every badge scanned once.

In one process on a fresh SQLite database (a temporary data directory): migrate, load the demo
(the registry and the 3rd ASEAN–Japan HLM), then, as two devices would:

- baseline: the desk's one-at-a-time check-in (`services.check_in`) of --baseline badges;
- sync: device A sends its queue of every in-person approved badge in batches of --batch;
- re-send: device A sends the same queue again (idempotent: nothing may be written);
- second device: device B sends a scan of every badge, earlier by a minute (each takes over);
- the state a device downloads (`device_state`, its JSON size) and the live counts.

Afterwards it checks: one check-in per badge, each the earliest scan. Prints ONE JSON object.

    .venv/bin/python benchmarks/bench_checkin.py [--batch 100] [--baseline 100]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
import uuid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--baseline", type=int, default=100)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="ascnhub-bench-checkin-")
    os.environ["ASCNHUB_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascnhub.settings")
    os.environ.setdefault("ASCNHUB_DEMO_PASSWORD", "bench-pass-123")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from ascnhub.events import demo as events_demo
    from ascnhub.events import scans, services
    from ascnhub.events.models import CheckIn, Meeting, Registration, Scan
    from ascnhub.registry import demo as registry_demo

    with transaction.atomic():
        registry_demo.load(lambda _: None)
        events_demo.load(lambda _: None)
    meeting = Meeting.objects.get(slug="asean-japan-hlm-2021")
    regs = list(
        Registration.objects.filter(meeting=meeting, status="approved", mode="in_person").select_related(
            "meeting"
        )
    )
    tokens = {r.pk: services.badge_token(r) for r in regs}
    day = datetime.datetime.combine(meeting.start_date, datetime.time(9, 0), tzinfo=meeting.tz)

    def queue(device: str, offset_s: int) -> list[dict]:
        entries = []
        for i, r in enumerate(regs):
            entry = {
                "id": str(uuid.uuid4()),
                "device": device,
                "token": tokens[r.pk],
                "code": "",
                "at": (day + datetime.timedelta(seconds=2 * i + offset_s)).isoformat(),
                "entrance": f"{device} entrance",
                "session": "",
            }
            entry["mac"] = scans.sign_entry(meeting, entry)
            entries.append(entry)
        return entries

    def sync(entries: list[dict]) -> tuple[float, list[str]]:
        outcomes: list[str] = []
        start = time.perf_counter()
        for i in range(0, len(entries), args.batch):
            outcomes += [r.outcome for r in scans.sync_scans(None, meeting, entries[i : i + args.batch])]
        return time.perf_counter() - start, outcomes

    # Baseline: the desk's check-in, one badge at a time (on another day, so it does not interfere).
    desk_day = day + datetime.timedelta(days=1)
    start = time.perf_counter()
    for r in regs[: args.baseline]:
        services.check_in(None, meeting, token=tokens[r.pk], now=desk_day)
    baseline_s = time.perf_counter() - start

    a, b = queue("North", 60), queue("South", 0)
    first_s, first = sync(a)
    scans_before, checkins_before = Scan.objects.count(), CheckIn.objects.count()
    resend_s, resent = sync(a)
    idempotent = (Scan.objects.count(), CheckIn.objects.count()) == (scans_before, checkins_before)
    second_s, second = sync(b)
    start = time.perf_counter()
    state = scans.device_state(meeting, now=day)
    state_json = json.dumps(state)
    state_s = time.perf_counter() - start
    start = time.perf_counter()
    scans.counts(meeting)
    counts_s = time.perf_counter() - start
    earliest = CheckIn.objects.filter(
        registration__meeting=meeting, day=meeting.start_date, entrance="South entrance"
    )
    n = len(regs)
    print(
        json.dumps(
            {
                "benchmark": "checkin_sync",
                "inputs": {"badges": n, "batch": args.batch, "baseline": args.baseline},
                "baseline_desk_ms_per_badge": round(1000 * baseline_s / args.baseline, 2),
                "sync_ms_per_entry": round(1000 * first_s / n, 2),
                "resend_ms_per_entry": round(1000 * resend_s / n, 2),
                "earlier_device_ms_per_entry": round(1000 * second_s / n, 2),
                "outcomes": {
                    "first": {o: first.count(o) for o in set(first)},
                    "resend": {o: resent.count(o) for o in set(resent)},
                    "earlier_device": {o: second.count(o) for o in set(second)},
                },
                "resend_wrote_nothing": idempotent,
                "earliest_kept": earliest.count() == n,
                "device_state_kib": round(len(state_json.encode()) / 1024, 1),
                "device_state_ms": round(1000 * state_s, 1),
                "counts_ms": round(1000 * counts_s, 1),
                "environment": {
                    "python": sys.version.split()[0],
                    "machine": platform.machine(),
                    "cpus": os.cpu_count(),
                    "database": connection.vendor,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
