"""Page-number pagination with the total, for every list endpoint."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class Mapped:
    """A queryset and how to turn one row into its answer: the page slices the queryset in the
    database and maps only the rows it returns."""

    def __init__(self, queryset: QuerySet, to_item: Callable[[Any], Any]) -> None:
        self.queryset, self.to_item = queryset, to_item


class Page(PaginationBase):
    """`?page=N&page_size=M` (page_size 1–200, default 50); the response carries `count` and `next`."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=200)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        next: str | None
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, request=None, **params):
        start = (pagination.page - 1) * pagination.page_size
        end = start + pagination.page_size
        if isinstance(queryset, Mapped):
            count = queryset.queryset.count()
            # Past the end there is nothing to read (and a huge OFFSET overflows SQLite's integer).
            rows = queryset.queryset[start:end] if start < count else []
            window = [queryset.to_item(row) for row in rows]
        elif isinstance(queryset, QuerySet):
            # In the database: one COUNT and one LIMIT/OFFSET query, whatever the table's size.
            count = queryset.count()
            window = list(queryset[start:end]) if start < count else []
        else:  # an endpoint that builds its list in Python
            items = list(queryset)
            count, window = len(items), items[start:end]
        has_next = end < count
        next_url = None
        if has_next and request is not None:
            query = request.GET.copy()
            query["page"] = pagination.page + 1
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "next": next_url,
            "items": window,
        }
