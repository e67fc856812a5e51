"""Limits that keep the service answering under load: a time limit per request, and a
per-client rate limit (429 with Retry-After and RateLimit headers).

The rate limit is a token bucket per client (the API key's public prefix when one is sent,
else the client address), per process: with N workers a client gets up to N times the limit.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem

EXEMPT = ("/healthz", "/readyz", "/metrics")
log = logging.getLogger("orgreg.limits")


class RequestTimeoutMiddleware:
    """A request that has not started answering after `seconds` gets a 503 problem."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/v1/export"):
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if started:
                log.warning(
                    "%s %s passed the %g s limit after its answer had begun: connection closed",
                    scope["method"],
                    scope["path"],
                    self.seconds,
                )
                raise
            response = problem(
                503,
                "timeout",
                "Request took too long",
                f"The request did not complete within {self.seconds:g} s; retry later.",
                instance=scope["path"],
                headers={"Retry-After": "5"},
            )
            await response(scope, receive, send)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.limit = per_minute
        self.rate = per_minute / 60.0
        self.buckets: dict[str, _Bucket] = {}

    def _client(self, scope: Scope) -> str:
        authorization = Headers(scope=scope).get("authorization", "")
        parts = authorization.split("_")
        if authorization.lower().startswith("bearer orgreg_") and len(parts) >= 3:
            return f"key:{parts[1]}"
        client = scope.get("client")
        return f"ip:{client[0] if client else 'unknown'}"

    def _take(self, client: str, now: float) -> tuple[bool, float]:
        if len(self.buckets) > 10_000:  # forget clients whose bucket has refilled
            self.buckets = {
                k: b
                for k, b in self.buckets.items()
                if b.tokens + (now - b.updated) * self.rate < self.limit
            }
        bucket = self.buckets.get(client) or _Bucket(float(self.limit), now)
        bucket.tokens = min(float(self.limit), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self.buckets[client] = bucket
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True, bucket.tokens
        return False, bucket.tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        allowed, tokens = self._take(self._client(scope), time.monotonic())
        reset = math.ceil((self.limit - tokens) / self.rate)
        limit_headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(int(tokens)),
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": f"{self.limit};w=60",
        }
        if not allowed:
            retry_after = math.ceil((1 - tokens) / self.rate)
            response = problem(
                429,
                "rate-limited",
                "Too many requests",
                f"This client may make {self.limit} requests a minute; retry in {retry_after} s.",
                instance=scope["path"],
                headers={**limit_headers, "Retry-After": str(retry_after)},
            )
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                for name, value in limit_headers.items():
                    headers[name] = value
                message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)
