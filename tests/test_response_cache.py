"""The response cache: repeated reads from memory, dropped when the data changes."""

from __future__ import annotations

import asyncio
import time

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.types import Receive, Scope, Send

from app.response_cache import DataChangeWatch, ResponseCacheMiddleware
from tests.live import serving


def counting_app() -> tuple[list[int], object]:
    calls = [0]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls[0] += 1
        body = f'{{"n": {calls[0]}}}'.encode()
        status = 404 if scope["path"].endswith("missing") else 200
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), (b"etag", b'"e"')],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return calls, app


async def test_hits_until_the_generation_changes() -> None:
    calls, app = counting_app()
    watch = DataChangeWatch()
    cached = ResponseCacheMiddleware(app, watch)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=cached), base_url="http://t"
    ) as client:
        await client.get("/v1/organizations")
        await client.get("/v1/organizations")
        assert calls[0] == 2, "nothing is cached until the listener runs"
        watch.listening = True
        first = (await client.get("/v1/organizations")).json()
        hit = await client.get("/v1/organizations")
        assert hit.json() == first and calls[0] == 3 and hit.headers["x-cache"] == "hit"
        assert (
            await client.get("/v1/organizations", headers={"If-None-Match": '"e"'})
        ).status_code == 304
        assert calls[0] == 3
        await client.get("/v1/organizations?page_size=2")
        await client.get("/v1/organizations", headers={"Authorization": "Bearer x"})
        await client.get("/v1/missing")
        await client.get("/v1/missing")
        assert calls[0] == 7, (
            "other queries, callers with keys and errors are not served from cache"
        )
        await client.post("/v1/sources")
        second = (await client.get("/v1/organizations")).json()
        assert second != first, "a write through this process drops the cache"
        watch.changed()
        assert (await client.get("/v1/organizations")).json() != second


async def test_a_change_in_the_database_reaches_the_cache(committed_db: str) -> None:
    with serving(committed_db) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            deadline = time.monotonic() + 10
            while (await client.get("/v1/organizations/cec")).headers.get("x-cache") != "hit":
                assert time.monotonic() < deadline, (
                    "the cache never started (listener not connected)"
                )
                await asyncio.sleep(0.05)
            engine = create_async_engine(committed_db)
            async with engine.begin() as conn:
                await conn.execute(
                    text(
                        "UPDATE organizations SET headquarters = 'Montreal (cache test)' "
                        "WHERE slug = 'cec'"
                    )
                )
            await engine.dispose()
            deadline = time.monotonic() + 5
            while (await client.get("/v1/organizations/cec")).json()[
                "headquarters"
            ] != "Montreal (cache test)":
                assert time.monotonic() < deadline, "the cache kept stale data"
                await asyncio.sleep(0.05)


async def test_identical_misses_wait_for_the_first() -> None:
    calls = [0]

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        calls[0] += 1
        await asyncio.sleep(0.2)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": b"{}"})

    watch = DataChangeWatch()
    watch.listening = True
    cached = ResponseCacheMiddleware(slow_app, watch)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=cached), base_url="http://t"
    ) as client:
        answers = await asyncio.gather(*(client.get("/v1/organizations?q=x") for _ in range(10)))
    assert [a.status_code for a in answers] == [200] * 10
    assert calls[0] == 1, "one computation served all ten"


async def test_an_answer_older_than_the_announced_version_is_not_kept() -> None:
    """What a lagging replica answers after the primary announced a change is not cached as
    the new data's answer."""
    served_version = [7]

    async def versioned_app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json")]
        headers.append((b"x-data-version", str(served_version[0]).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    watch = DataChangeWatch()
    watch.listening = True
    cached = ResponseCacheMiddleware(versioned_app, watch)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=cached), base_url="http://t"
    ) as client:
        await client.get("/v1/organizations")
        assert (await client.get("/v1/organizations")).headers.get("x-cache") == "hit"
        watch.notified(None, 0, "orgreg_data", "8")
        for _ in range(2):
            behind = await client.get("/v1/organizations")
            assert behind.headers["x-data-version"] == "7" and "x-cache" not in behind.headers
        served_version[0] = 8
        await client.get("/v1/organizations")
        caught_up = await client.get("/v1/organizations")
        assert caught_up.headers["x-data-version"] == "8"
        assert caught_up.headers.get("x-cache") == "hit"
