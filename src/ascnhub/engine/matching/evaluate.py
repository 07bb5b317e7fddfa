"""Ranking quality: nDCG@10 (graded gains 2/1), recall@5 of grade-2 offers, MRR of the first grade-2 offer.

Reported overall (mean over needs) and per need language. Needs without any grade-2 judgement are
left out of recall and MRR (nothing to find) but count in nDCG if they have grade-1 judgements.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import Judgement, Need


@dataclass(frozen=True)
class Metrics:
    """Mean metrics over a group of needs."""

    ndcg10: float
    recall5: float
    mrr: float
    needs: int

    def as_dict(self) -> dict[str, float | int]:
        """Rounded, for JSON reports."""
        return {
            "ndcg@10": round(self.ndcg10, 4),
            "recall@5": round(self.recall5, 4),
            "mrr": round(self.mrr, 4),
            "needs": self.needs,
        }


def ndcg_at(ranked: Sequence[str], gains: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with linear gains (the grade) and log2 discount; 0 if nothing is relevant."""
    dcg = sum(gains.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int = 5) -> float:
    """Share of `relevant` found in the first k."""
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    """1 / rank of the first relevant item (0 if none is ranked)."""
    for rank, doc in enumerate(ranked, start=1):
        if doc in relevant:
            return 1.0 / rank
    return 0.0


def per_need(
    ranked: Mapping[str, Sequence[str]], qrels: Iterable[Judgement]
) -> dict[str, tuple[float, float | None, float | None]]:
    """need id -> (nDCG@10, recall@5, MRR); recall/MRR are None when the need has no grade-2 offer."""
    gains: dict[str, dict[str, int]] = defaultdict(dict)
    for j in qrels:
        if j.grade > 0:
            gains[j.need][j.offer] = j.grade
    out: dict[str, tuple[float, float | None, float | None]] = {}
    for need_id, g in gains.items():
        docs = list(ranked.get(need_id, ()))
        top = {d for d, grade in g.items() if grade == 2}
        out[need_id] = (
            ndcg_at(docs, g, 10),
            recall_at(docs, top, 5) if top else None,
            reciprocal_rank(docs, top) if top else None,
        )
    return out


def _mean(values: Sequence[float | None]) -> float:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else 0.0


def evaluate(
    ranked: Mapping[str, Sequence[str]], qrels: Iterable[Judgement], needs: Sequence[Need]
) -> dict[str, Metrics]:
    """{"overall": Metrics, "<language>": Metrics, ...} over the judged needs."""
    scores = per_need(ranked, qrels)
    groups: dict[str, list[tuple[float, float | None, float | None]]] = defaultdict(list)
    for need in needs:
        if need.id in scores:
            groups["overall"].append(scores[need.id])
            groups[need.language].append(scores[need.id])
    return {
        name: Metrics(
            ndcg10=_mean([s[0] for s in rows]),
            recall5=_mean([s[1] for s in rows]),
            mrr=_mean([s[2] for s in rows]),
            needs=len(rows),
        )
        for name, rows in sorted(groups.items(), key=lambda kv: (kv[0] != "overall", kv[0]))
    }


def format_table(results: Mapping[str, Metrics]) -> str:
    """Plain-text table for the terminal."""
    lines = [f"{'group':<10} {'needs':>5} {'nDCG@10':>8} {'recall@5':>9} {'MRR':>6}"]
    for name, m in results.items():
        lines.append(f"{name:<10} {m.needs:>5} {m.ndcg10:>8.3f} {m.recall5:>9.3f} {m.mrr:>6.3f}")
    return "\n".join(lines)
