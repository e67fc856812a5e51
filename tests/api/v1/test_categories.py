"""GET /v1/categories and /v1/categories/{slug}."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.helpers import assert_problem, walk


async def test_tree_with_counts(client: httpx.AsyncClient, session: AsyncSession) -> None:
    items = await walk(client, "/v1/categories", page_size=5)
    by_slug = {c["slug"]: c for c in items}
    assert len(by_slug) == len(items)
    assert all(c["name_zh"] for c in items)
    root = by_slug["environment-energy"]
    assert root["parent"] is None and root["children"] == ["climate-environment", "energy"]
    assert by_slug["energy"]["parent"] == "environment-energy"
    distinct_below = (
        await session.execute(
            text(
                """SELECT count(DISTINCT oc.organization_id) FROM organization_categories oc
           JOIN categories c ON c.id = oc.category_id
           WHERE c.slug IN ('climate-environment', 'energy')"""
            )
        )
    ).scalar_one()
    assert root["organization_count"] == distinct_below
    total = (await session.execute(text("SELECT count(*) FROM organizations"))).scalar_one()
    assert sum(c["primary_organization_count"] for c in items if c["parent"] is None) == total


async def test_one_category(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/categories/climate-environment")).json()
    assert body["name_zh"] == "气候与环境" and body["children"] == []
    assert body["organization_count"] >= body["primary_organization_count"] > 0
    assert_problem(await client.get("/v1/categories/space"), 404)
