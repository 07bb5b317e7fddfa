"""Background tasks (django-tasks): thin wrappers that take ids and call services."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def embed_cases(case_ids: list[int] | None = None) -> int:
    """Embed case texts for 'similar cases' ahead of the first page view."""
    return services.embed_cases(case_ids)
