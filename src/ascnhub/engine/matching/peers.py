"""Peer cities: other cities whose needs describe the same problem (need <-> need similarity).

A city planning flood warning learns most from another city doing the same; the same city is never
its own peer, and each peer city appears once (with its closest need).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .embedder import Embedder, default_embedder
from .model import Need, Ranking, Suggestion
from .reasons import MIN_TEXTS, Reason, SubthemeLabeller, TitleMatcher, peer_reasons
from .scoring import (
    DEFAULT_WEIGHTS,
    StructureFeatures,
    Weights,
    display_score,
    hub_vector,
    semantic_offset,
    semantic_scale,
)


def peer_cities(
    needs: Sequence[Need],
    *,
    embedder: Embedder | None = None,
    top_k: int = 3,
    weights: Weights = DEFAULT_WEIGHTS,
    with_reasons: bool = True,
) -> list[Ranking]:
    """For each need, needs of *other* cities working on the same problem (one per city), with reasons.

    Both sides are needs, so both are embedded on the query side (a symmetric comparison).
    """
    embedder = embedder or default_embedder()
    if not needs:
        return []
    q = embedder.embed_queries([n.text for n in needs])
    hub = hub_vector(q, q, weights)
    cos = q @ q.T - hub[None, :] - hub[:, None] + semantic_offset(q, q, weights)
    scale = semantic_scale(q, q, hub, hub)
    structure = StructureFeatures.build(needs, [])
    focus_n = structure.focus_n
    inter = focus_n @ focus_n.T
    union = focus_n.sum(1)[:, None] + focus_n.sum(1)[None, :] - inter
    focus = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    total = cos / scale + weights.focus * focus
    city = np.array([f"{n.country}|{n.city.casefold().strip()}" for n in needs])
    total = np.where(city[:, None] == city[None, :], -np.inf, total)  # never the same city (nor itself)
    labeller = SubthemeLabeller.build(embedder) if with_reasons else None
    labels = labeller.nearest(q)[0] if labeller else None
    titles = None
    if with_reasons and len(needs) >= MIN_TEXTS:
        title_vectors = embedder.embed_queries([n.title for n in needs])
        titles = TitleMatcher.build(title_vectors, title_vectors)
    out = []
    for i, need in enumerate(needs):
        order = np.argsort(-total[i], kind="stable")
        seen: set[str] = set()
        suggestions: list[Suggestion] = []
        for j in order:
            if not np.isfinite(total[i, j]) or len(suggestions) >= top_k:
                break
            if city[j] in seen:
                continue
            seen.add(city[j])
            why: tuple[Reason, ...] = ()
            if labeller is not None and labels is not None:
                sub = labeller.shared(int(labels[i]), int(labels[j]))
                why = peer_reasons(need, needs[j], sub, titles is not None and titles.close(i, int(j)))
            score = display_score(float(total[i, j]))
            suggestions.append(Suggestion(needs[j].id, score, tuple(r.text("en") for r in why), why))
        out.append(Ranking(need.id, tuple(suggestions)))
    return out
