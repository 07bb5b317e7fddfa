"""Durable delivery: rows that must reach someone outside (an e-mail, a webhook POST, a reminder),
claimed with a lease, sent, retried with exponential back-off, and kept as failed after the last
attempt.

A *channel* ties a table (a concrete subclass of `common.models.Delivery`) to the function that
sends one of its rows. The apps that own the rows declare their channel (`common.mail`,
`api.webhooks`, `followup.services`, `matchmaking.tasks`); this module knows nothing of e-mail or
HTTP. What every channel gets:

- **claim with a lease**: one conditional `UPDATE` takes a row (`attempts + 1`, `claimed_at =
  now`) only if it is pending, due, and not held by a live lease. On SQLite writers are serialised;
  on PostgreSQL the second `UPDATE` waits for the first and re-checks the condition. Either way
  exactly one of two workers wins, and no lock is held while the row is being sent. A worker that
  dies mid-send leaves the row claimed; once `lease` has passed, anyone may take it again;
- **at least once**: a row is marked done only after `send` returned. A crash between the far
  side accepting it and that update sends it again after the lease (never loses it). A channel
  whose `send` only writes to this database (`atomic=True`: the reminders, which put e-mails in
  the outbox) runs `send` and the "done" update in one transaction, so it hands over exactly once;
- **fencing**: the "done"/"failed" update only applies while the row still carries this attempt's
  claim, so a worker that outlived its lease cannot overwrite a newer attempt's result;
- **back-off**: after a failed attempt the row waits `backoff.pause(attempts)`
  (`base * factor ** (attempts - 1)`, at most `cap`), counted from the attempt's start;
- **a maximum of attempts**: after `max_attempts()` failures (or at once when `send` raises
  `GiveUp`) the row is `failed`, with the last error, for the admin to see and send again;
- **a sweep**: `sweep()` (`ascnhub deliveries sweep`, from cron) delivers every due row of every
  channel: first attempts whose task never ran, retries, and rows left by dead workers.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Delivery

PENDING = Delivery.PENDING
FAILED = Delivery.FAILED


class GiveUp(Exception):
    """Raised by a channel's `send` when retrying cannot help (e.g. the endpoint was switched off):
    the row is marked failed at once, with this message."""


class AttemptFailed(Exception):
    """Raised by a channel's `send` for a failed attempt that is worth retrying; its message is
    recorded as it is (other exceptions are recorded with their type name)."""


class DeliveryError(Exception):
    """A wrong use of the primitive (an unknown channel, a model that is not a Delivery)."""


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off: the pause after the n-th failed attempt is base * factor**(n-1), at most cap."""

    base: datetime.timedelta
    cap: datetime.timedelta
    factor: int = 2

    def pause(self, attempts: int) -> datetime.timedelta:
        """How long to wait after `attempts` attempts before the next one."""
        pause = self.base * self.factor ** max(attempts - 1, 0)
        return min(pause, self.cap)


@dataclass(frozen=True)
class Channel:
    """How one table's rows are delivered.

    `send(row, session)` delivers one row and returns when the far side accepted it; it raises on
    failure (any exception is retried, `GiveUp` is final). It may set the fields named in
    `outcome_fields` on the row (e.g. the HTTP status), which are saved with the outcome.
    `session()` (optional) opens what several sends can share (an SMTP connection); its value is
    passed to `send`. `enqueue(ids, run_after)` (optional) hands rows to the task worker; it is
    called for a retry at its due time. `max_attempts` is read at each use, so settings apply at
    once.
    """

    name: str
    model: type[Delivery]
    send: Callable[[Any, Any], None]
    backoff: Backoff
    max_attempts: Callable[[], int]
    lease: datetime.timedelta
    atomic: bool = False
    enqueue: Callable[[list[int], datetime.datetime | None], None] | None = None
    session: Callable[[], contextlib.AbstractContextManager[Any]] | None = None
    select_related: tuple[str, ...] = ()
    outcome_fields: tuple[str, ...] = field(default=())


_channels: dict[str, Channel] = {}
_discovered = False


