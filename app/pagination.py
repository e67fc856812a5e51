"""Cursor pagination: one page model and one cursor codec (the HTTP side, query parameters
and the Link header, is app.api.pagination).

A cursor is the sort key of the last item served, wrapped as opaque base64url JSON and bound
to the sort order it was made for. Keyset pagination (WHERE key > cursor) returns every item
exactly once even while rows are inserted or deleted between requests.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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
    if isinstance(issued_for, str) and issued_for != order and _storable(issued_for, str):
        raise InvalidParameter(
            "cursor", f"The cursor was issued for sort {json.dumps(issued_for)}, not '{order}'."
        )
    if (
        not isinstance(key, list)
        or len(key) != len(key_types)
        or not all(_storable(v, t) for v, t in zip(key, key_types, strict=True))
    ):
        raise InvalidParameter(
            "cursor", "The cursor is not one this API issued; start again without it."
        )
    return tuple(key)


INT64 = range(-(2**63), 2**63)


def _storable(value: Any, expected: type) -> bool:
    """Of the expected type and a value PostgreSQL can take as a parameter: text without NUL
    or lone surrogates, integers within bigint, finite floats."""
    if type(value) is not expected:
        return False
    if isinstance(value, str):
        return "\x00" not in value and _encodes(value)
    if isinstance(value, int):
        return value in INT64
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def page_request(
    page_size: int, cursor: str | None, order: str, key_types: tuple[type, ...] = (str,)
) -> PageRequest:
    """`key_types` are the types of the sort key's parts, checked so that a forged cursor
    cannot reach SQL with a value of the wrong type."""
    after = decode_cursor(cursor, order, key_types) if cursor else None
    return PageRequest(size=page_size, after=after, order=order)


def paginate(rows: Sequence[T], request: PageRequest, key_of: Any) -> tuple[list[T], str | None]:
    """Cut a `size + 1` fetch to a page and make the cursor for the next one."""
    items = list(rows[: request.size])
    has_more = len(rows) > request.size
    next_cursor = encode_cursor(request.order, key_of(items[-1])) if has_more and items else None
    return items, next_cursor
