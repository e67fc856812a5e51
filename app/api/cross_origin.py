"""Answers any web page may read: the reconciliation service's (its specification, 0.2
§"Cross-Origin Access", requires CORS on all its endpoints, since clients such as OpenRefine
call it from the browser). Only routers built with `AnyOriginRoute` are opened this way; the
rest of the API keeps the configured CORS policy (ORGREG_CORS_ORIGINS).

The answers need no credentials (reads are public, or a key is sent explicitly), so
`Access-Control-Allow-Origin: *` opens them without exposing anything a cookie would.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from app.errors import DomainError

ANY_ORIGIN = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT = {
    **ANY_ORIGIN,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type, X-Requested-With",
    "Access-Control-Max-Age": "86400",
}


class AnyOriginRoute(APIRoute):
    """Every answer of the route, problem documents included, says any origin may read it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_any_origin(request: Request) -> Response:
            try:
                response = await handle(request)
            except DomainError as exc:  # rendered by the one error handler, with these headers
                exc.headers = {**(exc.headers or {}), **ANY_ORIGIN}
                raise
            response.headers.update(ANY_ORIGIN)
            return response

        return handle_any_origin


def preflight() -> Response:
    """The answer to a CORS preflight (a JSON POST from a page on another origin)."""
    return Response(status_code=204, headers=PREFLIGHT)
