"""Background tasks (django-tasks): thin wrappers that take ids and call services."""

from __future__ import annotations

from django_tasks import task

from . import webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a webhook delivery; a failed one is enqueued again for its next attempt
    (by the delivery channel, see `common.delivery`)."""
    delivery = webhooks.deliver(delivery_id)
    if delivery is None:
        return "not due"
    return delivery.status


@task()
def deliver_due_webhooks() -> int:
    """Attempt every pending delivery that is due (also run from cron: `ascnhub webhooks deliver`)."""
    return webhooks.deliver_due()
