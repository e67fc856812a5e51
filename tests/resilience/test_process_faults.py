"""kill -9 the service during a stream of writes: after a restart every acknowledged write is
there exactly once, nothing is half-written, and every outbox event is delivered."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from app.services.keys import create_key
from app.vocabulary import Scope
from tests.receiver import running_receiver

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
async def db(committed_db: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(committed_db)
    yield engine
    await engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(database_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ORGREG_WEBHOOK_ALLOWED_HOSTS": '["127.0.0.1"]',
        "ORGREG_WEBHOOK_BACKOFF_SECONDS": "0.05",
        "ORGREG_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [str(BIN / "orgreg"), "serve", "--no-migrate", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=base) as client:
        while True:
            assert process.poll() is None and time.monotonic() < deadline, (
                "the service did not start"
            )
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)


async def test_kill_9_during_writes_loses_nothing(committed_db: str, db: AsyncEngine) -> None:
    async with AsyncSession(db) as session:
        _, admin = await create_key(session, "crash-admin", [Scope.admin], None)
    headers = {"Authorization": f"Bearer {admin}"}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with running_receiver() as receiver:
        service = _serve(committed_db, port)
        await _wait_ready(base, service)
        async with httpx.AsyncClient(base_url=base, timeout=5) as client:
            hook = (
                await client.post(
                    "/v1/webhooks",
                    json={"url": receiver.url, "event_types": ["source.created"]},
                    headers=headers,
                )
            ).json()
            acknowledged: list[str] = []
            killed = False
            for n in range(400):
                if n == 60:
                    service.send_signal(signal.SIGKILL)
                    service.wait(timeout=10)
                    killed = True
                try:
                    response = await client.post(
                        "/v1/sources",
                        json={"publisher": f"crash-{n}", "kind": "news"},
                        headers=headers,
                    )
                except httpx.HTTPError:
                    assert killed
                    break
                assert response.status_code == 201
                acknowledged.append(response.json()["id"])
        assert killed and len(acknowledged) >= 60

        service = _serve(committed_db, port)
        try:
            await _wait_ready(base, service)
            async with httpx.AsyncClient(base_url=base, timeout=5) as client:
                for source_id in acknowledged:
                    assert (await client.get(f"/v1/sources/{source_id}")).status_code == 200
            async with db.connect() as conn:
                half_written = (
                    await conn.execute(
                        text("""
                    SELECT count(*) FROM sources s WHERE s.publisher LIKE 'crash-%' AND (
                      SELECT count(*) FROM revisions r
                      WHERE r.resource_id = s.id AND r.action = 'created') <> 1
                """)
                    )
                ).scalar_one()
                orphans = (
                    await conn.execute(
                        text("""
                    SELECT count(*) FROM revisions r
                    WHERE r.resource_type = 'source' AND r.action = 'created'
                      AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = r.resource_id)
                """)
                    )
                ).scalar_one()
                written = (
                    await conn.execute(
                        text("SELECT count(*) FROM sources WHERE publisher LIKE 'crash-%'")
                    )
                ).scalar_one()
            assert half_written == 0 and orphans == 0
            assert written in (len(acknowledged), len(acknowledged) + 1), (
                "at most the unacknowledged one more"
            )
            deadline = time.monotonic() + 30
            while True:
                async with db.connect() as conn:
                    pending = (
                        await conn.execute(
                            text(
                                "SELECT count(*) FROM webhook_outbox "
                                "WHERE webhook_id = :w AND state <> 'delivered'"
                            ),
                            {"w": hook["id"]},
                        )
                    ).scalar_one()
                if pending == 0:
                    break
                assert time.monotonic() < deadline, f"{pending} deliveries still pending"
                await asyncio.sleep(0.2)
            delivered = {r.headers["webhook-id"] for r in receiver.received}
            async with db.connect() as conn:
                expected = set(
                    (
                        await conn.execute(
                            text("SELECT message_id FROM webhook_outbox WHERE webhook_id = :w"),
                            {"w": hook["id"]},
                        )
                    ).scalars()
                )
            assert expected <= delivered and len(expected) == written
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=15)
