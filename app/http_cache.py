"""HTTP caching for every answer: strong ETags, 304s, Cache-Control and X-Data-Version.

A pure ASGI middleware. It buffers 200 answers to GET/HEAD (small documents) to hash them into
a strong ETag and answers a matching If-None-Match with 304. Answers that bring their own ETag
(streamed exports, whose ETag derives from the data version; static files) pass through
unbuffered, with the same 304 handling.
Successful reads get `Cache-Control: no-cache` (reuse, but revalidate: the data may change at
any time and revalidation is cheap), errors `no-store`. `X-Data-Version` comes from
`request.state.data_version`, which the v1 routes set; JSON answers link their description
(`Link: </openapi.json>; rel="describedby"`).
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.etags import etag_for


def matches(if_none_match: str, etag: str) -> bool:
    candidates = [c.strip() for c in if_none_match.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == etag for c in candidates)


def _finish_headers(scope: Scope, status: int, headers: MutableHeaders) -> None:
    state: dict[str, Any] = scope.get("state") or {}
    if "data_version" in state:
        headers["X-Data-Version"] = str(state["data_version"])
    if "link" not in headers and headers.get("content-type", "").startswith("application/json"):
        headers["Link"] = '</openapi.json>; rel="describedby"'
    if "cache-control" not in headers:
        headers["Cache-Control"] = "no-cache" if status in (200, 304) else "no-store"


class HTTPCacheMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["method"] in ("GET", "HEAD")
        if_none_match = Headers(scope=scope).get("if-none-match") if cacheable else None
        start: Message | None = None
        replaced_by_304 = False
        chunks: list[bytes] = []

        async def send_with_cache_headers(message: Message) -> None:
            nonlocal start, replaced_by_304
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                _finish_headers(scope, message["status"], headers)
                buffer = cacheable and message["status"] == 200 and "etag" not in headers
                if buffer:
                    start = {**message, "headers": headers.raw}
                    return
                existing = headers.get("etag")
                if (
                    existing
                    and if_none_match
                    and message["status"] == 200
                    and matches(if_none_match, existing)
                ):
                    await _send_not_modified(send, headers)
                    replaced_by_304 = True
                    return
                await send({**message, "headers": headers.raw})
                return
            if replaced_by_304:
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = MutableHeaders(raw=start["headers"])
            headers["ETag"] = etag_for(body)
            if if_none_match and matches(if_none_match, headers["ETag"]):
                await _send_not_modified(send, headers)
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_with_cache_headers)


async def _send_not_modified(send: Send, headers: MutableHeaders) -> None:
    for name in ("content-length", "content-type", "content-disposition"):
        if name in headers:
            del headers[name]
    await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
    await send({"type": "http.response.body", "body": b""})
