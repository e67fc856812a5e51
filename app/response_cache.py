"""An in-process cache of whole GET answers, dropped whenever the data changes.

Reads are the bulk of the traffic and the data changes rarely, so a repeated read is answered
from memory without touching the database. Freshness: every commit that changes data fires
`NOTIFY orgreg_data, '<new data version>'`; each process LISTENs (on the primary: a standby
cannot) and starts a new cache generation on each notice, and a write through this process
starts one as soon as it has answered (read-your-writes here; other processes follow within
the notification's delivery). An answer is kept only while its `X-Data-Version` is at least
the newest version announced: an answer a lagging replica gave after the notice is not taken
for the new data's. While the listener is not connected, nothing is cached. Answers that
depend on the caller (an Authorization header; reads behind keys) or on the day (`as_of`
defaults to today: the date is part of the key) are handled accordingly. Answers served from
the cache carry `X-Cache: hit`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.deps import is_read
from app.db import driver_connection
from app.http_cache import matches

log = logging.getLogger("orgreg.cache")
CHANNEL = "orgreg_data"


class DataChangeWatch:
    """Follows NOTIFY orgreg_data; `generation` changes with every data change."""

    def __init__(self) -> None:
        self.generation = 0
        self.listening = False
        self.announced_version = 0
        """The newest data version the primary has announced."""

    def changed(self, *_: Any) -> None:
        self.generation += 1

    def notified(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        if payload.isdigit():
            self.announced_version = max(self.announced_version, int(payload))
        self.changed()

    def holds(self, generation: int, version: int | None) -> bool:
        """Is an answer of this generation, stamped with this data version, still current?"""
        return generation == self.generation and (
            version is None or version >= self.announced_version
        )

    async def run(self, database_url: str, stop: asyncio.Event) -> None:
        while not stop.is_set():
            connection = None
            try:
                connection = await driver_connection(database_url)
                await connection.add_listener(CHANNEL, self.notified)
                current = await connection.fetchval("SELECT version FROM data_version")
                self.announced_version = max(self.announced_version, current)
                self.changed()  # anything cached before listening may be stale
                self.listening = True
                while not stop.is_set() and not connection.is_closed():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=5)
                    await connection.execute("SELECT 1")  # notice a dead connection
            except Exception as exc:  # the database is away: serve uncached until it is back
                log.warning("data change listener disconnected: %s", type(exc).__name__)
            finally:
                self.listening = False
                self.changed()
                if connection is not None and not connection.is_closed():
                    await connection.close()
            if not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=1)


@dataclass
class _Entry:
    generation: int
    version: int | None
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCacheMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        watch: DataChangeWatch,
        max_entries: int = 4096,
        max_body_bytes: int = 1_048_576,
    ) -> None:
        self.app = app
        self.watch = watch
        self.max_entries = max_entries
        self.max_body_bytes = max_body_bytes
        self.entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self.inflight: dict[tuple[Any, ...], asyncio.Event] = {}
        """Misses being computed: identical requests wait for the first instead of piling on."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            try:
                await self.app(scope, receive, send)
            finally:
                if not is_read(scope):
                    self.watch.changed()  # this process wrote: its next reads must see it
            return
        headers = Headers(scope=scope)
        if (
            scope["method"] != "GET"
            or not self.watch.listening
            or "authorization" in headers
            or not scope["path"].startswith("/v1/")
            or scope["path"].startswith("/v1/export")
        ):
            await self.app(scope, receive, send)
            return
        key = (
            scope["path"],
            scope["query_string"],
            headers.get("accept", ""),
            dt.datetime.now(dt.UTC).date(),
        )
        entry = self.entries.get(key)
        fresh = entry is not None and self.watch.holds(entry.generation, entry.version)
        if not fresh and key in self.inflight:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.inflight[key].wait(), timeout=30)
            entry = self.entries.get(key)
        if entry is not None and self.watch.holds(entry.generation, entry.version):
            self.entries.move_to_end(key)
            await self._replay(entry, headers.get("if-none-match"), send)
            return
        generation = self.watch.generation
        done = self.inflight.setdefault(key, asyncio.Event())
        try:
            await self._compute(key, generation, scope, receive, send)
        finally:
            done.set()
            if self.inflight.get(key) is done:
                del self.inflight[key]

    async def _compute(
        self, key: tuple[Any, ...], generation: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        start: Message | None = None
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif start is not None and message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if start is None or start["status"] != 200 or len(body) > self.max_body_bytes:
            return
        headers = Headers(raw=start["headers"])
        version = headers.get("x-data-version")
        self.entries[key] = _Entry(
            generation,
            int(version) if version and version.isdigit() else None,
            start["status"],
            list(start["headers"]),
            bytes(body),
        )
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)

    @staticmethod
    async def _replay(entry: _Entry, if_none_match: str | None, send: Send) -> None:
        headers = MutableHeaders(raw=list(entry.headers))
        etag = headers.get("etag")
        if etag and if_none_match and matches(if_none_match, etag):
            for name in ("content-length", "content-type"):
                if name in headers:
                    del headers[name]
            await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
            await send({"type": "http.response.body", "body": b""})
            return
        headers["X-Cache"] = "hit"
        await send({"type": "http.response.start", "status": entry.status, "headers": headers.raw})
        await send({"type": "http.response.body", "body": entry.body})
