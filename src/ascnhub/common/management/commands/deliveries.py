"""`ascnhub deliveries sweep | status | retry-failed`: look after every durable-delivery channel
(e-mail, webhooks, follow-up and meeting reminders; see `common.delivery`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ascnhub.common import delivery


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"


class Command(BaseCommand):
    help = (
        "Durable deliveries: `sweep` attempts everything that is due (run it from cron every minute; "
        "safe on several machines at once), `status` counts rows per state, `retry-failed` gives "
        "failed rows a fresh set of attempts."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("sweep", "attempt every row that is due now: first attempts, retries, rows of dead workers"),
            ("status", "how many rows of each channel are in each state"),
            ("retry-failed", "give rows that ran out of attempts a fresh start"),
        ):
            action = sub.add_parser(name, help=text)
            action.add_argument(
                "--channel", action="append", default=None, help="only this channel (repeatable)"
            )
            if name == "sweep":
                action.add_argument("--limit", type=int, default=500, help="at most this many per channel")

    def handle(self, *args, action: str, channel: list[str] | None, **options):
        try:
            chosen = [delivery.channel_named(n) for n in channel] if channel else delivery.channels()
        except delivery.DeliveryError as exc:
            raise CommandError(str(exc)) from exc
        if action == "sweep":
            if options["limit"] < 1:
                raise CommandError("--limit must be 1 or more")
            for each in chosen:
                counts = delivery.deliver_due(each, limit=options["limit"])
                self.stdout.write(f"{each.name}: {_summary(counts)}")
        elif action == "retry-failed":
            for each in chosen:
                ids = each.model.objects.filter(status=delivery.FAILED).values_list("pk", flat=True)
                self.stdout.write(f"{each.name}: {delivery.retry(each, list(ids))} queued again")
        else:
            for each in chosen:
                counts = delivery.counts(each)
                states = ", ".join(f"{n} {status}" for status, n in counts.items()) or "empty"
                self.stdout.write(f"{each.name}: {states}")
