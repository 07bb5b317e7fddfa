"""Background tasks (django-tasks): thin wrappers that take ids and call services."""

from __future__ import annotations

from django_tasks import task

from . import mail


@task()
def deliver_emails(email_ids: list[int]) -> dict[str, int]:
    """Deliver outbox messages (see common.mail); failures are rescheduled, never dropped."""
    return mail.deliver_all(email_ids)


@task()
def machine_translate(version_id: int) -> str:
    """Machine-translate one content version (see common.translations); returns its status."""
    from . import translations

    return translations.machine_translate(version_id).status


@task()
def refresh_search_index(kind: str, pks: list[int]) -> int:
    """Re-embed the search documents of these objects after a save or delete (common.search_index)."""
    from . import search_index

    return search_index.refresh(kind, pks)
