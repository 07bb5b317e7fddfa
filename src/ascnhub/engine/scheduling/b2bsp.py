"""Reader of B2BSP MiniZinc data files (``.dzn``, JAIR 2022 benchmark) into :class:`Instance`.

Mapping (shared/formats/schedule.md): every meeting required with weight 1; one slot group;
``nTables`` tables; all participants in person; session 1/2/3 -> morning/afternoon/any slots;
``forbidden`` -> unavailable; ``fixed`` -> fixed_slot; ``precedences`` -> after;
``max_break_spread`` defaults to 2 as in the published results.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Union

from .errors import InstanceError
from .model import Instance, Location, Meeting, Objective, Participant, Slot

Value = Union[int, list["Value"], frozenset[int]]  # noqa: UP007 (recursive alias)

_TOKEN = re.compile(r"\s*(?:(\[\||\|\]|\.\.|[\[\]{}|,;=])|(-?\d+)|([A-Za-z_][A-Za-z0-9_]*))")


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.tokens: list[tuple[str, int]] = []  # (token, line)
        for lineno, line in enumerate(text.splitlines(), 1):
            line = line.split("%", 1)[0]
            pos = 0
            while pos < len(line):
                if line[pos:].strip() == "":
                    break
                m = _TOKEN.match(line, pos)
                if not m or m.end() == pos:
                    raise InstanceError(
                        f"{source} line {lineno}", f"unexpected text {line[pos:].strip()[:20]!r}"
                    )
                self.tokens.append((m.group(0).strip(), lineno))
                pos = m.end()
        self.i = 0

    def where(self) -> str:
        line = self.tokens[min(self.i, len(self.tokens) - 1)][1] if self.tokens else 0
        return f"{self.source} line {line}"

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None:
            raise InstanceError(self.where(), "unexpected end of file")
        if expected is not None and tok != expected:
            raise InstanceError(self.where(), f"expected {expected!r}, got {tok!r}")
        self.i += 1
        return tok

    def integer(self) -> int:
        tok = self.take()
        try:
            return int(tok)
        except ValueError:
            raise InstanceError(self.where(), f"expected an integer, got {tok!r}") from None

    def value(self) -> Value:
        tok = self.peek()
        if tok == "[|":
            self.take()
            rows: list[Value] = []
            row: list[Value] = []
            while True:
                if self.peek() == "|]":
                    self.take()
                    if row:
                        rows.append(row)
                    return rows
                if self.peek() == "|":
                    self.take()
                    rows.append(row)
                    row = []
                    continue
                row.append(self.value())
                if self.peek() == ",":
                    self.take()
        if tok == "[":
            self.take()
            items: list[Value] = []
            while self.peek() != "]":
                items.append(self.value())
                if self.peek() == ",":
                    self.take()
                elif self.peek() != "]":
                    raise InstanceError(self.where(), f"expected ',' or ']', got {self.peek()!r}")
            self.take("]")
            return items
        if tok == "{":
            self.take()
            elems: set[int] = set()
            while self.peek() != "}":
                a = self.integer()
                if self.peek() == "..":
                    self.take()
                    b = self.integer()
                    elems.update(range(a, b + 1))
                else:
                    elems.add(a)
                if self.peek() == ",":
                    self.take()
                elif self.peek() != "}":
                    raise InstanceError(self.where(), f"expected ',' or '}}', got {self.peek()!r}")
            self.take("}")
            return frozenset(elems)
        return self.integer()

    def assignments(self) -> dict[str, tuple[Value, str]]:
        out: dict[str, tuple[Value, str]] = {}
        while self.peek() is not None:
            name = self.take()
            where = self.where()
            if not re.fullmatch(r"[A-Za-z_]\w*", name):
                raise InstanceError(where, f"expected a parameter name, got {name!r}")
            self.take("=")
            out[name] = (self.value(), where)
            self.take(";")
        return out


def parse_dzn(text: str, source: str = "dzn") -> dict[str, tuple[Value, str]]:
    """Parse MiniZinc data (integers, 1-D/2-D arrays, integer sets) into name -> (value, where)."""
    return _Parser(text, source).assignments()


def dzn_to_instance(text: str, name: str = "b2bsp", max_break_spread: int | None = 2) -> Instance:
    """Map a B2BSP ``.dzn`` text onto an :class:`Instance` (see the module docstring)."""
    data = parse_dzn(text, name)

    def get_int(key: str) -> int:
        if key not in data:
            raise InstanceError(f"{name}: {key}", "missing parameter")
        v, where = data[key]
        if not isinstance(v, int) or v < 0:
            raise InstanceError(f"{where}: {key}", f"expected a non-negative integer, got {v!r}")
        return v

    def get_list(key: str, length: int, *, optional: bool = False) -> list[Value]:
        if key not in data:
            if optional:
                return [0] * length
            raise InstanceError(f"{name}: {key}", "missing parameter")
        v, where = data[key]
        if not isinstance(v, list) or len(v) != length:
            got = len(v) if isinstance(v, list) else type(v).__name__
            raise InstanceError(f"{where}: {key}", f"expected an array of length {length}, got {got}")
        return v

    n_p, n_m, n_t = get_int("nBusiness"), get_int("nMeetings"), get_int("nTables")
    n_s = get_int("nTotalSlots")
    n_am = get_int("nMorningSlots") if "nMorningSlots" in data else n_s
    if n_s < 1:
        raise InstanceError(f"{name}: nTotalSlots", "needs at least one slot")
    if n_am > n_s:
        raise InstanceError(f"{name}: nMorningSlots", f"{n_am} exceeds nTotalSlots {n_s}")
    requested = get_list("requested", n_m)
    forbidden = get_list("forbidden", n_p, optional=True)
    fixed = get_list("fixed", n_m, optional=True)
    precedences = get_list("precedences", n_m, optional=True)

    t0 = datetime(2000, 1, 1, 9, 0, tzinfo=UTC)

    def iso(t: datetime) -> str:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    slots = tuple(
        Slot(f"s{i}", iso(t0 + timedelta(minutes=30 * (i - 1))), iso(t0 + timedelta(minutes=30 * i)), "all")
        for i in range(1, n_s + 1)
    )
    locations = tuple(Location(f"T{i}", "table") for i in range(1, n_t + 1))

    def slot_set(v: Value, el: str) -> frozenset[str]:
        if isinstance(v, int):
            v = frozenset() if v == 0 else frozenset({v})
        if not isinstance(v, frozenset):
            raise InstanceError(el, f"expected a set of slots, got {v!r}")
        bad = [s for s in v if s != 0 and not 1 <= s <= n_s]
        if bad:
            raise InstanceError(el, f"slot {bad[0]} outside 1..{n_s}")
        return frozenset(f"s{s}" for s in v if s != 0)

    participants = tuple(
        Participant(f"b{p}", "in_person", slot_set(forbidden[p - 1], f"{name}: forbidden[{p}]"))
        for p in range(1, n_p + 1)
    )
    am = tuple(f"s{i}" for i in range(1, n_am + 1))
    pm = tuple(f"s{i}" for i in range(n_am + 1, n_s + 1))
    meetings = []
    for k in range(1, n_m + 1):
        row = requested[k - 1]
        el = f"{name}: requested row {k}"
        if not isinstance(row, list) or len(row) != 3 or not all(isinstance(x, int) for x in row):
            raise InstanceError(
                el, f"expected three integers (participant, participant, session), got {row!r}"
            )
        a, b, sess = row  # type: ignore[misc]
        for x in (a, b):
            assert isinstance(x, int)
            if not 1 <= x <= n_p:
                raise InstanceError(el, f"participant {x} outside 1..{n_p}")
        if a == b:
            raise InstanceError(el, f"participant {a} meets itself")
        if sess not in (1, 2, 3):
            raise InstanceError(el, f"session must be 1, 2 or 3, got {sess}")
        allowed = am if sess == 1 else pm if sess == 2 else None
        f = fixed[k - 1]
        if not isinstance(f, int) or not 0 <= f <= n_s:
            raise InstanceError(f"{name}: fixed[{k}]", f"expected 0 or a slot in 1..{n_s}, got {f!r}")
        prec = precedences[k - 1]
        if isinstance(prec, int):
            prec = frozenset() if prec == 0 else frozenset({prec})
        if not isinstance(prec, frozenset) or any(not 1 <= q <= n_m or q == k for q in prec):
            raise InstanceError(f"{name}: precedences[{k}]", f"expected a set of other meetings in 1..{n_m}")
        meetings.append(
            Meeting(
                f"m{k}",
                (f"b{a}", f"b{b}"),
                1,
                True,
                allowed,
                f"s{f}" if f else None,
                tuple(f"m{q}" for q in sorted(prec)),
            )
        )
    return Instance(
        name, slots, locations, participants, tuple(meetings), Objective(1, max_break_spread), "UTC"
    )


def read_dzn(path: str | os.PathLike[str], max_break_spread: int | None = 2) -> Instance:
    """Read a B2BSP ``.dzn`` file (the instance is named after the file, without ``.dzn``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError(str(p), f"cannot read: {exc.strerror}") from exc
    name = p.name.removesuffix(".dzn")
    return dzn_to_instance(text, name, max_break_spread)
