"""`ascnhub matchmaking export-instance|export-result <meeting-slug> --out F`, `send-reminders`,
demo tools, and the organiser's scriptable runs:

    ascnhub matchmaking run <meeting> [--time-limit S] [--publish] [--from-scratch]
    ascnhub matchmaking rollback <meeting> --to-run N
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ascnhub.events.models import Meeting


class Command(BaseCommand):
    help = "Matchmaking: export a meeting's scheduling instance or its published result (ascnhub-schedule/1)."

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=[
                "export-instance",
                "export-result",
                "send-reminders",
                "expire-requests",
                "send-surveys",
                "export-demo-embeddings",
                "run",
                "rollback",
            ],
        )
        parser.add_argument("meeting", nargs="?", help="meeting slug, e.g. asean-japan-hlm-2021")
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument(
            "--minutes", type=int, default=15, help="send-reminders: how far ahead (default 15)"
        )
        parser.add_argument("--time-limit", type=int, help="run: solver seconds (default: the meeting's)")
        parser.add_argument("--publish", action="store_true", help="run: publish the result at once")
        parser.add_argument(
            "--from-scratch",
            action="store_true",
            help="run: re-plan every meeting but the pinned ones (by default published meetings stay)",
        )
        parser.add_argument("--to-run", type=int, help="rollback: the run to publish again")

    def handle(self, *args, action: str, meeting: str | None, out: str | None, minutes: int, **options):  # noqa: C901
        if action == "send-reminders":  # run from cron every few minutes; each meeting is reminded once
            from ascnhub.matchmaking.tasks import send_reminders

            self.stdout.write(f"{send_reminders.call(minutes)} reminders sent.")
            return
        if action == "expire-requests":  # run from cron (hourly): unanswered requests expire
            from ascnhub.matchmaking.tasks import expire_requests

            self.stdout.write(f"{expire_requests.call()} requests expired.")
            return
        if action == "send-surveys":  # run from cron (daily): follow-up surveys months after meetings
            from ascnhub.matchmaking.tasks import send_follow_up_surveys

            self.stdout.write(f"{send_follow_up_surveys.call()} surveys sent.")
            return
        if action == "export-demo-embeddings":
            from ascnhub.matchmaking.demo import export_demo_embeddings

            self.stdout.write(f"{export_demo_embeddings()} vectors written.")
            return
        from ascnhub.matchmaking.scheduling import build_instance
        from ascnhub.matchmaking.setup import setup_for

        found = Meeting.objects.filter(slug=meeting or "").first()
        if found is None:
            raise CommandError(f"No meeting with the slug {meeting!r}.")
        setup = setup_for(found)
        if action == "run":
            self._run(setup, options)
            return
        if action == "rollback":
            self._rollback(setup, options)
            return
        if action == "export-instance":
            document = build_instance(setup)
        else:
            if setup.published_run is None:
                raise CommandError(f"{found.slug} has no published schedule yet.")
            document = setup.published_run.result
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(f"Written to {out}")
        else:
            self.stdout.write(text)

    def _run(self, setup, options) -> None:
        from ascnhub.matchmaking import history, scheduling
        from ascnhub.matchmaking.errors import MatchmakingError

        limit = options.get("time_limit")
        if limit is not None and not 1 <= limit <= 600:
            raise CommandError(f"--time-limit must be 1 to 600 seconds, not {limit}.")
        try:
            run = scheduling.start_run(
                None, setup, enqueue=False, from_scratch=options["from_scratch"], time_limit=limit
            )
        except MatchmakingError as exc:
            raise CommandError(exc.message) from exc
        run = scheduling.execute_run(run.pk, report_progress=False)
        if run.status != "done":
            raise CommandError(f"Run {run.number} {run.status}: {run.error}")
        diff = history.schedule_diff(setup, run).counts()
        self.stdout.write(
            f"Run {run.number}: {run.result['status']}, {len(run.result['assignments'])} meetings held, "
            f"{len(run.result['unscheduled'])} not held, {run.result['objective']['breaks']} breaks"
            + (" (from scratch)" if run.from_scratch else "")
            + ". Against the published schedule: "
            + ", ".join(f"{v} {k}" for k, v in diff.items())
            + "."
        )
        if options["publish"]:
            try:
                summary = scheduling.publish_run(None, run)
            except MatchmakingError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(
                f"Published run {run.number}: {summary['meetings']} meetings, "
                f"{summary['notified']} participants notified."
            )

    def _rollback(self, setup, options) -> None:
        from ascnhub.matchmaking import history
        from ascnhub.matchmaking.errors import MatchmakingError

        if options.get("to_run") is None:
            raise CommandError("rollback needs --to-run N (the run to publish again).")
        try:
            run, summary = history.rollback(None, setup, options["to_run"])
        except MatchmakingError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Run {options['to_run']} published again as run {run.number}: {summary['meetings']} meetings, "
            f"{summary['moved']} moved, {summary['added']} added, {summary['dropped']} dropped; "
            f"{summary['notified']} participants notified."
        )
