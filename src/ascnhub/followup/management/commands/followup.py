"""`ascnhub followup remind`: send due-date reminders (for cron, e.g. daily at 01:00)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Follow-up of meeting outcomes: `remind` e-mails those responsible for commitments that fall due."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])
        parser.add_argument(
            "--days", type=int, default=None, help="remind this many days before the due date (default 14)"
        )
        parser.add_argument("--today", default=None, help="pretend today is this date (YYYY-MM-DD)")
        parser.add_argument(
            "--enqueue", action="store_true", help="hand the work to a task worker instead of doing it now"
        )

    def handle(self, *args, action: str, days: int | None, today: str | None, enqueue: bool, **options):
        from ascnhub.followup import services, tasks

        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more")
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today: {exc}") from exc
        if enqueue:
            if day:
                raise CommandError("--today cannot be used with --enqueue")
            result = tasks.send_reminders.enqueue(days_before=days)
            self.stdout.write(f"Enqueued reminders task {result.id}.")
            return
        counts = services.send_reminders(today=day, days_before=days)
        self.stdout.write(
            f"Reminders: {counts['sent']} sent, {counts['skipped']} already sent, {counts['failed']} failed."
        )
        if counts["failed"]:
            raise CommandError(
                f"{counts['failed']} reminders could not be sent; they will be retried next run."
            )
