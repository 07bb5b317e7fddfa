"""`ascnhub mail send-pending | status | retry-failed`: look after the e-mail outbox."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from ascnhub.common import mail
from ascnhub.common.models import OutgoingEmail


class Command(BaseCommand):
    help = "Deliver due outbox e-mails (run it from cron every few minutes), show or retry the outbox."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send-pending", help="deliver every message that is due now")
        send.add_argument("--limit", type=int, default=500)
        sub.add_parser("status", help="how many messages are in each state")
        sub.add_parser("retry-failed", help="give messages that ran out of attempts a fresh start")

    def handle(self, *args, action: str, **options):
        if action == "send-pending":
            counts = mail.send_pending(limit=options["limit"])
            self.stdout.write(
                ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"
            )
        elif action == "retry-failed":
            ids = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).values_list(
                "pk", flat=True
            )
            self.stdout.write(f"{mail.retry(list(ids))} message(s) queued again")
        else:
            rows = OutgoingEmail.objects.values("status").annotate(n=Count("pk")).order_by("status")
            for row in rows:
                self.stdout.write(f"{row['status']}: {row['n']}")
