"""One search across projects, needs and offers, in any language.

Now: a case-insensitive match of every word of the query in the title or description, in the
language written and in every translation (the folded `search_text` column, so Thai, Khmer,
Vietnamese and Japanese text match as well as English).

The seam: a `SearchBackend` takes the query and the public query sets and returns hits.
`semantic_backend()` (opt-in with ASCNHUB_SEARCH=semantic) ranks with the multilingual embeddings
of `ascnhub.engine.matching` so that a Vietnamese query finds a Japanese offer without shared
words; the lexical backend stays the default until the embeddings are cached in the database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Q, QuerySet

from ascnhub.projects import queries
from ascnhub.projects.models import fold

KINDS = ("project", "need", "offer")
MAX_PER_KIND = 50


@dataclass
class Hit:
    kind: str  # project, need, offer
    obj: object
    score: float = 1.0


class SearchBackend(Protocol):
    def search(self, q: str, sets: dict[str, QuerySet], limit: int) -> list[Hit]: ...


def _words(q: str) -> list[str]:
    return [w for w in fold(q).split() if w][:8]


class LexicalBackend:
    """Every word must appear (title, description or a translation); titles matching rank first."""

    def search(self, q: str, sets: dict[str, QuerySet], limit: int = MAX_PER_KIND) -> list[Hit]:
        words = _words(q)
        if not words:
            return []
        hits: list[Hit] = []
        for kind, qs in sets.items():
            cond = Q()
            for w in words:
                cond &= Q(search_text__contains=w)
            for obj in qs.filter(cond)[:limit]:
                title = (
                    fold(obj.title)
                    + " "
                    + " ".join(fold(t.get("title", "")) for t in (obj.translations or {}).values())
                )
                score = sum(1.0 for w in words if w in title) / len(words) + 1.0
                hits.append(Hit(kind, obj, score))
        hits.sort(key=lambda h: -h.score)
        return hits


class SemanticBackend:
    """Rank by multilingual embeddings (engine.matching); falls back to lexical on any failure."""

    _embedder = None  # one per process: the model loads once, and each text is embedded once, ever

    def __init__(self, min_score: float = 0.80):
        self.min_score = min_score

    @classmethod
    def embedder(cls):
        if cls._embedder is None:
            from django.conf import settings

            from ascnhub.engine.matching import default_embedder

            cls._embedder = default_embedder(cache_dir=settings.DATA_DIR / "cache")
        return cls._embedder

    def search(self, q: str, sets: dict[str, QuerySet], limit: int = MAX_PER_KIND) -> list[Hit]:
        from ascnhub.engine.matching import similar_texts

        objs = [(kind, obj) for kind, qs in sets.items() for obj in qs[:2000]]
        if not objs or not q.strip():
            return []
        texts = [f"{o.title}. {o.description}" for _, o in objs]
        ranked = similar_texts(
            [q],
            texts,
            embedder=self.embedder(),
            top_k=min(len(texts), limit * len(sets)),
            asymmetric=True,
            exclude_identical=False,
        )[0]
        hits = [Hit(objs[j][0], objs[j][1], s) for j, s in ranked if s >= self.min_score]
        lexical = LexicalBackend().search(q, sets, limit)
        seen = {(h.kind, h.obj.pk) for h in hits}
        return [h for h in lexical if (h.kind, h.obj.pk) not in seen] + hits


def backend() -> SearchBackend:
    if os.environ.get("ASCNHUB_SEARCH", "lexical") == "semantic":
        return SemanticBackend()
    return LexicalBackend()


def public_sets(kinds: list[str] | None = None) -> dict[str, QuerySet]:
    sets = {"project": queries.project_rows(), "need": queries.need_rows(), "offer": queries.offer_rows()}
    return {k: v for k, v in sets.items() if not kinds or k in kinds}


def search(q: str, kinds: list[str] | None = None, limit: int = MAX_PER_KIND) -> list[Hit]:
    try:
        return backend().search(q, public_sets(kinds), limit)
    except Exception:  # noqa: BLE001 — the semantic model may be missing; lexical search always works
        return LexicalBackend().search(q, public_sets(kinds), limit)
