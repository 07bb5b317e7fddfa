"""`ascnhub matchmaking export-instance|export-result <meeting-slug> --out F`, `send-reminders`,
demo tools."""

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
            ],
        )
        parser.add_argument("meeting", nargs="?", help="meeting slug, e.g. asean-japan-hlm-2021")
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument(
            "--minutes", type=int, default=15, help="send-reminders: how far ahead (default 15)"
        )

    def handle(self, *args, action: str, meeting: str | None, out: str | None, minutes: int, **options):
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
