"""Sustained membership-event writes against a running service, then the proof that nothing
was lost: every acknowledged event is in the revision history exactly once.

Writers spread their events over many country x organization pairs of an organization the
run creates (as curators do), one event per request (POST /v1/memberships/{id}/events) or many
(POST /v1/memberships/events). Every event has its revision, change-feed entry and webhook
outbox row (a subscription to everything is created first).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pycountry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

BIN = Path(__file__).resolve().parents[1] / ".venv" / "bin"
PAIRS_PER_WRITER = 8


def admin_key(url: str) -> str:
    """A new admin key (names are unique: each run of the writers gets its own)."""
    name = f"bench-writer-{uuid.uuid4().hex[:8]}"
    return subprocess.run(
        [str(BIN / "orgreg"), "keys", "create", "--name", name, "--scope", "admin"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    ).stdout.strip()


async def _setup(client: httpx.AsyncClient, writers: int, tag: str) -> tuple[str, list[str]]:
    await client.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/bench", "event_types": ["*"]}
    )
    source = (await client.post("/v1/sources", json={"publisher": "bench", "kind": "other"})).json()
    organization = await client.post(
        "/v1/organizations",
        json={
            "slug": f"bench-writes-{tag}",
            "system": "non_un",
            "kind": "intergovernmental_organization",
            "names": [
                {"lang": "en", "type": "official", "value": f"Bench {tag}", "preferred": True}
            ],
            "categories": [],
        },
    )
    organization.raise_for_status()
    countries = sorted(c.alpha_2 for c in pycountry.countries)[: writers * PAIRS_PER_WRITER]
    memberships = []
    for country in countries:
        created = await client.post(
            "/v1/memberships",
            json={
                "country": country,
                "organization": f"bench-writes-{tag}",
                "basis": "member_state",
            },
        )
        created.raise_for_status()
        memberships.append(created.json()["id"])
    events = [
        {"membership": m, "type": "joined", "date": "1950", "sources": [source["id"]]}
        for m in memberships
    ]
    (await client.post("/v1/memberships/events", json={"events": events})).raise_for_status()
    return source["id"], memberships


def measure_writes(
    base: str, url: str, seconds: int, *, per_request: int, writers: int = 8
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {admin_key(url)}"}
    tag = f"{per_request}-{int(time.time())}"

    async def run() -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
            source, memberships = await _setup(client, writers, tag)
            expected: dict[str, int] = {}
            statuses: dict[int, int] = {}
            deadline = time.perf_counter() + seconds

            async def writer(number: int) -> None:
                mine = memberships[number * PAIRS_PER_WRITER : (number + 1) * PAIRS_PER_WRITER]
                sent = 0
                while time.perf_counter() < deadline:
                    token = f"bench-{tag}-{number}-{sent}"
                    events = [
                        {
                            "membership": mine[(sent + i) % len(mine)],
                            "type": "elected",
                            "date": f"{1951 + (sent + i) % 70}-01-01",
                            "sources": [source],
                        }
                        for i in range(per_request)
                    ]
                    sent += per_request
                    if per_request == 1:
                        path = f"/v1/memberships/{events[0].pop('membership')}/events"
                        response = await client.post(
                            path, json=events[0], headers={"X-Change-Reason": token}
                        )
                    else:
                        response = await client.post(
                            "/v1/memberships/events",
                            json={"events": events},
                            headers={"X-Change-Reason": token},
                        )
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    if response.status_code == 201:
                        expected[token] = per_request

            started = time.perf_counter()
            await asyncio.gather(*(writer(n) for n in range(writers)))
            elapsed = time.perf_counter() - started
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            recorded: dict[str, int] = dict(
                (
                    await conn.execute(
                        text(
                            "SELECT reason, count(*) FROM revisions WHERE reason LIKE :pattern "
                            "GROUP BY reason"
                        ),
                        {"pattern": f"bench-{tag}-%"},
                    )
                ).all()
            )
        await engine.dispose()
        acknowledged = sum(expected.values())
        return {
            "per_request": per_request,
            "events_per_s": acknowledged / elapsed,
            "acknowledged": acknowledged,
            "revisions": sum(recorded.values()),
            "lost": sum(n - recorded.get(token, 0) for token, n in expected.items()),
            "unacknowledged_but_recorded": sum(
                n for token, n in recorded.items() if token not in expected
            ),
            "non_201": sum(v for k, v in statuses.items() if k != 201),
        }

    return asyncio.run(run())
