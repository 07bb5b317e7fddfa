"""What the outcome pages share: commitments with their party loaded, in due-date order."""

from __future__ import annotations

from django.db.models import QuerySet

from ascnhub.registry.models import MemberState

from ..models import Commitment

COMMITMENT_RELATED = ["member_state", "city__country", "organisation"]


def commitments_qs(country: MemberState | None = None) -> QuerySet[Commitment]:
    """Commitments with their party, soonest due first; with `country`, only those of that country."""
    qs = Commitment.objects.select_related(*COMMITMENT_RELATED)
    if country is not None:
        qs = qs.for_country(country.pk)
    return qs.order_by("due_date", "id")
