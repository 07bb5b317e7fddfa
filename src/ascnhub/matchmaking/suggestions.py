"""Partner suggestions for matchmaking profiles, from the matching engine.

City and government profiles are the engine's *needs* (what they look for, plus the city's linked
needs); company and partner profiles are its *offers*. Each side gets the other side ranked, with
reasons. Embeddings are cached in the database, so a refresh after one profile changed embeds
only that profile's texts.
"""

from __future__ import annotations

from django.db import transaction

from ascnhub.common.embeddings import database_embedder
from ascnhub.engine.matching import Need, Offer, rank_needs_for_offers, rank_offers
from ascnhub.engine.matching.model import FOCUS_AREAS

from .models import Dismissal, Profile, Setup, Suggestion

TOP_K = 10
SEEKERS = ("city", "government")


def _focus(profile: Profile) -> tuple[str, ...]:
    areas = {a for a in profile.focus_areas if a in FOCUS_AREAS}
    for item in list(profile.needs.all()) + list(profile.offers.all()):
        areas.update(f.code for f in item.focus_areas.all())
    return tuple(sorted(areas))


def as_need(profile: Profile) -> Need:
    linked = " ".join(f"{n.title}. {n.description}" for n in profile.needs.all())
    return Need(
        id=str(profile.public_id),
        city=profile.city.name if profile.city_id else profile.name,
        country=profile.country,
        language=profile.language,
        title=profile.looking_for[:200] or profile.name,
        description=" ".join(filter(None, [profile.looking_for, linked])) or profile.name,
        focus_areas=_focus(profile),
        organisation=profile.organisation.name if profile.organisation_id else None,
    )


def as_offer(profile: Profile) -> Offer:
    offers = list(profile.offers.all())
    linked = " ".join(f"{o.title}. {o.description}" for o in offers)
    deployed = sorted({c for o in offers for c in o.deployed_in_codes})
    return Offer(
        id=str(profile.public_id),
        organisation=profile.organisation.name if profile.organisation_id else profile.name,
        country=profile.country,
        language=profile.language,
        title=profile.offering[:200] or profile.name,
        description=" ".join(filter(None, [profile.offering, linked])) or profile.name,
        focus_areas=_focus(profile),
        deployed_in=tuple(deployed),
    )


def refresh(setup: Setup, *, embedder=None) -> int:
    """Recompute all suggestions of a meeting's matchmaking; returns how many were stored."""
    profiles = list(
        Profile.objects.filter(setup=setup, visible=True, owner__status="approved")
        .select_related("city", "organisation")
        .prefetch_related("needs__focus_areas", "offers__focus_areas")
    )
    seekers = [p for p in profiles if p.kind in SEEKERS]
    providers = [p for p in profiles if p.kind not in SEEKERS]
    by_id = {str(p.public_id): p for p in profiles}
    rows: list[Suggestion] = []
    if seekers and providers:
        embedder = embedder or database_embedder()
        needs = [as_need(p) for p in seekers]
        offers = [as_offer(p) for p in providers]
        for ranking in rank_offers(needs, offers, embedder=embedder, top_k=TOP_K):
            rows += _rows(by_id[ranking.subject], ranking, by_id)
        for ranking in rank_needs_for_offers(offers, needs, embedder=embedder, top_k=TOP_K):
            rows += _rows(by_id[ranking.subject], ranking, by_id)
    with transaction.atomic():
        Suggestion.objects.filter(profile__setup=setup).delete()
        Suggestion.objects.bulk_create(rows)
    return len(rows)


def _rows(profile: Profile, ranking, by_id: dict[str, Profile]) -> list[Suggestion]:
    return [
        Suggestion(
            profile=profile,
            other=by_id[s.id],
            rank=i + 1,
            score=round(float(s.score), 4),
            # Structured, rendered in the reader's language when shown (matchmaking_tags.reasons_text).
            reasons=[r.as_dict() for r in s.explanations] or list(s.reasons),
        )
        for i, s in enumerate(ranking.suggestions)
        if s.id in by_id
    ]


# How much a suggestion loses for resembling a dismissed partner (at full resemblance).
DISMISSAL_PENALTY = 0.5


def _resemblance(a: Profile, b: Profile) -> float:
    """0..1: shared focus areas (Jaccard), or 1 for the same organisation."""
    if a.organisation_id and a.organisation_id == b.organisation_id:
        return 1.0
    fa, fb = set(a.focus_areas or ()), set(b.focus_areas or ())
    return len(fa & fb) / len(fa | fb) if fa and fb else 0.0


def apply_dismissals(profile: Profile, suggestions: list[Suggestion]) -> list[Suggestion]:
    """The profile's suggestions without the partners it dismissed, the rest re-ordered with
    those resembling a dismissed partner (same organisation, shared focus areas) scored lower.
    Each kept suggestion gets `.adjusted_score`."""
    dismissed = list(
        Profile.objects.filter(pk__in=Dismissal.objects.filter(profile=profile).values("other_id"))
    )
    if not dismissed:
        for s in suggestions:
            s.adjusted_score = s.score
        return suggestions
    gone = {d.pk for d in dismissed}
    kept = [s for s in suggestions if s.other_id not in gone]
    for s in kept:
        closest = max(_resemblance(s.other, d) for d in dismissed)
        s.adjusted_score = s.score * (1 - DISMISSAL_PENALTY * closest)
    return sorted(kept, key=lambda s: (-s.adjusted_score, s.rank))
