"""Permission predicates shared by every app (django-rules)."""

from __future__ import annotations

import rules

SECRETARIAT_GROUP = "secretariat"


@rules.predicate
def is_secretariat(user) -> bool:
    """The network secretariat (and superusers) may edit everything."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    # Cache on the user object: templates ask many times per page.
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._is_secretariat = cached
    return cached
