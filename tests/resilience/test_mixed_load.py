"""A bounded mixed read/write run over real HTTP, with curators racing on the same records:
no 5xx, and every acknowledged write is in the revision history exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.services.keys import create_key
from app.vocabulary import Scope
from tests.live import serving

CURATORS = 6
READERS = 4
SECONDS = 4.0
AT_MOST_SECONDS = 30.0
"""A machine busy with something else gets longer, until the curators have really raced."""
RECORDS = ("ipcc", "irena")


async def test_concurrent_curators_lose_no_update(committed_db: str) -> None:
    engine = create_async_engine(committed_db)
    try:
        async with AsyncSession(engine) as session:
            _, secret = await create_key(session, "load-curator", [Scope.write], None)
        key = {"Authorization": f"Bearer {secret}"}
        acknowledged: list[str] = []
        statuses: Counter[int] = Counter()
        started = time.monotonic()

        def racing() -> bool:
            elapsed = time.monotonic() - started
            raced = len(acknowledged) > 5 and statuses[412] > 0
            return elapsed < SECONDS or (not raced and elapsed < AT_MOST_SECONDS)

        with serving(committed_db) as base:
            async with httpx.AsyncClient(
                base_url=base, timeout=10, limits=httpx.Limits(max_connections=CURATORS + READERS)
            ) as client:

                async def curator(n: int) -> None:
                    while racing():
                        slug = RECORDS[n % len(RECORDS)]
                        current = await client.get(f"/v1/organizations/{slug}")
                        statuses[current.status_code] += 1
                        token = f"load-{uuid.uuid4().hex}"
                        response = await client.patch(
                            f"/v1/organizations/{slug}",
                            json={"headquarters": f"Somewhere {token[-6:]}"},
                            headers={
                                **key,
                                "If-Match": current.headers["etag"],
                                "X-Change-Reason": token,
                            },
                        )
                        statuses[response.status_code] += 1
                        if response.status_code == 200:
                            acknowledged.append(token)

                async def reader() -> None:
                    while racing():
                        for url in (
                            "/v1/organizations?q=climate",
                            "/v1/countries/US/memberships",
                            "/v1/changes?page_size=20",
                        ):
                            statuses[(await client.get(url)).status_code] += 1

                await asyncio.gather(
                    *(curator(n) for n in range(CURATORS)), *(reader() for _ in range(READERS))
                )

        assert not [s for s in statuses if s >= 500], statuses
        assert set(statuses) <= {200, 412}, statuses
        assert len(acknowledged) > 5 and statuses[412] > 0, "the curators really raced"
        async with engine.connect() as conn:
            recorded = Counter(
                (
                    await conn.execute(
                        text("SELECT reason FROM revisions WHERE reason LIKE 'load-%'")
                    )
                ).scalars()
            )
        assert set(recorded) == set(acknowledged) and set(recorded.values()) == {1}
    finally:
        await engine.dispose()
