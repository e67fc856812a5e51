"""GET /v1/sources and /v1/sources/{id}."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.helpers import assert_problem, walk


async def test_walk_all_sources(client: httpx.AsyncClient, session: AsyncSession) -> None:
    items = await walk(client, "/v1/sources", page_size=100)
    total = (await session.execute(text("SELECT count(*) FROM sources"))).scalar_one()
    assert len({s["id"] for s in items}) == len(items) == total


async def test_filter_by_kind_and_read_one(client: httpx.AsyncClient) -> None:
    official = await walk(client, "/v1/sources", kind="official_text", page_size=100)
    assert official and {s["kind"] for s in official} == {"official_text"}
    one = (await client.get(f"/v1/sources/{official[0]['id']}")).json()
    assert one["id"] == official[0]["id"] and "confidence_note" in one and one["revision"] == 1
    assert_problem(await client.get("/v1/sources", params={"kind": "rumour"}), 400, "kind")
    assert_problem(await client.get("/v1/sources/src_missing"), 404)


async def test_weak_sources_carry_a_confidence_note(client: httpx.AsyncClient) -> None:
    items = await walk(client, "/v1/sources", page_size=500)
    weak = [s for s in items if s["url"] and "weixuanerp" in s["url"]]
    assert weak and "Weak" in weak[0]["confidence_note"]