def register(channel: Channel) -> Channel:
    """Make a channel known to the sweep and the admin (called once, where the channel is defined)."""
    if not issubclass(channel.model, Delivery):
        raise DeliveryError(f"{channel.model.__name__} is not a subclass of common.models.Delivery")
    known = _channels.get(channel.name)
    if known is not None and known.model is not channel.model:
        raise DeliveryError(f"two channels are named {channel.name!r}")
    _channels[channel.name] = channel
    return channel


def _discover() -> None:
    # Channels are declared by the apps that own them (higher floors), which every app's tasks.py
    # imports; importing those modules registers them, as the admin finds each app's admin.py.
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        _discovered = True


def channels() -> list[Channel]:
    """Every registered channel, by name."""
    _discover()
    return [_channels[name] for name in sorted(_channels)]


def channel_named(name: str) -> Channel:
    """The channel called `name`; DeliveryError naming the known ones otherwise."""
    _discover()
    try:
        return _channels[name]
    except KeyError:
        raise DeliveryError(
            f"unknown delivery channel {name!r}; known: {', '.join(sorted(_channels))}"
        ) from None


def channel_for(model: type[Delivery]) -> Channel:
    """The channel that delivers rows of `model`."""
    _discover()
    for channel in _channels.values():
        if channel.model is model:
            return channel
    raise DeliveryError(f"no delivery channel for {model.__name__}")


# --- claiming ---------------------------------------------------------------------------------------


def due(channel: Channel, now: datetime.datetime) -> Q:
    """Rows to attempt now: pending, due, and not held by a live lease."""
    return Q(status=PENDING, next_attempt_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - channel.lease)
    )


def claim(channel: Channel, pk: int, now: datetime.datetime | None = None) -> Any | None:
    """Take one row for an attempt, or None when it is not due or another worker holds it.

    The claim is a single conditional UPDATE, committed on its own when called outside a
    transaction, so the lease is visible to every other worker before anything is sent.
    """
    now = now or timezone.now()
    taken = channel.model.objects.filter(due(channel, now), pk=pk).update(
        claimed_at=now, last_attempt_at=now, attempts=F("attempts") + 1
    )
    if not taken:
        return None
    return channel.model.objects.select_related(*channel.select_related).get(pk=pk)


class _LeaseLost(Exception):
    """The row no longer carries this attempt's claim: another worker took it after the lease."""


def _finish(channel: Channel, row: Any, **values: Any) -> bool:
    """Write an attempt's outcome, only while the row still carries this attempt's claim."""
    values.update({name: getattr(row, name) for name in channel.outcome_fields})
    return bool(
        channel.model.objects.filter(pk=row.pk, attempts=row.attempts, claimed_at=row.claimed_at).update(
            claimed_at=None, **values
        )
    )


def deliver(channel: Channel, pk: int, *, now: datetime.datetime | None = None, session: Any = None) -> Any:
    """Make one attempt at a due row and record what happened. Returns the row as it is afterwards
    (its `status` is pending, failed or the model's DONE status), or None when it was not claimed
    (not due, done, failed, missing, or held by another worker)."""
    row = claim(channel, pk, now)
    if row is None:
        return None
    model = channel.model
    try:
        if channel.atomic:
            with transaction.atomic():
                channel.send(row, session)
                if not _finish(channel, row, **_done_values(model)):
                    raise _LeaseLost
        else:
            channel.send(row, session)
    except _LeaseLost:
        return None
    except GiveUp as error:
        return _failed(channel, row, str(error), final=True)
    except AttemptFailed as error:
        return _failed(channel, row, str(error), final=False)
    except Exception as error:  # noqa: BLE001 - any failure is retried, never lost
        return _failed(channel, row, f"{type(error).__name__}: {error}", final=False)
    values = _done_values(model)
    if not channel.atomic and not _finish(channel, row, **values):
        return None
    for name, value in values.items():
        setattr(row, name, value)
    row.claimed_at = None
    return row


def _done_values(model: type[Delivery]) -> dict[str, Any]:
    return {"status": model.DONE, model.DONE_AT: timezone.now(), "last_error": ""}


