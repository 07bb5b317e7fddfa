"""One search box for everything the network publishes, by meaning and in any language.

Two rankings are fused (reciprocal-rank fusion, RRF):

* **meaning**: the E5 query embedding ("query: " side) against the passage vectors of the search
  index (`common.search_index`), so 洪水 finds English flood projects and Indonesian banjir needs;
* **words**: every word of the query occurs in the object's text, in the language written or in a
  translation (the apps' own columns, so this half needs no index and works on a fresh database).

Names and exact terms rank first: an object whose title *is* the query, or holds every word of it,
gets a boost above any fused score. Visibility is each kind's own `visible(user)` query set, applied
to both halves before anything is counted or shown.

`ASCNHUB_SEARCH=lexical` keeps the word half only; so does any failure to load the model, and the
page says so (`SearchResults.degraded`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.translation import get_language

from ascnhub.common import search_index
from ascnhub.common.search_index import Passage, SearchableKind
from ascnhub.projects.models import fold

log = logging.getLogger(__name__)

#: Word-matching hits read per kind; fused results beyond this are rarely looked at.
WORD_LIMIT = 60
RRF_K = 60
EXACT_TITLE_BOOST = 1.0
ALL_WORDS_IN_TITLE_BOOST = 0.5
PER_PAGE = 20


@dataclass
class Hit:
    kind: str
    label: str
    obj: object
    title: str
    snippet: str
    language: str
    url: str
    score: float
    by_words: bool
    by_meaning: bool
    original_title: str = ""  # when the title shown is a translation
    original_language: str = ""


@dataclass
class SearchResults:
    hits: list[Hit]  # the requested page
    total: int  # after the kind filter
    counts: dict[str, int]  # per kind, before the kind filter (for the facets)
    page: Page | None  # Django's Page over the ranked keys (for common/pagination.html)
    degraded: bool = False  # meaning search was wanted but unavailable
    mode: str = "hybrid"
    kinds: list[tuple[str, str]] = field(default_factory=list)  # (name, label), all registered

    def facets(self) -> list[tuple[str, str, int]]:
        """(name, label, hits) for every registered kind, for the kind filter."""
        return [(name, label, self.counts.get(name, 0)) for name, label in self.kinds]


def _words(q: str) -> list[str]:
    return [w for w in fold(q).split() if w][:8]


def _title_boost(q_folded: str, words: list[str], passages: list[Passage]) -> float:
    titles = [fold(p.title) for p in passages]
    if any(t == q_folded for t in titles):
        return EXACT_TITLE_BOOST
    if words and any(all(w in t for w in words) for t in titles):
        return ALL_WORDS_IN_TITLE_BOOST
    return 0.0


def _pick(passages: list[Passage], lang: str, matched: str | None) -> Passage:
    for want in (lang, matched):
        for p in passages:
            if want and p.language == want:
                return p
    return passages[0]


_MARKUP = re.compile(r"[#*_`>\[\]|]+")


def _snippet(text: str, words: list[str], width: int = 220) -> str:
    text = " ".join(_MARKUP.sub(" ", text).split())
    low = text.casefold()
    at = min((i for i in (low.find(w) for w in words) if i >= 0), default=0)
    start = max(0, at - width // 3)
    cut = text[start : start + width]
    return ("… " if start else "") + cut + (" …" if start + width < len(text) else "")


def search(
    q: str,
    user,
    kinds: list[str] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Search every registered kind this user may see; `kinds` filters the shown hits (not the counts)."""
    registered = search_index.kinds()
    labels = [(name, str(k.label)) for name, k in registered.items()]
    q = q.strip()
    words = _words(q)
    if not words:
        return SearchResults([], 0, {}, None, kinds=labels)
    q_folded = " ".join(words)
    visible = {name: k.visible(user) for name, k in registered.items()}

    # Words: the apps' own columns, every word required.
    scores: dict[tuple[str, int], float] = {}
    objs: dict[tuple[str, int], object] = {}
    by_words: set[tuple[str, int]] = set()
    word_hits: list[tuple[float, tuple[str, int]]] = []
    for name, kind in registered.items():
        for obj in visible[name].filter(kind.match(words))[:WORD_LIMIT]:
            key = (name, obj.pk)
            objs[key] = obj
            by_words.add(key)
            boost = _title_boost(q_folded, words, kind.documents(obj))
            scores[key] = boost
            word_hits.append((boost, key))
    word_hits.sort(key=lambda t: -t[0])  # stable: title hits first, then each kind's own order
    for rank, (_, key) in enumerate(word_hits):
        scores[key] += 1.0 / (RRF_K + rank + 1)

    # Meaning: nearest passages, then only those the user may see.
    degraded = False
    mode = settings.ASCNHUB_SEARCH
    matched_language: dict[tuple[str, int], str] = {}
    by_meaning: set[tuple[str, int]] = set()
    if mode == "hybrid":
        try:
            near = search_index.meaning_hits(q, visible)
        except Exception:  # noqa: BLE001 — a missing or broken model must not take search down
            log.exception("Meaning search unavailable; word matching only")
            near, degraded = [], True
        for rank, h in enumerate(near, start=1):
            key = (h.kind, h.object_id)
            by_meaning.add(key)
            matched_language[key] = h.language
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rank)

    ranked = sorted(scores, key=lambda k: -scores[k])
    counts: dict[str, int] = {}
    for name, _pk in ranked:
        counts[name] = counts.get(name, 0) + 1
    if kinds:
        ranked = [k for k in ranked if k[0] in kinds]
    total = len(ranked)
    page_obj = Paginator(ranked, per_page).get_page(page)
    shown = list(page_obj.object_list)

    missing: dict[str, list[int]] = {}
    for name, pk in shown:
        if (name, pk) not in objs:
            missing.setdefault(name, []).append(pk)
    for name, ids in missing.items():
        for obj in visible[name].filter(pk__in=ids):
            objs[(name, obj.pk)] = obj

    lang = (get_language() or "en").split("-")[0]
    hits = []
    for key in shown:
        if key not in objs:  # deleted between the two queries
            continue
        hit = _hit(registered[key[0]], objs[key], key, words, lang, matched_language.get(key))
        hit.score, hit.by_words, hit.by_meaning = scores[key], key in by_words, key in by_meaning
        hits.append(hit)
    return SearchResults(hits, total, counts, page_obj, degraded, mode, labels)


def _hit(kind: SearchableKind, obj, key, words: list[str], lang: str, matched: str | None) -> Hit:
    passages = kind.documents(obj) or [Passage("", str(obj), "")]
    p = _pick(passages, lang, matched)
    return Hit(
        kind=kind.name,
        label=str(kind.label),
        obj=obj,
        title=p.title,
        snippet=_snippet(p.text, words),
        language=p.language,
        url=obj.get_absolute_url(),
        score=0.0,
        by_words=False,
        by_meaning=False,
        original_title=passages[0].title if p is not passages[0] else "",
        original_language=passages[0].language,
    )
