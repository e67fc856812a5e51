"""Pagination over HTTP: the `page_size` and `cursor` query parameters and the Link header."""

from __future__ import annotations

import json
from typing import Annotated, TypeVar

from fastapi import Query, Request, Response

from app.pagination import MAX_PAGE_SIZE, Page

T = TypeVar("T")

PageSize = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page (1-{MAX_PAGE_SIZE}).")
]
Cursor = Annotated[
    str | None,
    Query(max_length=1000, description="Opaque cursor from a previous page's `next_cursor`."),
]


def page_of(
    request: Request, response: Response, items: list[T], next_cursor: str | None
) -> Page[T]:
    """The page body, with the Link header set on `response`."""
    set_link_header(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


def json_page_of(request: Request, items_json: str, next_cursor: str | None) -> Response:
    """The page body around items PostgreSQL built as a JSON array (app.services.documents),
    passed on as bytes, with the Link header."""
    body = f'{{"items":{items_json},"next_cursor":{json.dumps(next_cursor)}}}'
    response = Response(body.encode(), media_type="application/json")
    set_link_header(request, response, next_cursor)
    return response


def set_link_header(request: Request, response: Response, next_cursor: str | None) -> None:
    links = ['</openapi.json>; rel="describedby"']
    if next_cursor:
        url = request.url.include_query_params(cursor=next_cursor)
        links.insert(0, f'<{url.path}?{url.query}>; rel="next"')
    response.headers["Link"] = ", ".join(links)
