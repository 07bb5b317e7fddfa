"""Top-k search over unit vectors: exact (numpy) or approximate (faiss HNSW), one interface.

Scores are `query . item - bias[item]` (bias = the hub correction of `scoring`). A bias folds into
plain maximum-inner-product search by adding one dimension: [q, -1] . [p, b] = q.p - b, so the ANN
index needs no special support.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

#: Beyond this many items `build_index(kind="auto")` uses the approximate index (if faiss is installed).
ANN_THRESHOLD = 30_000


class VectorIndex(Protocol):
    """Top-k by biased inner product."""

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each (len(queries), k'), best first; k' = min(k, size)."""
        ...

    def __len__(self) -> int: ...


class ExactIndex:
    """Brute force in blocks of queries: a matrix product and `argpartition`, O(n*m) but BLAS-fast."""

    def __init__(self, items: np.ndarray, bias: np.ndarray | None = None, *, block: int = 1024) -> None:
        self.items = np.ascontiguousarray(items, dtype=np.float32)
        self.bias = np.zeros(len(items), np.float32) if bias is None else np.asarray(bias, np.float32)
        self.block = block

    def __len__(self) -> int:
        return len(self.items)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-k."""
        k = min(k, len(self.items))
        n = len(queries)
        scores = np.empty((n, k), np.float32)
        ids = np.empty((n, k), np.int64)
        if k == 0:
            return scores, ids
        for start in range(0, n, self.block):
            sims = queries[start : start + self.block] @ self.items.T - self.bias[None, :]
            top, order = top_k(sims, k)
            scores[start : start + len(sims)] = top
            ids[start : start + len(sims)] = order
        return scores, ids


class FaissHNSWIndex:
    """Approximate search with faiss' HNSW graph (inner-product metric) on bias-augmented vectors."""

    def __init__(
        self, items: np.ndarray, bias: np.ndarray | None = None, *, m: int = 32, ef_search: int = 128
    ) -> None:
        import faiss  # optional dependency (faiss-cpu)

        items = np.asarray(items, np.float32)
        bias = np.zeros(len(items), np.float32) if bias is None else np.asarray(bias, np.float32)
        augmented = np.hstack([items, bias[:, None]]).astype(np.float32)
        self._index = faiss.IndexHNSWFlat(augmented.shape[1], m, faiss.METRIC_INNER_PRODUCT)
        self._index.hnsw.efConstruction = 80
        self._index.hnsw.efSearch = ef_search
        self._index.add(augmented)
        self._size = len(items)

    def __len__(self) -> int:
        return self._size

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Approximate top-k (ids of -1, if any, are dropped by callers)."""
        k = min(k, self._size)
        q = np.hstack([np.asarray(queries, np.float32), -np.ones((len(queries), 1), np.float32)])
        self._index.hnsw.efSearch = max(self._index.hnsw.efSearch, k)
        scores, ids = self._index.search(q, k)
        return scores, ids


def build_index(items: np.ndarray, bias: np.ndarray | None = None, *, kind: str = "auto") -> VectorIndex:
    """`exact`, `hnsw`, or `auto` (HNSW beyond ANN_THRESHOLD items when faiss is importable)."""
    if kind == "exact":
        return ExactIndex(items, bias)
    if kind == "hnsw":
        return FaissHNSWIndex(items, bias)
    if kind != "auto":
        raise ValueError(f"unknown index kind {kind!r}")
    if len(items) > ANN_THRESHOLD:
        try:
            return FaissHNSWIndex(items, bias)
        except ImportError:
            pass  # exact search still works, just slower
    return ExactIndex(items, bias)


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise top-k of a 2-D array, best first; ties broken by column order (lowest column first)."""
    n, m = scores.shape
    k = min(k, m)
    if k == 0:
        return np.empty((n, 0), scores.dtype), np.empty((n, 0), np.int64)
    # Groups of up to 64 columns, at least 4k of them, so that few groups reach the threshold.
    size = min(_GROUP, m // (4 * k))
    if size < 4:
        return _top_k_by_sorting(scores, k)
    groups = m // size
    # The k-th largest of the rows' group maxima is a lower bound of k distinct values, so it is at
    # most the row's k-th largest value: every top-k item lies in a group whose maximum reaches it.
    # Only those groups (about k per row) and the short tail are looked at again, which is much
    # cheaper than a selection over every element (argpartition).
    width = groups * size
    grouped = scores[:, :width].reshape(n, groups, size)
    maxima = grouped.max(axis=2)
    threshold = np.partition(maxima, groups - k, axis=1)[:, groups - k]
    g_rows, g_ids = np.nonzero(maxima >= threshold[:, None])
    rows = np.repeat(g_rows, size)
    cols = (g_ids[:, None] * size + np.arange(size)).ravel()
    values = grouped[g_rows, g_ids].ravel()
    if width < m:  # the tail columns that do not fill a group
        tail = np.arange(width, m)
        rows = np.concatenate([rows, np.repeat(np.arange(n), len(tail))])
        cols = np.concatenate([cols, np.tile(tail, n)])
        values = np.concatenate([values, scores[:, width:].ravel()])
    passed = values >= threshold[rows]
    rows, cols, values = rows[passed], cols[passed], values[passed]
    order = np.lexsort((cols, -values, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    position = np.arange(len(rows)) - np.searchsorted(rows, np.arange(n))[rows]
    keep = position < k
    ids = np.empty((n, k), np.int64)
    top = np.empty((n, k), scores.dtype)
    ids[rows[keep], position[keep]] = cols[keep]
    top[rows[keep], position[keep]] = values[keep]
    return top, ids


#: Most columns per group in `top_k`'s pre-filter.
_GROUP = 64


def _top_k_by_sorting(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """`top_k` for narrow rows: a stable sort of each row (exact tie order, cheap when rows are short)."""
    ids = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, ids, axis=1), ids
