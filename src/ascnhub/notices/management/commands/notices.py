"""`ascnhub notices digest`: e-mail each user the daily digest of their waiting notices (cron, daily)."""

from django.core.management.base import BaseCommand

from ascnhub.notices import services


class Command(BaseCommand):
    help = "Notification centre tasks. `digest`: e-mail the daily digests (run once a day)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("digest", help="e-mail each user one digest of the notices waiting for it")

    def handle(self, *args, action: str, **options):
        sent = services.send_digests()
        self.stdout.write(f"{sent} digest(s) written to the outbox")
