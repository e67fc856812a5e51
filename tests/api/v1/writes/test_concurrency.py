"""Two curators on one record at once: exactly one wins; the feed stays in commit order."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.helpers import assert_problem


async def test_two_concurrent_writers_exactly_one_wins(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, key = committed_api
    etag = (await client.get("/v1/organizations/iucn")).headers["etag"]
    headers = {**key, "If-Match": etag}
    results = await asyncio.gather(
        *(
            client.patch(
                "/v1/organizations/iucn", json={"headquarters": f"Gland {n}"}, headers=headers
            )
            for n in range(4)
        )
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 412, 412, 412]
    winner = next(r for r in results if r.status_code == 200).json()
    assert (await client.get("/v1/organizations/iucn")).json()["headquarters"] == winner[
        "headquarters"
    ]
    history = (await client.get("/v1/organizations/iucn/revisions")).json()["items"]
    assert len([r for r in history if r["action"] == "updated"]) == 1


async def test_concurrent_events_on_one_membership_all_land_once(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]], committed_engine: AsyncEngine
) -> None:
    client, key = committed_api
    source = (
        await client.post("/v1/sources", json={"publisher": "P", "kind": "news"}, headers=key)
    ).json()
    membership = (
        await client.post(
            "/v1/memberships",
            json={"country": "HM", "organization": "imo", "basis": "member_state"},
            headers=key,
        )
    ).json()
    await client.post(
        f"/v1/memberships/{membership['id']}/events",
        json={"type": "joined", "date": "1958", "sources": [source["id"]]},
        headers=key,
    )
    results = await asyncio.gather(
        *(
            client.post(
                f"/v1/memberships/{membership['id']}/events",
                json={"type": "elected", "date": str(1960 + n), "sources": [source["id"]]},
                headers=key,
            )
            for n in range(6)
        )
    )
    assert [r.status_code for r in results] == [201] * 6
    final = (await client.get(f"/v1/memberships/{membership['id']}")).json()
    assert len(final["events"]) == 7
    revisions = (await client.get(f"/v1/memberships/{membership['id']}/revisions")).json()["items"]
    assert [r["revision"] for r in revisions] == list(range(1, 9))


async def test_feed_cursor_older_than_retention_is_410(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]], committed_engine: AsyncEngine
) -> None:
    client, key = committed_api
    await client.post("/v1/sources", json={"publisher": "old change", "kind": "news"}, headers=key)
    async with committed_engine.begin() as conn:
        await conn.execute(
            text("UPDATE revisions SET occurred_at = :t"),
            {"t": dt.datetime.now(dt.UTC) - dt.timedelta(days=400)},
        )
    await client.post("/v1/sources", json={"publisher": "new change", "kind": "news"}, headers=key)
    from app.pagination import encode_cursor

    body = assert_problem(
        await client.get("/v1/changes", params={"cursor": encode_cursor("change", [0])}), 410
    )
    assert "Re-export" in body["detail"]
    fresh = (await client.get("/v1/changes")).json()
    assert [c["diff"].get("publisher", {}).get("new") for c in fresh["items"]] == ["new change"]
    assert fresh["poll_cursor"]
    later = (await client.get("/v1/changes", params={"cursor": fresh["poll_cursor"]})).json()
    assert later["items"] == [] and later["poll_cursor"] == fresh["poll_cursor"]
    ahead = encode_cursor("change", [10**9])
    assert_problem(await client.get("/v1/changes", params={"cursor": ahead}), 400, "cursor")


async def test_a_create_that_conflicts_writes_nothing(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    """The organization row goes in before its identifiers are checked: the whole write rolls
    back when one is taken (this client's requests commit, as a server's do)."""
    client, key = committed_api

    def body(slug: str) -> dict[str, object]:
        return {
            "slug": slug,
            "system": "non_un",
            "kind": "forum_partnership",
            "identifiers": [{"scheme": "wikidata", "value": "Q999999998"}],
            "names": [{"lang": "en", "type": "official", "value": slug, "preferred": True}],
            "categories": [{"slug": "energy", "primary": True}],
        }

    assert (
        await client.post("/v1/organizations", json=body("first-forum"), headers=key)
    ).status_code == 201
    again = await client.post("/v1/organizations", json=body("second-forum"), headers=key)
    assert "wikidata:Q999999998" in assert_problem(again, 409)["detail"]
    assert_problem(await client.get("/v1/organizations/second-forum"), 404)
    same_slug = {**body("first-forum"), "identifiers": []}
    taken = await client.post("/v1/organizations", json=same_slug, headers=key)
    assert "first-forum" in assert_problem(taken, 409)["detail"]
