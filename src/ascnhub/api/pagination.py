"""Page-number pagination with the total, for every list endpoint."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase


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
        items = list(queryset)
        window = items[start : start + pagination.page_size]
        has_next = start + pagination.page_size < len(items)
        next_url = None
        if has_next and request is not None:
            query = request.GET.copy()
            query["page"] = pagination.page + 1
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {
            "count": len(items),
            "page": pagination.page,
            "page_size": pagination.page_size,
            "next": next_url,
            "items": window,
        }
