"""Recording changes in the activity log.

Services call `snapshot()` before a change and `record()` after it, inside the same transaction,
so the log and the data can never disagree.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from .models import ActivityLog


def _plain(value: Any) -> Any:
    """Make a field value JSON-friendly and readable in the log."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The current values of an object's concrete fields (or the given ones)."""
    names = fields or [f.name for f in obj._meta.concrete_fields if f.name not in {"id"}]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]}."""
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record(
    actor: Any, action: str, obj: models.Model, changes: dict[str, list[Any]] | None = None
) -> ActivityLog:
    """Write one activity-log entry for `obj`, made by `actor` (a user, or None for the system)."""
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes or {},
    )
