"""`ascnhub webhooks deliver` and `ascnhub webhooks status`: the "webhook" channel of
`ascnhub deliveries`, which does the same for every channel at once."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Webhooks: send every pending delivery that is due (safe to run on several machines at once). "
        "`ascnhub deliveries sweep` (cron, every minute) covers webhooks and every other channel."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["deliver", "status"])

    def handle(self, *args, action: str, **options):
        from ascnhub.api import webhooks
        from ascnhub.api.models import WebhookDelivery
        from ascnhub.common import delivery

        if action == "deliver":
            self.stdout.write(f"{webhooks.deliver_due()} webhook deliveries attempted.")
            return
        counts = delivery.counts(webhooks.CHANNEL)
        for status in WebhookDelivery.Status.values:
            self.stdout.write(f"{status}: {counts.get(status, 0)}")
