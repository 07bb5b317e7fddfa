"""Partner suggestions for matchmaking profiles, from the matching engine.

City and government profiles are the engine's *needs*; company and partner profiles are its
*offers*. Each participant is matched item by item: every need (or offer) it brings to the meeting,
plus its own profile text when that says more than their titles. The engine scores every item
against every item of the other side; a pair of participants is worth its best pair of items, and
that pair is the first reason shown ("your offer “flood sensors” ↔ Makassar's need “flood pump
automation”"), followed by the engine's own reasons for it. Each participant keeps its `TOP_K` best
partners. Embeddings are cached in the database, so a refresh after one profile changed embeds only
that profile's texts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from ascnhub.common.embeddings import database_embedder
from ascnhub.engine.matching import Need, Offer, rank_needs_for_offers, rank_offers
from ascnhub.engine.matching.model import FOCUS_AREAS
from ascnhub.engine.matching.reasons import Reason, phrase

from .models import Dismissal, Profile, Setup, Suggestion

#: Partners a participant sees unfolded: at least 20 remain after a few dismissals or filters.
TOP_K = 24
#: Entries per organisation or city delegation shown before the rest are folded under them.
PER_GROUP = 2
#: Rows kept per participant at most (the visible ones and those folded under them).
MAX_ROWS = 80
#: Candidates the engine returns per item before they are grouped by participant (several items of
#: one participant, and the many members of one delegation, must not crowd the others out).
ITEM_TOP_K = 400
SEEKERS = ("city", "government")
#: Engine reason kinds the item pair already says better (its first reason quotes both titles).
_SAID_BY_PAIR = {"need_offer", "similar"}


def _focus(profile: Profile) -> tuple[str, ...]:
    areas = {a for a in profile.focus_areas if a in FOCUS_AREAS}
    for item in list(profile.needs.all()) + list(profile.offers.all()):
        areas.update(f.code for f in item.focus_areas.all())
    return tuple(sorted(areas))


def _city_name(profile: Profile) -> str | None:
    return profile.city.name if profile.city is not None else None


def _organisation_name(profile: Profile) -> str | None:
    return profile.organisation.name if profile.organisation is not None else None


def display_name(profile: Profile) -> str:
    """How a reason names the other side: its city, else its organisation, else the profile."""
    return _city_name(profile) or _organisation_name(profile) or profile.name


def _restates(text: str, titles: list[str]) -> bool:
    """True when a profile text says nothing its linked items' titles do not (the demo writes them so)."""
    norm = " ".join(text.split()).casefold()
    joined = " ".join(" ".join(titles).split()).casefold()
    return not norm or norm == joined or norm in {" ".join(t.split()).casefold() for t in titles}


@dataclass(frozen=True)
class _Item:
    """One need or offer of a participant, as the engine sees it."""

    profile: Profile
    title: str
    quotable: bool  # False for the name standing in for a profile that says nothing yet


def _need_items(profile: Profile) -> list[tuple[Need, _Item]]:
    """Each linked need, plus the profile's own text when it says more (else its name, unquoted)."""
    pid = profile.public_id
    whole = Need(
        id=f"{pid}/text",
        city=_city_name(profile) or profile.name,
        country=profile.country,
        language=profile.language,
        title=profile.looking_for.strip()[:200],
        description=profile.looking_for.strip(),
        focus_areas=_focus(profile),
        organisation=_organisation_name(profile),
    )
    needs = list(profile.needs.all())
    out = [
        (
            replace(
                whole,
                id=f"{pid}/n{n.pk}",
                language=n.language,
                title=n.title,
                description=n.description or n.title,
                focus_areas=tuple(sorted(f.code for f in n.focus_areas.all())) or whole.focus_areas,
                stage=n.stage or None,
            ),
            _Item(profile, n.title, True),
        )
        for n in needs
    ]
    if whole.description and not _restates(whole.description, [n.title for n in needs]):
        out.append((whole, _Item(profile, whole.description, True)))
    if not out:
        name = replace(whole, id=f"{pid}/name", title=profile.name, description=profile.name)
        out.append((name, _Item(profile, profile.name, False)))
    return out


