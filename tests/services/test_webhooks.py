"""Webhooks end to end on committed data: signed deliveries to a real local receiver, retries
with backoff, order per organization, SSRF refusal, and a worker killed mid-run losing nothing."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.services import webhook_delivery
from tests.api.helpers import assert_problem
from tests.receiver import running_receiver

BIN = Path(sys.executable).parent


async def subscribe(
    client: httpx.AsyncClient, admin: dict[str, str], url: str, **extra: Any
) -> dict[str, Any]:
    response = await client.post("/v1/webhooks", json={"url": url, **extra}, headers=admin)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def membership_with_join(
    client: httpx.AsyncClient, admin: dict[str, str], country: str, organization: str
) -> str:
    source = (
        await client.post("/v1/sources", json={"publisher": "P", "kind": "news"}, headers=admin)
    ).json()
    membership = (
        await client.post(
            "/v1/memberships",
            json={"country": country, "organization": organization, "basis": "member_state"},
            headers=admin,
        )
    ).json()
    for event in (
        {"type": "joined", "date": "1990"},
        {"type": "withdrawal_announced", "date": "2020-01-01"},
        {"type": "withdrawal_retracted", "date": "2020-06-01"},
    ):
        response = await client.post(
            f"/v1/memberships/{membership['id']}/events",
            json={**event, "sources": [source["id"]]},
            headers=admin,
        )
        assert response.status_code == 201, response.text
    return str(membership["id"])


async def drain(engine: AsyncEngine, until: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    async with webhook_delivery.new_client() as client:
        while not until():
            assert time.monotonic() < deadline, "deliveries did not finish in time"
            if not await webhook_delivery.deliver_due(engine, client):
                await asyncio.sleep(0.02)


async def test_private_destinations_are_refused(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, admin = committed_api
    for url in (
        "http://127.0.0.1:9/x",
        "http://10.1.2.3/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://[::127.0.0.1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://[64:ff9b::7f00:1]/x",
        "http://[2002:7f00:1::]/x",
        "http://[ff02::1]/x",
        "http://224.0.0.1/x",
        "http://0.0.0.0/x",
        "ftp://example.org/x",
        "http://user:pw@example.org/x",
    ):
        body = assert_problem(
            await client.post(
                "/v1/webhooks", json={"url": url, "event_types": ["*"]}, headers=admin
            ),
            422,
        )
        assert body["errors"][0]["name"] == "url", url
    assert_problem(
        await client.post(
            "/v1/webhooks", json={"url": "https://example.org", "event_types": ["x"]}, headers=admin
        ),
        422,
    )


async def test_signed_deliveries_with_retries_in_order(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
    committed_engine: AsyncEngine,
    settings_env: Callable[..., None],
) -> None:
    settings_env(webhook_allowed_hosts='["127.0.0.1"]', webhook_backoff_seconds="0.05")
    client, admin = committed_api
    with running_receiver() as receiver:
        hook = await subscribe(
            client, admin, receiver.url, event_types=["membership.status_changed"], country="GS"
        )
        await subscribe(
            client, admin, receiver.url, event_types=["organization.updated"]
        )  # not matching
        membership = await membership_with_join(client, admin, "GS", "imo")
        await membership_with_join(client, admin, "FK", "imo")  # filtered out by country
        async with committed_engine.connect() as conn:
            messages = (
                (
                    await conn.execute(
                        text(
                            "SELECT message_id FROM webhook_outbox WHERE webhook_id = :w "
                            "ORDER BY id"
                        ),
                        {"w": hook["id"]},
                    )
                )
                .scalars()
                .all()
            )
        assert len(messages) == 3, "joined, pending, retracted: three status changes for CA"
        receiver.fail_first[messages[0]] = 2  # the first fails twice; the others must wait for it
        await drain(committed_engine, lambda: len(receiver.received) >= 3)

        assert receiver.ids() == list(messages), "delivered once each, in order"
        verifier = Webhook(hook["secret"])
        payloads = [verifier.verify(r.body, r.headers) for r in receiver.received]
        assert [p["type"] for p in payloads] == ["membership.status_changed"] * 3
        assert {p["data"]["resource_id"] for p in payloads} == {membership}
        assert all(p["data"]["country"] == "GS" for p in payloads)
        tampered = dict(receiver.received[0].headers)
        with pytest.raises(WebhookVerificationError):
            verifier.verify(receiver.received[0].body + b" ", tampered)

        deliveries = (
            await client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=admin)
        ).json()["items"]
        by_message = {d["message_id"]: d for d in deliveries}
        assert (
            by_message[messages[0]]["attempts"] == 3
            and by_message[messages[0]]["state"] == "delivered"
        )
        assert by_message[messages[1]]["attempts"] == 1
        assert_problem(await client.get("/v1/webhooks/whk_nope/deliveries", headers=admin), 404)
        assert (await client.delete(f"/v1/webhooks/{hook['id']}", headers=admin)).status_code == 204
        assert hook["id"] not in [
            w["id"] for w in (await client.get("/v1/webhooks", headers=admin)).json()
        ]


async def test_deliveries_give_up_after_the_last_attempt(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
    committed_engine: AsyncEngine,
    settings_env: Callable[..., None],
) -> None:
    settings_env(
        webhook_allowed_hosts='["127.0.0.1"]',
        webhook_backoff_seconds="0.01",
        webhook_max_attempts="2",
    )
    client, admin = committed_api
    with running_receiver() as receiver:
        hook = await subscribe(
            client, admin, receiver.url, event_types=["membership.created"], country="PE"
        )
        await client.post(
            "/v1/memberships",
            json={"country": "PE", "organization": "itu", "basis": "member_state"},
            headers=admin,
        )
        async with committed_engine.connect() as conn:
            message = (
                await conn.execute(
                    text("SELECT message_id FROM webhook_outbox WHERE webhook_id = :w"),
                    {"w": hook["id"]},
                )
            ).scalar_one()
        receiver.fail_first[message] = 10

        async def state() -> str:
            async with committed_engine.connect() as conn:
                return str(
                    (
                        await conn.execute(
                            text("SELECT state FROM webhook_outbox WHERE message_id = :m"),
                            {"m": message},
                        )
                    ).scalar_one()
                )

        deadline = time.monotonic() + 10
        async with webhook_delivery.new_client() as http:
            while await state() == "pending":
                assert time.monotonic() < deadline
                await webhook_delivery.deliver_due(committed_engine, http)
                await asyncio.sleep(0.02)
        assert await state() == "failed"
        (delivery,) = (
            await client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=admin)
        ).json()["items"]
        assert (
            delivery["attempts"] == 2
            and delivery["last_status_code"] == 500
            and "500" in delivery["last_error"]
        )


def _worker(database_url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ORGREG_WEBHOOK_ALLOWED_HOSTS": '["127.0.0.1"]',
        "ORGREG_WEBHOOK_BACKOFF_SECONDS": "0.05",
    }
    return subprocess.Popen(
        [str(BIN / "orgreg"), "webhooks", "deliver", "--poll-seconds", "0.05"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_a_worker_killed_mid_run_loses_nothing(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
    committed_engine: AsyncEngine,
    committed_db: str,
    settings_env: Callable[..., None],
) -> None:
    settings_env(webhook_allowed_hosts='["127.0.0.1"]')
    client, admin = committed_api
    with running_receiver() as receiver:
        receiver.delay_seconds = 0.05
        hook = await subscribe(
            client, admin, receiver.url, event_types=["membership.event_added"], country="KR"
        )
        source = (
            await client.post("/v1/sources", json={"publisher": "P", "kind": "news"}, headers=admin)
        ).json()
        membership = (
            await client.post(
                "/v1/memberships",
                json={"country": "KR", "organization": "icao", "basis": "member_state"},
                headers=admin,
            )
        ).json()
        for year in range(1952, 1992):
            event = {
                "type": "joined" if year == 1952 else "elected",
                "date": str(year),
                "sources": [source["id"]],
            }
            await client.post(
                f"/v1/memberships/{membership['id']}/events", json=event, headers=admin
            )

        async def pending() -> int:
            async with committed_engine.connect() as conn:
                return int(
                    (
                        await conn.execute(
                            text(
                                "SELECT count(*) FROM webhook_outbox "
                                "WHERE webhook_id = :w AND state = 'pending'"
                            ),
                            {"w": hook["id"]},
                        )
                    ).scalar_one()
                )

        assert await pending() == 40
        first = _worker(committed_db)
        deadline = time.monotonic() + 30
        while len(receiver.received) < 8:
            assert time.monotonic() < deadline and first.poll() is None
            await asyncio.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert 0 < await pending() < 40, "killed mid-run"

        second = _worker(committed_db)
        try:
            while await pending():
                assert time.monotonic() < deadline + 30, "the restarted worker did not finish"
                await asyncio.sleep(0.05)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=10)
        async with committed_engine.connect() as conn:
            expected = set(
                (
                    await conn.execute(
                        text("SELECT message_id FROM webhook_outbox WHERE webhook_id = :w"),
                        {"w": hook["id"]},
                    )
                ).scalars()
            )
        assert set(receiver.ids()) == expected, (
            "every message delivered (a repeat is allowed, a loss is not)"
        )
        verifier = Webhook(hook["secret"])
        assert all(verifier.verify(r.body, r.headers) for r in receiver.received)
        changes = [json.loads(r.body)["data"]["change_id"] for r in receiver.received]
        assert changes == sorted(changes), "in order"
