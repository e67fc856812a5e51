"""PostgreSQL stops under load: the service answers 503 problems with Retry-After quickly,
/readyz fails, and it recovers by itself when the database returns; no acknowledged write
is lost."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app import embedded_postgres
from app.config import get_settings
from app.services.keys import create_key
from app.vocabulary import Scope
from tests.conftest import migrate
from tests.live import serving


@pytest.fixture(scope="module")
def own_server() -> Iterator[tuple[Any, Path]]:
    """A PostgreSQL of this module's own, which the test may stop and start."""
    if get_settings().database_url:
        pytest.skip(
            "needs the embedded PostgreSQL (DATABASE_URL points at a server tests must not stop)"
        )
    with tempfile.TemporaryDirectory(prefix="orgreg-fault-pg-") as tmp:
        os.chmod(tmp, 0o755)
        data = Path(tmp) / "pg"
        server, _ = embedded_postgres.start(data, cleanup_mode="delete")
        try:
            yield server, data
        finally:
            server.cleanup()


async def test_outage_and_recovery(own_server: tuple[Any, Path]) -> None:
    server, data = own_server
    url = embedded_postgres.socket_url(data, "postgres")
    await migrate(url)
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        _, secret = await create_key(session, "fault-writer", [Scope.write], None)
    await engine.dispose()
    writer = {"Authorization": f"Bearer {secret}"}

    with serving(url) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            acknowledged = []
            for n in range(5):
                response = await client.post(
                    "/v1/sources", json={"publisher": f"before-{n}", "kind": "news"}, headers=writer
                )
                assert response.status_code == 201
                acknowledged.append(response.json()["id"])

            await asyncio.to_thread(embedded_postgres.stop, server)
            for url_path in (
                "/v1/organizations/who",
                "/v1/organizations?q=unesco",
                "/v1/countries/US",
            ):
                started = time.monotonic()
                response = await client.get(url_path)
                assert time.monotonic() - started < 6, "no hanging request"
                assert response.status_code == 503, response.text
                assert response.headers["content-type"] == "application/problem+json"
                assert int(response.headers["retry-after"]) > 0
            write = await client.post(
                "/v1/sources", json={"publisher": "during", "kind": "news"}, headers=writer
            )
            assert write.status_code in (401, 503), "never acknowledged while the database is down"
            assert (await client.get("/readyz")).status_code == 503

            await asyncio.to_thread(embedded_postgres.restart, server)
            deadline = time.monotonic() + 20
            while (await client.get("/readyz")).status_code != 200:
                assert time.monotonic() < deadline, "did not recover by itself"
                await asyncio.sleep(0.2)
            assert (await client.get("/v1/organizations/who")).status_code == 200
            for source_id in acknowledged:
                assert (await client.get(f"/v1/sources/{source_id}")).status_code == 200

    check = create_async_engine(url)
    async with check.connect() as conn:
        count = (
            await conn.execute(text("SELECT count(*) FROM sources WHERE publisher = 'during'"))
        ).scalar_one()
    await check.dispose()
    assert count == 0
