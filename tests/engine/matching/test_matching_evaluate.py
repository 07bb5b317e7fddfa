"""Metrics on a tiny example computed by hand."""

from __future__ import annotations

import math

import pytest

from ascnhub.engine.matching import Judgement, Need, evaluate
from ascnhub.engine.matching.evaluate import ndcg_at, recall_at, reciprocal_rank

pytestmark = pytest.mark.engine


def _need(i: str, lang: str) -> Need:
    return Need(
        id=i, city="X", country="TH", language=lang, title="t", description="d", focus_areas=("civic_social",)
    )


def test_hand_computed_example():
    qrels = [
        Judgement("a", "o1", 2),
        Judgement("a", "o2", 1),
        Judgement("a", "o3", 2),
        Judgement("b", "o9", 2),
    ]
    ranked = {"a": ["o2", "o1", "o7", "o8", "o5", "o3"], "b": ["o9"]}
    # need a: DCG = 1/log2(2) + 2/log2(3) + 2/log2(7); ideal = 2/log2(2) + 2/log2(3) + 1/log2(4)
    dcg = 1 + 2 / math.log2(3) + 2 / math.log2(7)
    idcg = 2 + 2 / math.log2(3) + 1 / 2
    assert ndcg_at(ranked["a"], {"o1": 2, "o2": 1, "o3": 2}) == pytest.approx(dcg / idcg)
    assert recall_at(ranked["a"], {"o1", "o3"}, 5) == 0.5  # o3 is 6th
    assert reciprocal_rank(ranked["a"], {"o1", "o3"}) == 0.5

    result = evaluate(ranked, qrels, [_need("a", "th"), _need("b", "vi")])
    assert list(result) == ["overall", "th", "vi"]
    assert result["overall"].ndcg10 == pytest.approx((dcg / idcg + 1) / 2)
    assert result["overall"].recall5 == pytest.approx(0.75)
    assert result["overall"].mrr == pytest.approx(0.75)
    assert result["vi"].ndcg10 == 1.0 and result["th"].needs == 1


def test_unranked_relevant_offers_score_zero():
    assert ndcg_at([], {"o1": 2}) == 0.0
    assert reciprocal_rank(["o2"], {"o1"}) == 0.0
    assert ndcg_at(["o1"], {}) == 0.0


def test_needs_without_judgements_are_left_out():
    result = evaluate({"a": ["o1"]}, [Judgement("a", "o1", 2)], [_need("a", "th"), _need("z", "km")])
    assert result["overall"].needs == 1 and "km" not in result
