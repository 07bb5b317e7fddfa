""" "Not interested": a participant dismisses a suggested partner (and may take it back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from ascnhub.common import activity

from .errors import MatchmakingError
from .models import Dismissal, Profile

if TYPE_CHECKING:
    from ascnhub.common.models import User


@transaction.atomic
def dismiss_suggestion(actor: User, profile: Profile, other: Profile) -> Dismissal:
    """Hide `other` from the profile's suggestions (idempotent); similar partners rank lower."""
    if other.pk == profile.pk or other.setup_id != profile.setup_id:
        raise MatchmakingError(
            "not_a_suggestion", _("%(name)s cannot be dismissed here.") % {"name": other.name}
        )
    dismissal, created = Dismissal.objects.get_or_create(profile=profile, other=other)
    if created:
        activity.record(actor, "dismiss_suggestion", profile, {"dismissed": [None, other.name]})
    return dismissal


@transaction.atomic
def undo_dismissal(actor: User, profile: Profile, other: Profile) -> bool:
    """Show `other` among the suggestions again; True when it had been dismissed."""
    deleted, _n = Dismissal.objects.filter(profile=profile, other=other).delete()
    if deleted:
        activity.record(actor, "undo_dismissal", profile, {"dismissed": [other.name, None]})
    return bool(deleted)
