"""Generator of realistic matchmaking instances (deterministic for a seed).

An ASEAN smart-city event in Jakarta time (UTC+7): cities and companies from the region and
Japan; a share of participants online from time zones UTC+6:30 to UTC+9 whose local evening
and night (before 08:30, from 18:00) is unavailable; an opening plenary and lunch split each day into
blocks (break groups); forum sessions block the slots of those attending them; popularity is
skewed (a few companies are asked by many); weights come from mutual interest; exhibitors keep a
home table.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from .model import Instance, Location, Meeting, Objective, Participant, Slot

_CITIES = [
    "makassar",
    "banyuwangi",
    "jakarta",
    "danang",
    "hanoi",
    "hcmc",
    "bangkok",
    "chonburi",
    "phuket",
    "kualalumpur",
    "johorbahru",
    "kotakinabalu",
    "manila",
    "cebu",
    "davao",
    "singapore",
    "yangon",
    "mandalay",
    "naypyitaw",
    "vientiane",
    "luangprabang",
    "phnompenh",
    "siemreap",
    "battambang",
    "bandarseribegawan",
    "kuching",
    "surabaya",
    "medan",
    "nakhonratchasima",
    "iloilo",
    "haiphong",
]
_OFFSETS_MIN = [390, 420, 480, 540]  # UTC+6:30 Yangon, +7 Jakarta/Bangkok, +8 Manila/KL, +9 Tokyo
_EVENT_OFFSET_MIN = 420


def generate(
    participants: int,
    seed: int = 0,
    *,
    requests_per_participant: float = 5,
    days: int = 2,
    slots_per_day: int | None = None,
    online_share: float = 0.15,
    exhibitor_share: float = 0.08,
    forum_share: float = 0.25,
    tables: int | None = None,
) -> Instance:
    """A generated instance with ``participants`` participants, each sending about
    ``requests_per_participant`` meeting requests (so about N x R meetings after de-duplication).

    Days run 09:00-17:00 event time in 20-minute slots (``slots_per_day`` overrides the count):
    day 1 opens with a one-hour plenary; lunch (12:00-13:00) splits each day in two break groups.
    """
    rng = random.Random(seed)
    n = participants
    t_day0 = datetime(2026, 10, 19, 9, 0, tzinfo=timezone(timedelta(minutes=_EVENT_OFFSET_MIN)))
    slots: list[Slot] = []
    for d in range(days):
        day_start = t_day0 + timedelta(days=d)
        if slots_per_day is None:
            am = [day_start + timedelta(minutes=20 * i) for i in range(9)]
            if d == 0:
                am = am[3:]  # opening plenary 09:00-10:00
            pm = [day_start + timedelta(hours=4, minutes=20 * i) for i in range(12)]
        else:
            half = slots_per_day // 2
            am = [day_start + timedelta(minutes=20 * i) for i in range(half)]
            pm = [day_start + timedelta(minutes=20 * (half + 3 + i)) for i in range(slots_per_day - half)]
        for block, times in (("am", am), ("pm", pm)):
            for t in times:
                u = t.astimezone(UTC)
                slots.append(
                    Slot(
                        f"d{d + 1}-{t.strftime('%H%M')}",
                        u.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        (u + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        f"d{d + 1}-{block}",
                    )
                )
    n_slots = len(slots)

    # participants: a third cities, the rest companies; a few exhibitors with a home table
    kinds = ["city" if rng.random() < 0.35 else "company" for _ in range(n)]
    ids = []
    for i, k in enumerate(kinds):
        base = rng.choice(_CITIES) if k == "city" else f"co{rng.randrange(10**6):06d}"
        ids.append(f"{k[:2]}{i:05d}-{base}")
    online = [rng.random() < online_share for _ in range(n)]
    n_tables = (
        tables if tables is not None else max(4, int(n * requests_per_participant / n_slots * 1.25) + 2)
    )
    n_rooms = max(2, int(sum(online) * requests_per_participant / n_slots * 2) + 2)
    locations = [Location(f"T{i + 1:03d}", "table") for i in range(n_tables)]
    locations += [Location(f"V{i + 1:03d}", "virtual") for i in range(n_rooms)]
    exhibitors = [
        i
        for i in range(n)
        if kinds[i] == "company" and not online[i] and rng.random() < exhibitor_share * 1.6
    ]
    exhibitors = exhibitors[: n_tables // 2]
    home = {i: f"T{j + 1:03d}" for j, i in enumerate(exhibitors)}

    # forums: four 1h40 sessions (5 slots) spread over the days; a share of participants attends one
    forum_starts = [rng.randrange(0, max(1, n_slots - 5)) for _ in range(4)]
    unavailable: list[set[str]] = [set() for _ in range(n)]
    for i in range(n):
        if not online[i] and rng.random() < forum_share:
            f = rng.choice(forum_starts)
            unavailable[i].update(s.id for s in slots[f : f + 5])
        if online[i]:
            off = rng.choice(_OFFSETS_MIN)
            for s in slots:
                start = datetime.fromisoformat(s.start)
                local = start + timedelta(minutes=off)
                if local.hour * 60 + local.minute < 8 * 60 + 30 or local.hour >= 18:
                    unavailable[i].add(s.id)
    # skewed popularity (Zipf-like), companies more popular than cities on average
    pop = [1.0 / (r + 1) ** 0.9 for r in range(n)]
    rng.shuffle(pop)
    pop = [p * (1.6 if kinds[i] == "company" else 1.0) for i, p in enumerate(pop)]
    # interest: requests go mostly across kinds (cities <-> companies)
    cities = [i for i in range(n) if kinds[i] == "city"]
    companies = [i for i in range(n) if kinds[i] == "company"]
    wc = [pop[i] for i in cities]
    wco = [pop[i] for i in companies]
    asked: dict[tuple[int, int], set[int]] = {}
    for i in range(n):
        r = max(1, round(rng.gauss(requests_per_participant, requests_per_participant / 4)))
        for _ in range(r):
            cross = rng.random() < 0.8
            pool, weights = (
                ((companies, wco) if kinds[i] == "city" else (cities, wc))
                if cross
                else ((cities, wc) if kinds[i] == "city" else (companies, wco))
            )
            if not pool:
                pool, weights = list(range(n)), pop
            j = rng.choices(pool, weights)[0]
            if j == i:
                continue
            key = (min(i, j), max(i, j))
            asked.setdefault(key, set()).add(i)
    meetings: list[Meeting] = []
    for (a, b), who in sorted(asked.items()):
        mutual = len(who) == 2
        weight = 3 if mutual else rng.choice((1, 1, 2))
        meetings.append(Meeting(f"m{len(meetings) + 1}", (ids[a], ids[b]), weight))
    parts = []
    load = [0] * n
    for a, b in asked:
        load[a] += 1
        load[b] += 1
    for i in range(n):
        cap = None
        if load[i] > 14 and rng.random() < 0.5:
            cap = rng.choice((12, 16, 20))
        parts.append(
            Participant(
                ids[i], "online" if online[i] else "in_person", frozenset(unavailable[i]), cap, home.get(i)
            )
        )
    return Instance(
        f"generated-n{n}-r{requests_per_participant:g}-d{days}-s{seed}",
        tuple(slots),
        tuple(locations),
        tuple(parts),
        tuple(meetings),
        Objective(1, None),
        "Asia/Jakarta",
    )


def with_precedences(instance: Instance, share: float = 0.1, seed: int = 0) -> Instance:
    """A precedence variant of ``instance``: a share ``share`` of the participants with two
    meetings or more (at least one) each get one precedence between two of their meetings, drawn
    at random (deterministic for ``seed``) among the pairs that can be met; the later meeting gets
    the earlier one in ``after``.

    Why: the published B2BSP study has precedence variants that are not distributed with the
    instances; this makes the same kind of instance from any original. Every pair is oriented by
    one order of all meetings (by the middle of their allowed slots, ties broken at random), so
    the precedences never form a cycle and no pair is impossible on its own (a morning-only meeting
    is never put after an afternoon-only one): either would make the variant infeasible for a
    trivial reason (the first version of this generator drew the order at random, and 4 of the 20
    B2BSP originals' variants were infeasible by one such pair). Together with the other rules a
    variant may still be infeasible. The instance's name gets ``.prec<share in %>s<seed>``
    appended, its other data are unchanged.
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    rng = random.Random(seed)
    allowed = instance.allowed_slots
    tie = [rng.random() for _ in instance.meetings]
    middle = [(min(a) + max(a)) / 2 if a else 0.0 for a in allowed]
    order = sorted(range(len(instance.meetings)), key=lambda k: (middle[k], tie[k]))
    rank = {k: i for i, k in enumerate(order)}
    eligible = [p.id for p in instance.participants if len(instance.meetings_of[p.id]) >= 2]
    chosen = rng.sample(eligible, max(1, round(share * len(eligible)))) if eligible else []
    after: dict[int, set[str]] = {k: set(m.after) for k, m in enumerate(instance.meetings)}
    for pid in sorted(chosen):
        mine = sorted(instance.meetings_of[pid], key=rank.__getitem__)
        # pairs that can be met (two meetings fixed to one slot, say, cannot be ordered)
        pairs = [
            (a, b)
            for i, a in enumerate(mine)
            for b in mine[i + 1 :]
            if allowed[a] and allowed[b] and min(allowed[a]) < max(allowed[b])
        ]
        if pairs:
            first, second = rng.choice(pairs)
            after[second].add(instance.meetings[first].id)
    meetings = tuple(replace(m, after=tuple(sorted(after[k]))) for k, m in enumerate(instance.meetings))
    return replace(instance, name=f"{instance.name}.prec{round(share * 100):03d}s{seed}", meetings=meetings)
