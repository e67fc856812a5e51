"""Many writes of one key at once: no client ever sees a 500 from the database's locking."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.errors import is_transient_conflict
from app.services.keys import create_key
from app.vocabulary import Scope


async def test_a_fresh_keys_concurrent_idempotent_posts_all_succeed(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]], committed_engine: AsyncEngine
) -> None:
    """A key's first use is noted on its row; meanwhile its other requests record revisions and
    idempotent answers that refer to that row (the row lock once deadlocked with the feed's)."""
    client, _ = committed_api
    statuses: list[int] = []
    for burst in range(10):
        async with AsyncSession(committed_engine) as session:
            _, secret = await create_key(session, f"fresh-writer-{burst}", [Scope.write], None)
        writer = {"Authorization": f"Bearer {secret}"}
        responses = await asyncio.gather(
            *(
                client.post(
                    "/v1/sources",
                    json={"publisher": f"Burst {burst} writer {n}", "kind": "news"},
                    headers={**writer, "Idempotency-Key": f"burst-{burst}-{n}"},
                )
                for n in range(16)
            )
        )
        statuses += [r.status_code for r in responses]
    assert statuses == [201] * 160, sorted(set(statuses))


async def test_a_real_deadlock_is_recognised_as_retryable(committed_engine: AsyncEngine) -> None:
    """The safety net behind the fix above: should two writes still deadlock, PostgreSQL rolls
    one back and the client gets a 503 with Retry-After (errors.is_transient_conflict), not a
    500."""
    async with committed_engine.connect() as setup:
        await setup.execute(text("CREATE TABLE IF NOT EXISTS deadlock_probe (id int PRIMARY KEY)"))
        await setup.execute(
            text("INSERT INTO deadlock_probe VALUES (1), (2) ON CONFLICT DO NOTHING")
        )
        await setup.commit()
    async with committed_engine.connect() as first, committed_engine.connect() as second:
        await first.execute(text("UPDATE deadlock_probe SET id = id WHERE id = 1"))
        await second.execute(text("UPDATE deadlock_probe SET id = id WHERE id = 2"))

        async def cross(connection: AsyncConnection, row: int, after: float) -> None:
            await asyncio.sleep(after)
            await connection.execute(text(f"UPDATE deadlock_probe SET id = id WHERE id = {row}"))

        outcomes = await asyncio.gather(
            cross(first, 2, 0.0), cross(second, 1, 0.3), return_exceptions=True
        )
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failures) == 1
    assert isinstance(failures[0], DBAPIError) and is_transient_conflict(failures[0])
