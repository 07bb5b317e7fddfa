"""JSON Lines input and output (`ascnhub-match/1`) with validation errors that name file, line and field.

Reading is all-or-nothing: the first bad line raises `MatchInputError` and nothing is returned, so the
CLI can refuse to write any output for bad input.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .model import FOCUS_AREAS, STAGES, Judgement, Need, Offer, Ranking


class MatchInputError(ValueError):
    """Bad input: carries the file, the 1-based line number and the field at fault."""

    def __init__(self, path: str | os.PathLike[str], line: int, field: str | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        where = f"{self.path}:{line}" + (f": field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


def _read_objects(path: str | os.PathLike[str]) -> list[tuple[int, dict[str, Any]]]:
    """Parse a JSONL file into (line number, object) pairs, skipping blank lines."""
    out: list[tuple[int, dict[str, Any]]] = []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise MatchInputError(path, 0, None, f"cannot read file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        line = text_line_of(Path(path).read_bytes(), exc.start)
        raise MatchInputError(path, line, None, "not valid UTF-8") from exc
    # split("\n"), not splitlines(): JSON strings may hold U+2028 and friends, which are not line ends here.
    for lineno, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise MatchInputError(
                path, lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})"
            ) from exc
        if not isinstance(obj, dict):
            raise MatchInputError(path, lineno, None, "expected a JSON object")
        out.append((lineno, obj))
    return out


def text_line_of(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset."""
    return data.count(b"\n", 0, offset) + 1


class _Line:
    """Typed accessors over one parsed line that raise errors naming the field."""

    def __init__(self, path: str | os.PathLike[str], lineno: int, obj: dict[str, Any]) -> None:
        self.path, self.lineno, self.obj = path, lineno, obj

    def fail(self, field: str | None, message: str) -> MatchInputError:
        return MatchInputError(self.path, self.lineno, field, message)

    def text(self, field: str, *, required: bool = True) -> str | None:
        value = self.obj.get(field)
        if value is None:
            if required:
                raise self.fail(field, "missing")
            return None
        if not isinstance(value, str):
            raise self.fail(field, f"expected a string, got {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(field, "empty")
        return value.strip()

    def codes(self, field: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.obj.get(field)
        if value is None:
            if required:
                raise self.fail(field, "missing")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(field, "expected a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def focus_areas(self) -> tuple[str, ...]:
        areas = self.codes("focus_areas", required=True)
        if not areas:
            raise self.fail("focus_areas", "empty")
        for area in areas:
            if area not in FOCUS_AREAS:
                raise self.fail(
                    "focus_areas", f"unknown focus area {area!r} (expected one of {', '.join(FOCUS_AREAS)})"
                )
        return areas

    def integer(self, field: str) -> int | None:
        value = self.obj.get(field)
        if value is None:
            return None
        # bool is an int subclass in Python; a budget of `true` is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise self.fail(field, "expected a non-negative number or null")
        return int(value)


def _check_unique(path: str | os.PathLike[str], items: Sequence[tuple[int, str]]) -> None:
    seen: dict[str, int] = {}
    for lineno, ident in items:
        if ident in seen:
            raise MatchInputError(path, lineno, "id", f"duplicate id {ident!r} (first on line {seen[ident]})")
        seen[ident] = lineno


def read_needs(path: str | os.PathLike[str]) -> list[Need]:
    """Read and validate `needs.jsonl`."""
    needs: list[Need] = []
    ids: list[tuple[int, str]] = []
    for lineno, obj in _read_objects(path):
        ln = _Line(path, lineno, obj)
        stage = ln.text("stage", required=False)
        if stage is not None and stage not in STAGES:
            raise ln.fail("stage", f"unknown stage {stage!r} (expected one of {', '.join(STAGES)})")
        need = Need(
            id=ln.text("id") or "",
            city=ln.text("city") or "",
            country=(ln.text("country") or "").upper(),
            language=ln.text("language") or "",
            title=ln.text("title") or "",
            description=ln.text("description") or "",
            focus_areas=ln.focus_areas(),
            stage=stage,
            budget_usd=ln.integer("budget_usd"),
            organisation=ln.text("organisation", required=False),
            looking_for=ln.codes("looking_for"),
        )
        needs.append(need)
        ids.append((lineno, need.id))
    _check_unique(path, ids)
    return needs


def read_offers(path: str | os.PathLike[str]) -> list[Offer]:
    """Read and validate `offers.jsonl`."""
    offers: list[Offer] = []
    ids: list[tuple[int, str]] = []
    for lineno, obj in _read_objects(path):
        ln = _Line(path, lineno, obj)
        stages = ln.codes("stages")
        for stage in stages:
            if stage not in STAGES:
                raise ln.fail("stages", f"unknown stage {stage!r} (expected one of {', '.join(STAGES)})")
        offer = Offer(
            id=ln.text("id") or "",
            organisation=ln.text("organisation") or "",
            country=(ln.text("country") or "").upper(),
            language=ln.text("language") or "",
            title=ln.text("title") or "",
            description=ln.text("description") or "",
            focus_areas=ln.focus_areas(),
            deployed_in=tuple(c.upper() for c in ln.codes("deployed_in")),
            stages=stages,
            min_budget_usd=ln.integer("min_budget_usd"),
            looking_for=ln.codes("looking_for"),
        )
        offers.append(offer)
        ids.append((lineno, offer.id))
    _check_unique(path, ids)
    return offers


def read_qrels(
    path: str | os.PathLike[str],
    *,
    need_ids: Iterable[str] | None = None,
    offer_ids: Iterable[str] | None = None,
) -> list[Judgement]:
    """Read `qrels.jsonl`; with id sets given, ids unknown to them are errors."""
    known_needs = set(need_ids) if need_ids is not None else None
    known_offers = set(offer_ids) if offer_ids is not None else None
    out: list[Judgement] = []
    seen: dict[tuple[str, str], int] = {}
    for lineno, obj in _read_objects(path):
        ln = _Line(path, lineno, obj)
        need, offer = ln.text("need") or "", ln.text("offer") or ""
        grade = obj.get("grade")
        if isinstance(grade, bool) or grade not in (0, 1, 2):
            raise ln.fail("grade", "expected 0, 1 or 2")
        if known_needs is not None and need not in known_needs:
            raise ln.fail("need", f"unknown need id {need!r}")
        if known_offers is not None and offer not in known_offers:
            raise ln.fail("offer", f"unknown offer id {offer!r}")
        if (need, offer) in seen:
            raise ln.fail(
                "offer", f"duplicate judgement for ({need}, {offer}) (first on line {seen[need, offer]})"
            )
        seen[need, offer] = lineno
        out.append(Judgement(need=need, offer=offer, grade=int(grade)))
    return out


def ranking_to_json(
    ranking: Ranking, *, subject_key: str = "need", item_key: str = "offer"
) -> dict[str, Any]:
    """One output line of `ranked.jsonl`."""
    return {
        subject_key: ranking.subject,
        "ranking": [
            {item_key: s.id, "score": round(float(s.score), 4), "reasons": list(s.reasons)}
            for s in ranking.suggestions
        ],
    }


def write_rankings(
    path: str | os.PathLike[str],
    rankings: Iterable[Ranking],
    *,
    subject_key: str = "need",
    item_key: str = "offer",
) -> None:
    """Write `ranked.jsonl` atomically: a temporary file renamed into place, so a crash leaves no half
    file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ranked-", suffix=".jsonl", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for ranking in rankings:
                line = ranking_to_json(ranking, subject_key=subject_key, item_key=item_key)
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
