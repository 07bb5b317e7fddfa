"""The registration path's reads, as SQL written once: the category, and its places under lock.

Registering is the busiest request and write of the platform (everyone registers when registration
opens), and on SQLite every write transaction holds the one database write lock, so whatever runs
inside the transaction runs one registration at a time. Django builds the SQL of a query afresh on
every call (~0.5 ms each for the locking read and the count, ten times the time SQLite needs to
run them), so the statements are written here once, from the models' metadata. Same rows and same lock as the
ORM queries they replace; tests compare them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from .models import Meeting, Registration, RegistrationCategory


def _column(model: type[Model], name: str) -> str:
    return model._meta.get_field(name).column


class _RowReader:
    """Reads a model's columns from a raw row, converted as the ORM does (dates, JSON, booleans)."""

    def __init__(self, model: type[Model], connection: BaseDatabaseWrapper):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.converters = []
        for i, field in enumerate(self.fields):
            column = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                self.converters.append((i, found, column))

    def columns(self, q: Callable[[str], str]) -> str:
        table = q(self.model._meta.db_table)
        return ", ".join(f"{table}.{q(f.column)}" for f in self.fields)

    def build(self, values: Sequence[Any], connection: BaseDatabaseWrapper) -> Model:
        values = list(values)
        for i, converters, column in self.converters:
            for convert in converters:
                values[i] = convert(values[i], column, connection)
        return self.model.from_db(connection.alias, self.names, values)


# Per database connection (one per thread): the statement and converters, worked out once.
_lookups: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def public_category(slug: str, code: str) -> RegistrationCategory | None:
    """The public category `code` of the meeting `slug`, with its meeting attached; None if none.

    One read by unique key, as `RegistrationCategory.objects.select_related("meeting").get(...)`
    would do, without building that query's SQL on every request (measured 1.23 ms a call).
    """
    connection = connections[router.db_for_read(RegistrationCategory)]
    if connection not in _lookups:
        q = connection.ops.quote_name
        C, M = RegistrationCategory, Meeting
        category, meeting = _RowReader(C, connection), _RowReader(M, connection)
        sql = (
            f"SELECT {category.columns(q)}, {meeting.columns(q)} FROM {q(C._meta.db_table)} "
            f"INNER JOIN {q(M._meta.db_table)} ON {q(M._meta.db_table)}.{q(M._meta.pk.column)} "
            f"= {q(C._meta.db_table)}.{q(_column(C, 'meeting'))} "
            f"WHERE {q(M._meta.db_table)}.{q(_column(M, 'slug'))} = %s "
            f"AND {q(C._meta.db_table)}.{q(_column(C, 'code'))} = %s "
            f"AND {q(C._meta.db_table)}.{q(_column(C, 'is_public'))} = %s"
        )
        _lookups[connection] = (sql, category, meeting)
    sql, category_reader, meeting_reader = _lookups[connection]
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, code, True])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(category_reader.fields)
    found = category_reader.build(row[:split], connection)
    found.meeting = meeting_reader.build(row[split:], connection)
    return found


def lock_and_count(category: RegistrationCategory) -> int:
    """Lock `category`'s row until the transaction ends; return how many registrations hold a place.

    Call inside `transaction.atomic()`. The category's `capacity` and `approval` are refreshed from
    the locked row, so decisions use what is true now, not what the caller read before the lock.
    Raises `RegistrationCategory.DoesNotExist` if the category was deleted meanwhile.
    """
    connection = connections[router.db_for_write(RegistrationCategory)]
    q = connection.ops.quote_name
    C, R = RegistrationCategory, Registration
    # PostgreSQL locks the row; SQLite has no row locks: its IMMEDIATE transaction already holds
    # the database's write lock (see common/dbbackends/sqlite).
    for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
    holds = list(R.HOLDS_PLACE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q(_column(C, 'capacity'))}, {q(_column(C, 'approval'))} FROM {q(C._meta.db_table)} "
            f"WHERE {q(C._meta.pk.column)} = %s{for_update}",
            [category.pk],
        )
        row = cursor.fetchone()
        if row is None:
            raise C.DoesNotExist(f"registration category {category.pk} no longer exists")
        category.capacity, category.approval = row
        cursor.execute(
            f"SELECT COUNT(*) FROM {q(R._meta.db_table)} WHERE {q(_column(R, 'category'))} = %s "
            f"AND {q(_column(R, 'status'))} IN ({', '.join(['%s'] * len(holds))})",
            [category.pk, *holds],
        )
        return cursor.fetchone()[0]