def _offer_items(profile: Profile) -> list[tuple[Offer, _Item]]:
    """Each linked offer, plus the profile's own text when it says more (else its name, unquoted)."""
    pid = profile.public_id
    whole = Offer(
        id=f"{pid}/text",
        organisation=_organisation_name(profile) or profile.name,
        country=profile.country,
        language=profile.language,
        title=profile.offering.strip()[:200],
        description=profile.offering.strip(),
        focus_areas=_focus(profile),
    )
    offers = list(profile.offers.all())
    out = [
        (
            replace(
                whole,
                id=f"{pid}/o{o.pk}",
                language=o.language,
                title=o.title,
                description=o.description or o.title,
                focus_areas=tuple(sorted(f.code for f in o.focus_areas.all())) or whole.focus_areas,
                deployed_in=tuple(o.deployed_in_codes),
            ),
            _Item(profile, o.title, True),
        )
        for o in offers
    ]
    if whole.description and not _restates(whole.description, [o.title for o in offers]):
        out.append((whole, _Item(profile, whole.description, True)))
    if not out:
        name = replace(whole, id=f"{pid}/name", title=profile.name, description=profile.name)
        out.append((name, _Item(profile, profile.name, False)))
    return out


def eligible_profiles(setup: Setup):
    """Who takes part in suggestions: visible profiles of approved participants."""
    return Profile.objects.filter(setup=setup, visible=True, owner__status="approved")


def refresh(setup: Setup, *, embedder: Any = None) -> int:
    """Recompute all suggestions of a meeting's matchmaking; returns how many were stored."""
    profiles = list(
        eligible_profiles(setup)
        .select_related("city", "organisation")
        .prefetch_related("needs__focus_areas", "offers__focus_areas")
    )
    seekers = [p for p in profiles if p.kind in SEEKERS]
    providers = [p for p in profiles if p.kind not in SEEKERS]
    rows: list[Suggestion] = []
    if seekers and providers:
        embedder = embedder or database_embedder()
        need_pairs = [pair for p in seekers for pair in _need_items(p)]
        offer_pairs = [pair for p in providers for pair in _offer_items(p)]
        items = {engine.id: item for engine, item in need_pairs + offer_pairs}
        needs = [engine for engine, _ in need_pairs]
        offers = [engine for engine, _ in offer_pairs]
        k_offers, k_needs = min(ITEM_TOP_K, len(offers)), min(ITEM_TOP_K, len(needs))
        for_needs = rank_offers(needs, offers, embedder=embedder, top_k=k_offers)
        rows += _rows(for_needs, items, "your_need")
        for_offers = rank_needs_for_offers(offers, needs, embedder=embedder, top_k=k_needs)
        rows += _rows(for_offers, items, "your_offer")
    with transaction.atomic():
        Suggestion.objects.filter(profile__setup=setup).delete()
        Suggestion.objects.bulk_create(rows)
    return len(rows)


def _rows(rankings: list[Any], items: dict[str, _Item], kind: str) -> list[Suggestion]:
    """One row per (participant, partner): the best pair of their items, the partner's `TOP_K` best."""
    best: dict[int, dict[int, tuple[float, _Item, _Item, Any]]] = {}
    for ranking in rankings:
        mine = items[ranking.subject]
        partners = best.setdefault(mine.profile.pk, {})
        for s in ranking.suggestions:
            theirs = items.get(s.id)
            if theirs is None:
                continue
            known = partners.get(theirs.profile.pk)
            if known is None or s.score > known[0]:
                partners[theirs.profile.pk] = (float(s.score), mine, theirs, s)
    rows = []
    for partners in best.values():
        ranked = sorted(partners.values(), key=lambda t: (-t[0], t[2].profile.name, t[2].profile.pk))
        for rank, (score, mine, theirs, s) in enumerate(_diverse(ranked), start=1):
            rows.append(
                Suggestion(
                    profile=mine.profile,
                    other=theirs.profile,
                    rank=rank,
                    score=round(score, 4),
                    # Structured, shown in the reader's language (matchmaking_tags.reasons_text).
                    reasons=_reasons(kind, mine, theirs, s),
                )
            )
    return rows


