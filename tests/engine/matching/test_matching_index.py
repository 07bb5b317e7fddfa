"""Exact and approximate top-k agree; the hub bias folds into inner-product search."""

from __future__ import annotations

import numpy as np
import pytest

from ascnhub.engine.matching.index import ExactIndex, build_index, top_k
from ascnhub.engine.matching.lexical import same_language_bm25, tokenize

pytestmark = pytest.mark.engine


def _unit(rng, n, d=32):
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_exact_index_matches_a_full_sort_with_bias():
    rng = np.random.default_rng(1)
    items, queries, bias = _unit(rng, 500), _unit(rng, 20), rng.uniform(0, 0.2, 500).astype(np.float32)
    scores, ids = ExactIndex(items, bias, block=7).search(queries, 10)
    full = queries @ items.T - bias[None, :]
    assert np.array_equal(ids, np.argsort(-full, axis=1, kind="stable")[:, :10])
    assert np.allclose(scores, np.take_along_axis(full, ids, axis=1), atol=1e-6)


def test_hnsw_index_finds_nearly_all_exact_neighbours():
    pytest.importorskip("faiss")
    rng = np.random.default_rng(2)
    items, queries, bias = _unit(rng, 3000), _unit(rng, 50), rng.uniform(0, 0.2, 3000).astype(np.float32)
    _, exact = build_index(items, bias, kind="exact").search(queries, 10)
    _, approx = build_index(items, bias, kind="hnsw").search(queries, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.95


def test_top_k_breaks_ties_by_position_and_handles_small_inputs():
    scores, ids = top_k(np.array([[1.0, 3.0, 3.0, 2.0]]), 3)
    assert ids.tolist() == [[1, 2, 3]] and scores.tolist() == [[3.0, 3.0, 2.0]]
    assert top_k(np.array([[1.0, 2.0]]), 5)[1].tolist() == [[1, 0]]


def test_tokenizer_splits_unspaced_scripts_into_bigrams():
    assert tokenize("Hệ thống cảnh báo lũ") == ["hệ", "thống", "cảnh", "báo", "lũ"]
    assert tokenize("水位センサー") == ["水位", "位セ", "セン", "ンサ", "サー"]
    assert "ฝน" in tokenize("ฝุ่น")  # Thai: combining marks dropped, base letters paired


def test_bm25_scores_only_within_a_language():
    scores = same_language_bm25(
        ["flood warning sensors"],
        ["en"],
        ["river flood warning sensors", "bus tracking", "洪水警報センサー"],
        ["en", "en", "ja"],
    )
    assert scores[0, 0] == 1.0 and scores[0, 1] == 0.0 and scores[0, 2] == 0.0


class FixedVectors:
    """Serves pre-drawn random unit vectors by text: exercises the ANN path at a size (2,000 items)
    that would take minutes to embed with the model. The ranking code under test is the real one."""

    model_id = "fixed-random"

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def embed_queries(self, texts):
        return np.stack([self.table[t] for t in texts])

    def embed_passages(self, texts):
        return np.stack([self.table[t] for t in texts])


def test_hnsw_shortlist_ranking_agrees_with_exact_in_both_directions():
    pytest.importorskip("faiss")
    from ascnhub.engine.matching import Need, Offer, rank_needs_for_offers, rank_offers

    rng = np.random.default_rng(3)
    needs = [Need(f"n{i}", f"city{i}", "VN", "vi", f"need {i}", "d", ("safety_security",)) for i in range(50)]
    offers = [
        Offer(
            f"o{j}", f"org{j}", "JP", "ja", f"offer {j}", "d", ("safety_security",), ("VN",) if j % 2 else ()
        )
        for j in range(2000)
    ]
    vectors = _unit(rng, len(needs) + len(offers), 64)
    table = {x.text: vectors[k] for k, x in enumerate([*needs, *offers])}
    emb = FixedVectors(table)
    exact = rank_offers(needs, offers, embedder=emb, top_k=10, with_reasons=False, index_kind="exact")
    approx = rank_offers(needs, offers, embedder=emb, top_k=10, with_reasons=False, index_kind="hnsw")
    assert np.mean([len(set(a.ids) & set(e.ids)) / 10 for a, e in zip(approx, exact, strict=True)]) >= 0.9
    for a, e in zip(approx, exact, strict=True):
        assert a.subject == e.subject
    back_exact = rank_needs_for_offers(
        offers[:20], needs, embedder=emb, top_k=5, with_reasons=False, index_kind="exact"
    )
    back_approx = rank_needs_for_offers(
        offers[:20], needs, embedder=emb, top_k=5, with_reasons=False, index_kind="hnsw"
    )
    overlap = [len(set(a.ids) & set(e.ids)) / 5 for a, e in zip(back_approx, back_exact, strict=True)]
    assert np.mean(overlap) >= 0.9
