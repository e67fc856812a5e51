"""Memberships and events under the life-cycle rules; idempotent POSTs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.api.helpers import assert_problem

Headers = dict[str, dict[str, str]]


async def a_source(client: httpx.AsyncClient, auth: Headers) -> str:
    response = await client.post(
        "/v1/sources",
        json={
            "publisher": "Gazette",
            "kind": "official_text",
            "url": "https://example.org/gazette",
            "published_on": "2026-02",
        },
        headers=auth["write"],
    )
    assert response.status_code == 201, response.text
    assert response.json()["published_precision"] == "month"
    return str(response.json()["id"])


async def new_membership(
    client: httpx.AsyncClient, auth: Headers, country: str = "AQ", organization: str = "nato"
) -> dict[str, Any]:
    response = await client.post(
        "/v1/memberships",
        json={"country": country, "organization": organization, "basis": "member_state"},
        headers=auth["write"],
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def add(
    client: httpx.AsyncClient, auth: Headers, membership: str, **event: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/memberships/{membership}/events", json=event, headers=auth["write"]
    )


async def test_events_derive_periods(client: httpx.AsyncClient, auth: Headers) -> None:
    source = await a_source(client, auth)
    membership = (await new_membership(client, auth))["id"]
    joined = await add(client, auth, membership, type="joined", date="1949-08-24", sources=[source])
    assert joined.status_code == 201, joined.text
    assert joined.headers["location"] == f"/v1/memberships/{membership}"
    announced = await add(
        client,
        auth,
        membership,
        type="withdrawal_announced",
        date="1966-03",
        sources=[source],
        note="France leaves the integrated command.",
    )
    body = announced.json()
    assert [(p["status"], p["valid_from"], p["valid_from_precision"]) for p in body["periods"]] == [
        ("non_member", None, "unknown"),  # before the join
        ("member", "1949-08-24", "day"),
        ("unknown", "1966-03-01", "month"),  # some day in March 1966
        ("withdrawal_pending", "1966-03-31", "month"),
    ]
    assert body["periods"][2]["unknown_reason"] == "imprecise_date"
    retracted = await add(
        client, auth, membership, type="withdrawal_retracted", date="2009-04-04", sources=[source]
    )
    assert [p["status"] for p in retracted.json()["periods"]] == [
        "non_member",
        "member",
        "unknown",
        "withdrawal_pending",
        "member",
    ]
    as_of = (
        await client.get(
            "/v1/organizations/nato/memberships",
            params={"as_of": "1970-01-01", "status": "withdrawal_pending"},
        )
    ).json()
    assert [m["country"]["code"] for m in as_of["items"]] == ["AQ"]


async def test_life_cycle_rules_are_enforced_and_explained(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    source = await a_source(client, auth)
    membership = (await new_membership(client, auth, "BV", "iaea"))["id"]
    # With nothing recorded the status is unknown, not non_member: a withdrawal may be the
    # first evidence of a tie.
    assert (
        await add(
            client, auth, membership, type="withdrawal_announced", date="1990", sources=[source]
        )
    ).status_code == 201
    other = (await new_membership(client, auth, "BR", "icao"))["id"]
    assert (
        await add(client, auth, other, type="joined", date="1957-07-29", sources=[source])
    ).status_code == 201
    body = assert_problem(
        await add(client, auth, other, type="withdrawal_announced", date="1950", sources=[source]),
        409,
    )
    assert "non_member" in body["detail"]  # before the dated join
    body = assert_problem(
        await add(
            client, auth, other, type="withdrawal_effective", date="2000-01-01", sources=[source]
        ),
        409,
    )
    assert "announced" in body["detail"]
    for kind in ("withdrawal_retracted", "rejoined", "reinstated"):
        assert_problem(
            await add(client, auth, other, type=kind, date="2000-01-01", sources=[source]), 409
        )
    body = assert_problem(
        await add(client, auth, membership, type="suspended", date="1950", sources=[source]), 409
    )
    assert "founded" in body["detail"]
    assert (
        await add(
            client, auth, other, type="withdrawal_notified", date="2001-05-01", sources=[source]
        )
    ).status_code == 201
    done = await add(
        client, auth, other, type="withdrawal_effective", date="2002-05-01", sources=[source]
    )
    assert [p["status"] for p in done.json()["periods"]] == [
        "non_member",
        "member",
        "withdrawal_pending",
        "withdrawn",
    ]


async def test_event_body_errors(client: httpx.AsyncClient, auth: Headers) -> None:
    source = await a_source(client, auth)
    membership = (await new_membership(client, auth, "DE", "nato-pa"))["id"]
    cases: list[tuple[dict[str, Any], str]] = [
        ({"type": "joined", "date": "1955", "sources": []}, "sources"),
        ({"type": "joined", "date": "1955", "sources": ["src_missing"]}, "sources.0"),
        (
            {"type": "joined", "date": "1955", "date_precision": "day", "sources": [source]},
            "date_precision",
        ),
        ({"type": "joined", "date": "1955-02-30", "sources": [source]}, "date"),
        ({"type": "withdrawal_announced", "sources": [source]}, "date"),
        ({"type": "left", "date": "1955", "sources": [source]}, "type"),
        ({"type": "joined", "date": "1955", "sources": [source], "extra": 1}, "extra"),
    ]
    for event, field in cases:
        body = assert_problem(await add(client, auth, membership, **event), 422)
        assert any(field in e["name"] for e in body["errors"]), (event, body)
    assert_problem(
        await add(client, auth, "mem_missing", type="joined", date="1955", sources=[source]), 404
    )


async def test_membership_creation_errors(client: httpx.AsyncClient, auth: Headers) -> None:
    bad_country = await client.post(
        "/v1/memberships",
        json={"country": "XX", "organization": "who", "basis": "member_state"},
        headers=auth["write"],
    )
    assert any(e["name"] == "country" for e in assert_problem(bad_country, 422)["errors"])
    existing = await client.post(
        "/v1/memberships",
        json={"country": "usa", "organization": "who", "basis": "member_state"},
        headers=auth["write"],
    )
    assert_problem(existing, 409)


async def test_status_change_and_event_are_revisions(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    source = await a_source(client, auth)
    membership = (await new_membership(client, auth, "JP", "itu"))["id"]
    await add(client, auth, membership, type="joined", date="1879", sources=[source])
    history = (await client.get(f"/v1/memberships/{membership}/revisions")).json()["items"]
    assert [r["action"] for r in history] == ["created", "event_added"]
    assert history[1]["diff"]["periods"]["new"] == [
        {"status": "non_member", "from": None, "to": "1879-01-01"},
        {"status": "unknown", "from": "1879-01-01", "to": "1879-12-31"},
        {"status": "member", "from": "1879-12-31", "to": None},
    ]
    assert_problem(await client.get("/v1/memberships/mem_nope/revisions"), 404)


async def test_idempotency_key_replays_the_first_answer(
    client: httpx.AsyncClient, auth: Headers, session: AsyncSession
) -> None:
    body = {"publisher": "Once only", "kind": "news"}
    headers = {**auth["write"], "Idempotency-Key": "create-once-1"}
    first = await client.post("/v1/sources", json=body, headers=headers)
    second = await client.post("/v1/sources", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.content == first.content and second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"]
    count = (
        await session.execute(text("SELECT count(*) FROM sources WHERE publisher = 'Once only'"))
    ).scalar_one()
    assert count == 1
    other = await client.post("/v1/sources", json={**body, "kind": "other"}, headers=headers)
    assert_problem(other, 422)
    other_key = await client.post(
        "/v1/sources", json=body, headers={**auth["admin"], "Idempotency-Key": "create-once-1"}
    )
    assert other_key.status_code == 201 and other_key.json()["id"] != first.json()["id"], (
        "keys are per API key"
    )


async def test_every_post_honours_an_idempotency_key(
    client: httpx.AsyncClient,
    auth: Headers,
    session: AsyncSession,
    settings_env: Callable[..., None],
) -> None:
    settings_env(webhook_allowed_hosts='["127.0.0.1"]')
    admin = {**auth["admin"], "Idempotency-Key": "hook-once"}
    hook = {"url": "http://127.0.0.1:9/never-delivered", "event_types": ["*"]}
    first = await client.post("/v1/webhooks", json=hook, headers=admin)
    second = await client.post("/v1/webhooks", json=hook, headers=admin)
    assert first.status_code == second.status_code == 201, first.text
    assert second.content == first.content and second.headers["idempotent-replayed"] == "true"
    hooks = (await session.execute(text("SELECT count(*) FROM webhooks"))).scalar_one()
    assert hooks == 1, "a retried subscription must not deliver every event twice"

    key = {"name": "retried-bot", "scopes": ["read"]}
    keyed = {**auth["admin"], "Idempotency-Key": "key-once"}
    made = await client.post("/v1/keys", json=key, headers=keyed)
    assert made.status_code == 201 and made.json()["secret"].startswith("orgreg_")
    retried = await client.post("/v1/keys", json=key, headers=keyed)
    refusal = assert_problem(retried, 409)
    assert made.json()["id"] in refusal["detail"] and "secret" not in retried.json()
    assert made.json()["secret"] not in retried.text
    stored = (
        await session.execute(text("SELECT response_body FROM idempotency_records"))
    ).scalars()
    assert not any(made.json()["secret"].encode() in body for body in stored), (
        "a key's secret is never stored"
    )

    membership = (
        await client.post(
            "/v1/memberships",
            json={"country": "HM", "organization": "imo", "basis": "member_state"},
            headers=auth["write"],
        )
    ).json()
    source = (
        await client.post(
            "/v1/sources", json={"publisher": "P", "kind": "news"}, headers=auth["write"]
        )
    ).json()
    batch = {
        "events": [
            {
                "membership": membership["id"],
                "type": "joined",
                "date": "1958",
                "sources": [source["id"]],
            }
        ]
    }
    batched = {**auth["write"], "Idempotency-Key": "batch-once"}
    once = await client.post("/v1/memberships/events", json=batch, headers=batched)
    twice = await client.post("/v1/memberships/events", json=batch, headers=batched)
    assert once.status_code == twice.status_code == 201, once.text
    assert twice.content == once.content and twice.headers["idempotent-replayed"] == "true"
    events = (await client.get(f"/v1/memberships/{membership['id']}")).json()["events"]
    assert len(events) == 1


async def test_idempotency_key_in_flight_is_409(
    client: httpx.AsyncClient, auth: Headers, session: AsyncSession, engine: AsyncEngine
) -> None:
    key_id = (
        await session.execute(text("SELECT id FROM api_keys WHERE name = 'test-write'"))
    ).scalar_one()
    async with engine.connect() as other, other.begin():  # another request holding the key now
        await other.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
            {"k": f"{key_id}\x1fbusy-key"},
        )
        response = await client.post(
            "/v1/sources",
            json={"publisher": "P", "kind": "news"},
            headers={**auth["write"], "Idempotency-Key": "busy-key"},
        )
    assert_problem(response, 409)


async def test_idempotency_records_expire(
    client: httpx.AsyncClient, auth: Headers, session: AsyncSession
) -> None:
    headers = {**auth["write"], "Idempotency-Key": "old-key"}
    first = await client.post(
        "/v1/sources", json={"publisher": "Old", "kind": "news"}, headers=headers
    )
    await session.execute(
        text(
            "UPDATE idempotency_records SET created_at = now() - interval '25 hours' "
            "WHERE key = 'old-key'"
        )
    )
    again = await client.post(
        "/v1/sources", json={"publisher": "Old", "kind": "news"}, headers=headers
    )
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]
    assert "idempotent-replayed" not in again.headers


async def test_categories_and_sources_writes(client: httpx.AsyncClient, auth: Headers) -> None:
    created = await client.post(
        "/v1/categories",
        json={"slug": "space", "parent": "science-training", "name_en": "Space", "name_zh": "太空"},
        headers=auth["write"],
    )
    assert created.status_code == 201 and created.json()["parent"] == "science-training"
    loop = await client.patch(
        "/v1/categories/science-training",
        json={"parent": "space"},
        headers={
            **auth["write"],
            "If-Match": (await client.get("/v1/categories/science-training")).headers["etag"],
        },
    )
    assert_problem(loop, 409)
    in_use = await client.delete(
        "/v1/categories/energy",
        headers={
            **auth["write"],
            "If-Match": (await client.get("/v1/categories/energy")).headers["etag"],
        },
    )
    assert_problem(in_use, 409)
    gone = await client.delete(
        "/v1/categories/space", headers={**auth["write"], "If-Match": created.headers["etag"]}
    )
    assert gone.status_code == 204
    assert_problem(await client.get("/v1/categories/space"), 404)
    cited = (await client.get("/v1/organizations/who")).json()["names"][0]["sources"][0]["id"]
    etag = (await client.get(f"/v1/sources/{cited}")).headers["etag"]
    assert_problem(
        await client.delete(f"/v1/sources/{cited}", headers={**auth["write"], "If-Match": etag}),
        409,
    )
    patched = await client.patch(
        f"/v1/sources/{cited}",
        json={"title": "A better title"},
        headers={**auth["write"], "If-Match": etag},
    )
    assert patched.status_code == 200 and patched.json()["title"] == "A better title"
    assert patched.json()["revision"] == 2


async def test_numbers_are_not_booleans(client: httpx.AsyncClient, auth: Headers) -> None:
    body = {"slug": "space-two", "name_en": "Space", "name_zh": "太空", "position": False}
    assert_problem(await client.post("/v1/categories", json=body, headers=auth["write"]), 422)


async def test_booleans_and_times_are_not_numbers(client: httpx.AsyncClient, auth: Headers) -> None:
    organization = {
        "slug": "numbers-org",
        "system": "non_un",
        "kind": "intergovernmental_organization",
        "names": [{"lang": "en", "type": "official", "value": "Numbers", "preferred": 1}],
        "categories": [{"slug": "energy", "primary": 1}],
    }
    problem = assert_problem(
        await client.post("/v1/organizations", json=organization, headers=auth["write"]), 422
    )
    assert {e["name"] for e in problem["errors"]} == {"names.0.preferred", "categories.0.primary"}
    key = {"name": "epoch", "scopes": ["read"], "expires_at": 0}
    assert_problem(
        await client.post("/v1/keys", json=key, headers=auth["admin"]), 422, "expires_at"
    )
    key["expires_at"] = "2099-01-01T00:00:00Z"
    assert (await client.post("/v1/keys", json=key, headers=auth["admin"])).status_code == 201


async def test_many_events_in_one_request_follow_the_same_rules(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    source = await a_source(client, auth)
    france = (await new_membership(client, auth, "FR", "itu"))["id"]
    japan = (await new_membership(client, auth, "JP", "itu"))["id"]
    events = [
        {"membership": france, "type": "joined", "date": "1865", "sources": [source]},
        {"membership": japan, "type": "joined", "date": "1879", "sources": [source]},
        {"membership": france, "type": "withdrawal_announced", "date": "1990", "sources": [source]},
        # Checked against the announcement earlier in the same request:
        {"membership": france, "type": "withdrawal_effective", "date": "1995", "sources": [source]},
    ]
    response = await client.post(
        "/v1/memberships/events",
        json={"events": events},
        headers={**auth["write"], "X-Change-Reason": "batch"},
    )
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert [(i["membership_id"], i["revision"], i["status_changed"]) for i in items] == [
        (france, 2, True),
        (japan, 2, True),
        (france, 3, True),
        (france, 4, True),
    ]
    detail = (await client.get(f"/v1/memberships/{france}")).json()
    assert [p["status"] for p in detail["periods"]] == [
        "non_member",
        "unknown",  # joined in 1865, day not given
        "member",
        "unknown",
        "withdrawal_pending",
        "unknown",
        "withdrawn",
    ]
    history = (await client.get(f"/v1/memberships/{france}/revisions")).json()["items"]
    assert [(r["action"], r["revision"], r["reason"]) for r in history[1:]] == [
        ("event_added", 2, "batch"),
        ("event_added", 3, "batch"),
        ("event_added", 4, "batch"),
    ]
    lone = (await new_membership(client, auth, "DE", "itu"))["id"]
    refused = await client.post(
        "/v1/memberships/events",
        json={
            "events": [
                {
                    "membership": lone,
                    "type": "withdrawal_effective",
                    "date": "1995",
                    "sources": [source],
                }
            ]
        },
        headers=auth["write"],
    )
    assert_problem(refused, 409)  # no withdrawal pending without the announcement


async def test_a_failing_item_is_named_and_nothing_is_written(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    source = await a_source(client, auth)
    membership = (await new_membership(client, auth, "DE", "itu"))["id"]
    good = {"membership": membership, "type": "joined", "date": "1900", "sources": [source]}

    async def post(*events: dict[str, Any]) -> httpx.Response:
        return await client.post(
            "/v1/memberships/events", json={"events": list(events)}, headers=auth["write"]
        )

    nothing_pending = {**good, "type": "withdrawal_effective", "date": "1950"}
    conflict = assert_problem(await post(good, nothing_pending), 409)
    assert conflict["detail"].startswith("events.1: A withdrawal cannot take effect")
    assert_problem(await post(good, {**good, "date": "19x0"}), 422, "events.1.date")
    assert_problem(await post(good, {**good, "sources": ["src_nope"]}), 422, "events.1.sources.0")
    assert_problem(await post({**good, "membership": "mem_nope"}), 422, "events.0.membership")
    assert_problem(await post(), 422)
    assert (await client.get(f"/v1/memberships/{membership}")).json()["events"] == []
