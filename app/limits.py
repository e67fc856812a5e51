"""Limits that keep the service answering under load: a time limit per request, and a
per-client rate limit (429 with Retry-After and RateLimit headers).

The rate limit is a token bucket per client (a verified API key, else the client address),
kept in PostgreSQL so that all workers share it (app.services.rate_limits).
"""

from __future__ import annotations

import asyncio
import logging
import math

from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import problem_types as types
from app.db import SessionOpener
from app.errors import problem
from app.services import rate_limits

EXEMPT = ("/healthz", "/readyz", "/metrics")
log = logging.getLogger("orgreg.limits")
SWEEP_EVERY = 1000
"""One request in this many also forgets idle buckets."""


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
                types.TIMEOUT,
                f"The request did not complete within {self.seconds:g} s; retry later.",
                instance=scope["path"],
                headers={"Retry-After": "5"},
            )
            await response(scope, receive, send)


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, per_minute: int, sessions: SessionOpener) -> None:
        self.app = app
        self.limit = per_minute
        self.rate = per_minute / 60.0
        self.sessions = sessions
        self.requests = 0

    async def _take(self, scope: Scope) -> rate_limits.Taken | None:
        """None when the database cannot count: the request goes on (and answers 503 itself
        if it needs the database), rather than every client being refused."""
        scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
        client = scope.get("client")
        self.requests += 1
        try:
            async with self.sessions() as session:
                taken = await rate_limits.take(
                    session,
                    presented_key=token.strip() if scheme.lower() == "bearer" else None,
                    address=client[0] if client else "unknown",
                    per_minute=self.limit,
                )
                if self.requests % SWEEP_EVERY == 0:
                    await rate_limits.sweep(session)
                await session.commit()
        except (SQLAlchemyError, OSError) as exc:
            log.warning("rate limit not counted, the database did not answer: %s", exc)
            return None
        return taken

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        taken = await self._take(scope)
        if taken is None:
            await self.app(scope, receive, send)
            return
        allowed, tokens = taken.allowed, taken.tokens
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
                types.RATE_LIMITED,
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
