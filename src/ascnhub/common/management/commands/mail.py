"""`ascnhub mail send-pending | status | retry-failed`: look after the e-mail outbox (the "email"
channel of `ascnhub deliveries`, which does the same for every channel at once)."""

from django.core.management.base import BaseCommand, CommandError

from ascnhub.common import delivery, mail


class Command(BaseCommand):
    help = (
        "Deliver due outbox e-mails, show or retry the outbox. `ascnhub deliveries sweep` (cron, every "
        "minute) covers e-mail and every other channel; this is the same for e-mail alone."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send-pending", help="deliver every message that is due now")
        send.add_argument("--limit", type=int, default=500)
        sub.add_parser("status", help="how many messages are in each state")
        sub.add_parser("retry-failed", help="give messages that ran out of attempts a fresh start")

    def handle(self, *args, action: str, **options):
        if action == "send-pending":
            if options["limit"] < 1:
                raise CommandError("--limit must be 1 or more")
            counts = mail.send_pending(limit=options["limit"])
            self.stdout.write(
                ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"
            )
        elif action == "retry-failed":
            ids = mail.OutgoingEmail.objects.filter(status=delivery.FAILED).values_list("pk", flat=True)
            self.stdout.write(f"{mail.retry(list(ids))} message(s) queued again")
        else:
            for status, n in delivery.counts(mail.CHANNEL).items():
                self.stdout.write(f"{status}: {n}")
