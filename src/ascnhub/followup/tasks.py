"""Background tasks (django-tasks): thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_reminders(days_before: int | None = None) -> dict[str, int]:
    """Send the due-date reminders that are due (idempotent: never twice for one due date)."""
    return services.send_reminders(days_before=days_before)
