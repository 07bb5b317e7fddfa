"""The full scheduling run of the demo meeting's matchmaking day, step by step.

database → instance → solve → store (publish) → notify, each timed, on a fresh SQLite database
holding the demo network (`ascnhub demo load`). Baseline in the same run: the same steps with the
greedy baseline (weight-sorted, earliest free slot) in place of the solver.
Goal: all steps but the solver under 10 s together.

    python benchmarks/bench_matchmaking.py [--quick] [--time-limit S]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a shorter solver time limit")
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args()
    time_limit = args.time_limit or (10.0 if args.quick else 30.0)

    data_dir = tempfile.mkdtemp(prefix="ascnhub-bench-mm-")
    os.environ.update(
        ASCNHUB_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="ascnhub.settings",
        ASCNHUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import transaction

    from ascnhub.engine import scheduling as engine
    from ascnhub.engine.scheduling.greedy import greedy_slots
    from ascnhub.matchmaking import scheduling
    from ascnhub.matchmaking.models import Setup
    from ascnhub.matchmaking.tasks import send_schedule_emails

    mail.outbox = []
    t = time.monotonic()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo", "load", stdout=quiet)
    setup_s = time.monotonic() - t
    setup = Setup.objects.get(meeting__slug="asean-japan-hlm-2021")
    setup.solver_time_limit = int(time_limit)
    setup.save()

    def full_run(use_greedy: bool) -> dict:
        steps: dict[str, float] = {}
        t0 = time.monotonic()
        document = scheduling.build_instance(setup)
        steps["database_to_instance_s"] = time.monotonic() - t0
        t0 = time.monotonic()
        instance = engine.instance_from_dict(document)
        if use_greedy:
            placed = greedy_slots(instance)
            from ascnhub.engine.scheduling.solver import make_result

            result = make_result(
                instance, placed, "feasible", bound_weight=None, bound_breaks=None, stats={"solver": "greedy"}
            )
        else:
            result = engine.solve(instance, time_limit_s=time_limit, seed=0, workers=2)
        steps["solve_s"] = time.monotonic() - t0
        t0 = time.monotonic()
        with transaction.atomic():
            run = scheduling.start_run(None, setup, enqueue=False)
            run.instance, run.result, run.status = document, engine.result_to_dict(result), "done"
            run.save()
            summary = scheduling.publish_run(None, run)
        steps["store_and_publish_s"] = time.monotonic() - t0
        t0 = time.monotonic()
        profile_ids = sorted(set(run.bookings.values_list("profile_id", flat=True)))
        mail.outbox = []
        send_schedule_emails.call(run.pk, profile_ids)
        steps["notify_s"] = time.monotonic() - t0
        return {
            "steps": {k: round(v, 3) for k, v in steps.items()},
            "all_but_solver_s": round(sum(v for k, v in steps.items() if k != "solve_s"), 3),
            "status": result.status,
            "held_weight": result.objective.held_weight,
            "bound_held_weight": result.objective.bound_held_weight,
            "breaks": result.objective.breaks,
            "meetings_published": summary["meetings"],
            "emails": len(mail.outbox),
        }

    ours = full_run(use_greedy=False)
    baseline = full_run(use_greedy=True)
    document = scheduling.build_instance(setup)
    report = {
        "benchmark": "matchmaking_full_run",
        "inputs": {
            "meeting": "asean-japan-hlm-2021",
            "participants": len(document["participants"]),
            "meetings_requested": len(document["meetings"]),
            "slots": len(document["slots"]),
            "locations": len(document["locations"]),
            "solver_time_limit_s": time_limit,
        },
        "demo_load_s": round(setup_s, 1),
        "cp_sat": ours,
        "baseline_greedy": baseline,
        "goal_all_but_solver_under_10s": ours["all_but_solver_s"] < 10,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "environment": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "load_average": os.getloadavg(),
        },
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
