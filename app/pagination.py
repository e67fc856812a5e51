"""Cursor pagination: one page model, one cursor codec, one Link header builder.

A cursor is the sort key of the last item served, wrapped as opaque base64url JSON and bound
to the sort order it was made for. Keyset pagination (WHERE key > cursor) returns every item
exactly once even while rows are inserted or deleted between requests.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from app.errors import InvalidParameter

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


@dataclass(frozen=True)
class PageRequest:
    size: int
    after: tuple[Any, ...] | None
    """The sort key of the last item already served, or None for the first page."""
    order: str


def encode_cursor(order: str, key: Sequence[Any]) -> str:
    raw = json.dumps({"o": order, "k": list(key)}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: str, key_types: tuple[type, ...]) -> tuple[Any, ...]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        issued_for, key = data["o"], data["k"]
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        issued_for, key = None, None
    if isinstance(issued_for, str) and issued_for != order:
        raise InvalidParameter(
            "cursor", f"The cursor was issued for sort '{issued_for}', not '{order}'."
        )
    if (
        not isinstance(key, list)
        or len(key) != len(key_types)
        or any(type(v) is not t for v, t in zip(key, key_types, strict=True))
    ):
        raise InvalidParameter(
            "cursor", "The cursor is not one this API issued; start again without it."
        )
    return tuple(key)


def page_request(
    page_size: int, cursor: str | None, order: str, key_types: tuple[type, ...] = (str,)
) -> PageRequest:
    """`key_types` are the types of the sort key's parts, checked so that a forged cursor
    cannot reach SQL with a value of the wrong type."""
    after = decode_cursor(cursor, order, key_types) if cursor else None
    return PageRequest(size=page_size, after=after, order=order)


PageSize = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page (1-{MAX_PAGE_SIZE}).")
]
Cursor = Annotated[
    str | None,
    Query(max_length=1000, description="Opaque cursor from a previous page's `next_cursor`."),
]


def paginate(rows: Sequence[T], request: PageRequest, key_of: Any) -> tuple[list[T], str | None]:
    """Cut a `size + 1` fetch to a page and make the cursor for the next one."""
    items = list(rows[: request.size])
    has_more = len(rows) > request.size
    next_cursor = encode_cursor(request.order, key_of(items[-1])) if has_more and items else None
    return items, next_cursor


def page_of(
    request: Request, response: Response, items: list[T], next_cursor: str | None
) -> Page[T]:
    """The page body, with the Link header set on `response`."""
    set_link_header(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


def set_link_header(request: Request, response: Response, next_cursor: str | None) -> None:
    links = ['</openapi.json>; rel="describedby"']
    if next_cursor:
        url = request.url.include_query_params(cursor=next_cursor)
        links.insert(0, f'<{url.path}?{url.query}>; rel="next"')
    response.headers["Link"] = ", ".join(links)
