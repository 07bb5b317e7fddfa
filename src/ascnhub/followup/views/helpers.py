"""What the outcome pages share: commitments with their party loaded, in due-date order."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ascnhub.registry.models import MemberState

from ..models import Commitment, OutcomeDocument

COMMITMENT_RELATED = ["member_state", "city__country", "organisation"]


def commitments_qs(country: MemberState | None = None) -> QuerySet[Commitment]:
    """Commitments with their party, soonest due first; with `country`, only those of that country."""
    qs = Commitment.objects.select_related(*COMMITMENT_RELATED)
    if country is not None:
        qs = qs.for_country(country.pk)
    return qs.order_by("due_date", "id")


def hide_draft(request: HttpRequest, document: OutcomeDocument) -> None:
    """Answer 404 for anything under a draft outcome document (its commitments, their updates and
    evidence) to whoever may not manage outcomes, as the document's own page does: a 403 or a
    sign-in page would tell an outsider that the draft exists."""
    if not document.published and not request.user.has_perm("followup.manage_outcomes"):
        raise Http404
