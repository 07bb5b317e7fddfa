"""`ascnhub webhooks deliver` (cron, every minute) and `ascnhub webhooks status`."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Count


class Command(BaseCommand):
    help = "Webhooks: send every pending delivery that is due (safe to run on several machines at once)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["deliver", "status"])

    def handle(self, *args, action: str, **options):
        from ascnhub.api import webhooks
        from ascnhub.api.models import WebhookDelivery

        if action == "deliver":
            self.stdout.write(f"{webhooks.deliver_due()} webhook deliveries attempted.")
            return
        counts = dict(WebhookDelivery.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in WebhookDelivery.Status.values:
            self.stdout.write(f"{status}: {counts.get(status, 0)}")
