"""Background tasks (django-tasks): thin wrappers that take ids and call services."""

from __future__ import annotations

from django_tasks import task

from . import mail


@task()
def deliver_emails(email_ids: list[int]) -> dict[str, int]:
    """Deliver outbox messages (see common.mail); failures are rescheduled, never dropped."""
    counts: dict[str, int] = {}
    connection = mail.transport()
    with connection:
        for email_id in email_ids:
            status = mail.deliver(email_id, connection)
            counts[status] = counts.get(status, 0) + 1
    return counts