def _diverse(ranked: list[tuple[float, _Item, _Item, Any]]) -> list[tuple[float, _Item, _Item, Any]]:
    """The best partners until `TOP_K` are visible (`PER_GROUP` per city or organisation), then the
    others of those groups, best first, to be folded under them ("3 more from Battambang"), up to
    `MAX_ROWS` in all; in score order."""
    visible: list[int] = []
    per_group: dict[tuple[str, int], int] = {}
    for i, entry in enumerate(ranked):
        key = group_key(entry[2].profile)
        if per_group.get(key, 0) < PER_GROUP and len(visible) < TOP_K:
            per_group[key] = per_group.get(key, 0) + 1
            visible.append(i)
    chosen = set(visible)
    room = MAX_ROWS - len(chosen)
    for i, entry in enumerate(ranked):
        if room <= 0:
            break
        if i not in chosen and group_key(entry[2].profile) in per_group:
            chosen.add(i)
            room -= 1
    return [ranked[i] for i in sorted(chosen)]


def group_key(profile: Profile) -> tuple[str, int]:
    """The delegation a profile belongs to for folding: its city, else its organisation, else itself."""
    if profile.city_id:
        return ("city", profile.city_id)
    if profile.organisation_id:
        return ("organisation", profile.organisation_id)
    return ("profile", profile.pk)


def fold(suggestions: list[Suggestion]) -> list[Suggestion]:
    """The suggestions to list, in order, at most `PER_GROUP` per city or organisation; the others of
    a group hang under its last listed one as `.folded` (with `.folded_from`, the group's name);
    `.group` names the group for the page (`city-12`)."""
    listed: list[Suggestion] = []
    last: dict[tuple[str, int], Suggestion] = {}
    count: dict[tuple[str, int], int] = {}
    for s in suggestions:
        s.folded = []
        key = group_key(s.other)
        s.group = "-".join(map(str, key))
        count[key] = count.get(key, 0) + 1
        if count[key] <= PER_GROUP:
            listed.append(s)
            last[key] = s
            s.folded_from = display_name(s.other)
        else:
            last[key].folded.append(s)
    return listed


def _reasons(kind: str, mine: _Item, theirs: _Item, suggestion: Any) -> list[dict[str, Any]]:
    """The item pair first (when both are real items), then the engine's reasons for that pair."""
    out: list[Reason] = []
    if mine.quotable and theirs.quotable:
        out.append(Reason(kind, (phrase(mine.title), display_name(theirs.profile), phrase(theirs.title))))
    engine = [r for r in suggestion.explanations if not (out and r.kind in _SAID_BY_PAIR)]
    return [r.as_dict() for r in out + engine] or list(suggestion.reasons)


def last_refresh(profile: Profile) -> datetime.datetime | None:
    """When the profile's suggestions were last computed (None: never)."""
    row = Suggestion.objects.filter(profile=profile).order_by("-computed_at").values("computed_at").first()
    return row["computed_at"] if row else None


def refresh_if_stale(setup: Setup, requested_at: datetime.datetime | None = None) -> int | None:
    """`refresh`, unless a refresh finished after `requested_at` already took the change in.

    A burst of changes (a delegation saving ten profiles, an import) enqueues one task each; the
    first to run recomputes everything and the others, older than its result, return None.
    """
    if requested_at is not None:
        done = (
            Suggestion.objects.filter(profile__setup=setup)
            .order_by("-computed_at")
            .values_list("computed_at", flat=True)
            .first()
        )
        if done is not None and done >= requested_at:
            return None
    return refresh(setup)


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
