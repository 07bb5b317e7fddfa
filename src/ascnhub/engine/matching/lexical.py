"""Lexical matching: BM25 (the `rank-bm25` library) with a tokeniser that copes with unspaced scripts.

Thai, Lao, Khmer, Myanmar, Japanese and Chinese are written without spaces between words, and a
word segmenter per language would be a heavy dependency; overlapping character bigrams are the
standard cheap substitute and work well enough for BM25. Korean (spaced, but agglutinative) gets
bigrams too. Latin-script and Vietnamese text is split into lower-cased words.

BM25 only makes sense between texts in the same language, so `same_language_bm25` scores a need
only against offers written in its language; cross-language pairs get 0.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

# Unicode ranges of scripts written without spaces between words (or agglutinative, for Hangul).
_UNSPACED = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1780-\u17ff"  # Khmer
    "\u1000-\u109f"  # Myanmar
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff"  # CJK ideographs
    "\uac00-\ud7af"  # Hangul syllables
)
_RUN = re.compile(rf"([{_UNSPACED}]+)|(\w+)")
# Thai/Lao/Khmer/Myanmar combining marks are \w-less in Python's regex; they belong to their run.
_MARKS = re.compile(
    r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd\u17b4-\u17d3\u102b-\u103e]"
)


def tokenize(text: str) -> list[str]:
    """Lower-cased words for spaced scripts, character bigrams for unspaced ones."""
    text = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for unspaced, word in _RUN.findall(text):
        if unspaced:
            # Drop combining vowel/tone marks so bigrams are over base letters: fewer, denser features.
            run = _MARKS.sub("", unspaced)
            if len(run) == 1:
                tokens.append(run)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        elif len(word) > 1 or word.isdigit():
            tokens.append(word)
    return tokens


def bm25_scores(queries: Sequence[str], documents: Sequence[str]) -> np.ndarray:
    """BM25 (rank-bm25's Okapi, k1=1.5, b=0.75, with Lucene's idf) of every query against every document."""

    out = np.zeros((len(queries), len(documents)), dtype=np.float32)
    if not queries or not documents:
        return out
    corpus = [tokenize(d) or ["\x00"] for d in documents]  # rank-bm25 divides by document length
    bm25 = _LuceneBM25(corpus)
    for i, q in enumerate(queries):
        tokens = tokenize(q)
        if tokens:
            out[i] = bm25.get_scores(tokens)
    return out


@lru_cache(maxsize=1)
def _lucene_bm25_class() -> type:
    from rank_bm25 import BM25Okapi

    class LuceneBM25(BM25Okapi):  # type: ignore[misc]
        """Okapi BM25 with Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)).

        rank-bm25's Okapi idf goes to zero or below for a term in half the documents, which in a small
        same-language group (two Indonesian offers, say) wipes out exactly the shared terms that matter;
        Lucene's form stays positive. `_calc_idf(nd)` (nd: term -> document frequency) is the hook
        rank-bm25 provides for this.
        """

        def _calc_idf(self, nd: dict[str, int]) -> None:
            n = self.corpus_size
            self.idf = {t: math.log(1.0 + (n - df + 0.5) / (df + 0.5)) for t, df in nd.items()}
            self.average_idf = sum(self.idf.values()) / max(len(self.idf), 1)

    return LuceneBM25


def _LuceneBM25(corpus: list[list[str]]) -> Any:
    """rank-bm25 is imported lazily: only lexical features and the BM25 baseline need it."""
    return _lucene_bm25_class()(corpus)


def same_language_bm25(
    query_texts: Sequence[str],
    query_langs: Sequence[str],
    doc_texts: Sequence[str],
    doc_langs: Sequence[str],
) -> np.ndarray:
    """BM25 within each language, 0 across languages; each query row scaled to max 1 (0 if no match).

    Scaling per query makes the lexical signal a bounded feature that can be weighed against the
    semantic one without depending on text length or corpus size.
    """
    out = np.zeros((len(query_texts), len(doc_texts)), dtype=np.float32)
    by_lang_docs: dict[str, list[int]] = defaultdict(list)
    for j, lang in enumerate(doc_langs):
        by_lang_docs[_base_lang(lang)].append(j)
    by_lang_queries: dict[str, list[int]] = defaultdict(list)
    for i, lang in enumerate(query_langs):
        by_lang_queries[_base_lang(lang)].append(i)
    for lang, qidx in by_lang_queries.items():
        didx = by_lang_docs.get(lang)
        if not didx:
            continue
        scores = bm25_scores([query_texts[i] for i in qidx], [doc_texts[j] for j in didx])
        scores = np.maximum(scores, 0.0)
        top = scores.max(axis=1, keepdims=True)
        scores = np.divide(scores, top, out=np.zeros_like(scores), where=top > 0)
        out[np.ix_(qidx, didx)] = scores
    return out


def _base_lang(tag: str) -> str:
    """`pt-BR` -> `pt`: BCP 47 primary subtag, lower-cased."""
    return tag.split("-")[0].split("_")[0].lower()