def _failed(channel: Channel, row: Any, error: str, *, final: bool) -> Any:
    if final or row.attempts >= channel.max_attempts():
        values: dict[str, Any] = {"status": FAILED, "last_error": error}
    else:
        # Counted from the attempt's start, so the pauses are exact whatever the send took.
        next_at = row.last_attempt_at + channel.backoff.pause(row.attempts)
        values = {"status": PENDING, "next_attempt_at": next_at, "last_error": error}
    if not _finish(channel, row, **values):
        return None
    for name, value in values.items():
        setattr(row, name, value)
    row.claimed_at = None
    if row.status == PENDING and channel.enqueue is not None:
        # Not on_commit: the outcome above is already committed when a worker calls this (no
        # transaction around it), and a caller's transaction must not swallow the retry.
        channel.enqueue([row.pk], row.next_attempt_at)
    return row


@contextlib.contextmanager
def _session(channel: Channel) -> Iterator[Any]:
    if channel.session is None:
        yield None
        return
    with channel.session() as session:
        yield session


def deliver_many(
    channel: Channel, pks: Iterable[int], *, now: datetime.datetime | None = None
) -> dict[str, int]:
    """One attempt at each of `pks` (those not due are left alone), sharing one session.
    Returns how many ended in each status; rows not claimed are not counted."""
    counts: dict[str, int] = {}
    with _session(channel) as session:
        for pk in pks:
            row = deliver(channel, pk, now=now, session=session)
            if row is not None:
                counts[row.status] = counts.get(row.status, 0) + 1
    return counts


def due_ids(channel: Channel, *, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """The ids of up to `limit` rows due now, oldest due first."""
    now = now or timezone.now()
    rows = channel.model.objects.filter(due(channel, now)).order_by("next_attempt_at", "pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def deliver_due(
    channel: Channel, *, now: datetime.datetime | None = None, limit: int = 500
) -> dict[str, int]:
    """Attempt every row of one channel that is due now (at most `limit`); counts by status."""
    now = now or timezone.now()
    return deliver_many(channel, due_ids(channel, now=now, limit=limit), now=now)


def sweep(*, now: datetime.datetime | None = None, limit: int = 500) -> dict[str, dict[str, int]]:
    """The safety net that cron runs: every channel's due rows. Safe to run on several machines at
    once (each row is claimed). Returns, per channel, how many ended in each status."""
    return {channel.name: deliver_due(channel, now=now, limit=limit) for channel in channels()}


# --- the secretariat's levers -------------------------------------------------------------------------


def retry(channel: Channel, pks: Iterable[int], *, include_pending: bool = False) -> int:
    """Give failed rows (and, if asked, pending ones not held by a worker) a fresh set of attempts,
    due now, and hand them to the worker once the transaction commits. Returns how many."""
    now = timezone.now()
    ids = list(pks)
    statuses = [FAILED, PENDING] if include_pending else [FAILED]
    rows = channel.model.objects.filter(pk__in=ids, status__in=statuses).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - channel.lease)
    )
    chosen = list(rows.values_list("pk", flat=True))
    count = channel.model.objects.filter(pk__in=chosen).update(
        status=PENDING, attempts=0, next_attempt_at=now, claimed_at=None
    )
    if chosen and channel.enqueue is not None:
        enqueue = channel.enqueue
        transaction.on_commit(lambda: enqueue(chosen, None))
    return count


def make_due(channel: Channel, pks: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Bring pending rows that wait for a retry forward to now (keeping their attempts count and
    any live lease): for a run that is itself the schedule, such as the daily reminders."""
    now = now or timezone.now()
    return channel.model.objects.filter(pk__in=list(pks), status=PENDING, next_attempt_at__gt=now).update(
        next_attempt_at=now
    )


def counts(channel: Channel) -> dict[str, int]:
    """How many rows of the channel are in each status."""
    from django.db.models import Count

    rows = channel.model.objects.values("status").annotate(n=Count("pk")).order_by("status")
    return {row["status"]: row["n"] for row in rows}
