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


def test_top_k_equals_a_stable_full_sort_on_wide_rows_with_ties_and_exclusions():
    rng = np.random.default_rng(4)
    for width in (130, 1000, 4999, 5000):
        scores = np.round(rng.standard_normal((60, width)), 1).astype(np.float32)  # many ties
        scores[3] = 1.0  # a row of equal scores
        scores[4] = -np.inf
        scores[4, 7] = 2.0  # a row with one finite score
        top, ids = top_k(scores, 10)
        expected = np.argsort(-scores, axis=1, kind="stable")[:, :10]
        assert np.array_equal(ids, expected), width
        assert np.array_equal(top, np.take_along_axis(scores, expected, axis=1))


def test_the_one_product_score_equals_the_sum_of_its_terms():
    from ascnhub.engine.matching import Need, Offer
    from ascnhub.engine.matching.ranking import build_matrix

    rng = np.random.default_rng(5)
    areas = ("safety_security", "quality_environment", "civic_social", "health_wellbeing")
    countries = ("VN", "TH", "ID", "PH", "JP")
    needs = [
        Need(
            f"n{i}",
            f"c{i}",
            countries[i % 4],
            "vi",
            f"need {i}",
            "d",
            (areas[i % 4], areas[(i + 1) % 4]),
            organisation=f"org{i % 7}",
        )
        for i in range(40)
    ]
    offers = [
        Offer(
            f"o{j}",
            f"org{j % 11}",
            "JP",
            "ja",
            f"offer {j}",
            "d",
            (areas[j % 3],),
            tuple(countries[k] for k in range(5) if (j >> k) & 1),
        )
        for j in range(300)
    ]
    vectors = _unit(rng, len(needs) + len(offers), 48)
    emb = FixedVectors({x.text: vectors[k] for k, x in enumerate([*needs, *offers])})
    matrix = build_matrix(needs, offers, embedder=emb)
    rows, cols = np.arange(len(needs)), np.arange(len(offers))
    fast, reference = matrix.total(rows, cols), matrix.parts(rows, cols).total(matrix.weights)
    assert np.array_equal(np.isinf(fast), np.isinf(reference)) and np.isinf(fast).any()  # own organisation
    finite = np.isfinite(reference)
    assert np.allclose(fast[finite], reference[finite], atol=1e-4)
    sub = np.array([3, 5, 200])
    assert np.allclose(matrix.total(rows, sub), reference[:, sub], atol=1e-4)


def test_language_centring_brings_languages_together_and_can_be_switched_off():
    from ascnhub.engine.matching import Weights
    from ascnhub.engine.matching.scoring import centre_languages

    rng = np.random.default_rng(6)
    base = _unit(rng, 60, 32)
    offset = np.zeros(32, np.float32)
    offset[0] = 0.8  # every Japanese text shares one direction (a "language component")
    langs = ["ja"] * 30 + ["en"] * 30
    vectors = base + np.array([offset if lang == "ja" else 0 * offset for lang in langs])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    centred = centre_languages(vectors, langs, vectors, langs, Weights(language=1.0, language_shrink=0.0))

    def gap(x):
        ja, en = x[:30].mean(0), x[30:].mean(0)
        return float(np.linalg.norm(ja / np.linalg.norm(ja) - en / np.linalg.norm(en)))

    assert gap(centred) < 0.5 * gap(vectors)
    assert np.allclose(np.linalg.norm(centred, axis=1), 1.0, atol=1e-5)
    off = centre_languages(vectors, langs, vectors, langs, Weights(language=0.0))
    assert np.array_equal(off, vectors)
    # A language the reference population has never seen is left as it is.
    (unseen,) = centre_languages(vectors[:1], ["km"], vectors, langs, Weights())
    assert np.allclose(unseen, vectors[0])


def test_stage_budget_and_interest_terms_move_scores_by_their_weights():
    from dataclasses import replace

    from ascnhub.engine.matching import DEFAULT_WEIGHTS as W
    from ascnhub.engine.matching import Need, Offer
    from ascnhub.engine.matching.ranking import build_matrix

    rng = np.random.default_rng(7)
    needs = [Need(f"n{i}", f"c{i}", "VN", "vi", f"need {i}", "d", ("civic_social",)) for i in range(10)]
    offers = [Offer(f"o{j}", f"org{j}", "JP", "ja", f"offer {j}", "d", ("civic_social",)) for j in range(12)]
    vectors = _unit(rng, len(needs) + len(offers), 16)
    emb = FixedVectors({x.text: vectors[k] for k, x in enumerate([*needs, *offers])})
    rows, cols = np.arange(len(needs)), np.arange(len(offers))
    plain = build_matrix(needs, offers, embedder=emb).total(rows, cols)

    need = replace(needs[0], stage="planning", budget_usd=50_000, looking_for=("JP",))
    offer_fits = replace(offers[0], stages=("planning",))
    offer_other_stage = replace(offers[1], stages=("implementation",))
    offer_too_dear = replace(offers[2], min_budget_usd=100_000)
    offer_wants_vn = replace(offers[3], looking_for=("VN",))
    changed = build_matrix(
        [need, *needs[1:]],
        [offer_fits, offer_other_stage, offer_too_dear, offer_wants_vn, *offers[4:]],
        embedder=emb,
    ).total(rows, cols)
    delta = changed[0] - plain[0]
    half_interest = 0.5 * W.interest  # the need looks for Japanese companies: every offer meets it
    assert delta[0] == pytest.approx(W.stage + half_interest, abs=1e-4)
    assert delta[1] == pytest.approx(-W.stage + half_interest, abs=1e-4)
    assert delta[2] == pytest.approx(-W.budget + half_interest, abs=1e-4)
    assert delta[3] == pytest.approx(2 * half_interest, abs=1e-4)  # and the company looks for Viet Nam
    assert delta[4] == pytest.approx(half_interest, abs=1e-4)
    assert np.allclose(changed[1:, 4:], plain[1:, 4:], atol=1e-4)  # other needs meet no interest
