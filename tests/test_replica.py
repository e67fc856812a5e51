"""A real streaming replica (the embedded PostgreSQL's own binaries, `pg_basebackup -R`) behind
`orgreg serve`: anonymous reads go to it, key holders read their writes on the primary, the
response cache never keeps what a lagging replica said, and a replica too far behind or gone is
not read from. Replay is paused and resumed on the standby to make it lag on purpose."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app import embedded_postgres
from app.services.keys import create_key
from app.vocabulary import Scope
from bench.processes import (
    free_port,
    migrated_database,
    on_database,
    replicated_server,
    stop,
    wait_ready,
)

BIN = Path(sys.executable).parent
ORGANIZATION = "/v1/organizations/unesco"


@dataclass(frozen=True)
class Replicated:
    primary_url: str
    replica_url: str
    standby: embedded_postgres.Standby
    write_key: dict[str, str]


@pytest.fixture(scope="module")
async def replicated() -> AsyncIterator[Replicated]:
    with replicated_server("orgreg-replica-") as server:
        primary_url = await migrated_database(server.primary_url, "orgreg_replica")
        replica_url = on_database(server.standby_url, primary_url)
        engine = create_async_engine(primary_url)
        async with AsyncSession(engine) as session:
            _, secret = await create_key(session, "replica-test", [Scope.write], None)
        await engine.dispose()
        replicated = Replicated(
            primary_url, replica_url, server.standby, {"Authorization": f"Bearer {secret}"}
        )
        await _until(lambda: _replica_has_caught_up(replicated), "the replica caught up")
        yield replicated


async def _sql(url: str, statement: str) -> object:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text(statement))).scalar()
    finally:
        await engine.dispose()


async def _replica_has_caught_up(replicated: Replicated) -> bool:
    version = "SELECT version FROM data_version"
    try:
        return await _sql(replicated.replica_url, version) == await _sql(
            replicated.primary_url, version
        )
    except Exception:  # the database may not have reached the standby yet
        return False


async def _until(condition: Callable[[], Awaitable[bool]], what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        await asyncio.sleep(0.1)


@contextmanager
def serving(replicated: Replicated, max_lag_seconds: float) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": replicated.primary_url,
        "ORGREG_REPLICA_URL": replicated.replica_url,
        "ORGREG_REPLICA_MAX_LAG_SECONDS": str(max_lag_seconds),
        "ORGREG_REPLICA_CHECK_SECONDS": "0.1",
        "ORGREG_LOG_LEVEL": "warning",
    }
    service = subprocess.Popen(
        [str(BIN / "orgreg"), "serve", "--no-migrate", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/readyz", service)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(service)


async def _pause(replicated: Replicated) -> None:
    await _sql(replicated.replica_url, "SELECT pg_wal_replay_pause()")


async def _resume(replicated: Replicated) -> None:
    await _sql(replicated.replica_url, "SELECT pg_wal_replay_resume()")


async def _replica_report(client: httpx.AsyncClient) -> dict[str, object]:
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    report: dict[str, object] = ready.json()["checks"]["replica"]
    return report


async def _usable(client: httpx.AsyncClient, usable: bool) -> None:
    async def reached() -> bool:
        return (await _replica_report(client))["usable"] is usable

    await _until(reached, f"the replica is {'usable' if usable else 'not usable'}")


def _metric(body: str, name: str) -> float:
    found = re.search(rf"^{name} (\S+)$", body, re.MULTILINE)
    assert found, f"{name} is not in /metrics"
    return float(found.group(1))


async def _set_headquarters(
    client: httpx.AsyncClient, replicated: Replicated, headquarters: str
) -> httpx.Response:
    current = await client.get(ORGANIZATION, headers=replicated.write_key)
    written = await client.patch(
        ORGANIZATION,
        json={"headquarters": headquarters},
        headers={**replicated.write_key, "If-Match": current.headers["etag"]},
    )
    assert written.status_code == 200, written.text
    return written


async def test_anonymous_reads_come_from_the_replica_and_writers_read_their_writes(
    replicated: Replicated,
) -> None:
    with serving(replicated, max_lag_seconds=60) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await _usable(client, True)
            before = await client.get(ORGANIZATION)
            cached = await client.get(ORGANIZATION)
            assert cached.headers.get("x-cache") == "hit", "anonymous reads are cached"
            await _pause(replicated)
            try:
                written = await _set_headquarters(client, replicated, "Paris (replica test)")
                version = written.headers["x-data-version"]
                assert int(version) > int(before.headers["x-data-version"])

                own = await client.get(ORGANIZATION, headers=replicated.write_key)
                assert own.json()["headquarters"] == "Paris (replica test)"
                assert own.headers["x-data-version"] == version

                await asyncio.sleep(0.3)  # the commit's notice has reached the service
                anonymous = await client.get(ORGANIZATION)
                assert anonymous.json()["headquarters"] == before.json()["headquarters"], (
                    "the paused replica answers with what it has"
                )
                assert anonymous.headers["x-data-version"] == before.headers["x-data-version"]
                assert "x-cache" not in anonymous.headers
                again = await client.get(ORGANIZATION)
                assert "x-cache" not in again.headers, (
                    "an answer older than the announced version is not kept"
                )
            finally:
                await _resume(replicated)

            async def anonymous_sees_the_write() -> bool:
                seen = await client.get(ORGANIZATION)
                return bool(seen.headers["x-data-version"] == version)

            await _until(anonymous_sees_the_write, "the replica's answer has the write")
            caught_up = await client.get(ORGANIZATION)
            assert caught_up.json()["headquarters"] == "Paris (replica test)"
            assert caught_up.headers.get("x-cache") == "hit"

            async def checked_at_the_version() -> bool:
                report = await _replica_report(client)
                assert report["status"] == "ok"
                return report["data_version"] == int(version)

            # A sequence would not do: a standby reads it as WAL-logged, up to 32 ahead.
            await _until(checked_at_the_version, "the replica's data version is the primary's")


async def test_a_replica_too_far_behind_is_not_read_from(replicated: Replicated) -> None:
    with serving(replicated, max_lag_seconds=0.5) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await _usable(client, True)
            await _pause(replicated)
            try:
                written = await _set_headquarters(client, replicated, "Paris (lagging replica)")
                await _usable(client, False)
                report = await _replica_report(client)
                assert report["status"] == "lagging"
                assert isinstance(report["lag_seconds"], float) and report["lag_seconds"] > 0.5
                assert isinstance(report["lag_bytes"], int) and report["lag_bytes"] > 0
                metrics = (await client.get("/metrics")).text
                assert _metric(metrics, "orgreg_replica_usable") == 0
                assert _metric(metrics, "orgreg_replica_lag_seconds") > 0.5
                assert _metric(metrics, "orgreg_replica_lag_bytes") > 0

                anonymous = await client.get(ORGANIZATION)
                assert anonymous.json()["headquarters"] == "Paris (lagging replica)", (
                    "reads fall back to the primary"
                )
                assert anonymous.headers["x-data-version"] == written.headers["x-data-version"]
            finally:
                await _resume(replicated)
            await _usable(client, True)
            metrics = (await client.get("/metrics")).text
            assert _metric(metrics, "orgreg_replica_usable") == 1
            assert _metric(metrics, "orgreg_replica_lag_seconds") <= 0.5


async def test_a_stopped_replica_leaves_reads_on_the_primary(replicated: Replicated) -> None:
    with serving(replicated, max_lag_seconds=60) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await _usable(client, True)
            replicated.standby.stop()
            try:
                await _usable(client, False)
                assert (await _replica_report(client))["status"] == "unreachable"
                for _ in range(5):
                    answered = await client.get(f"{ORGANIZATION}/memberships?page_size=5")
                    assert answered.status_code == 200, answered.text
            finally:
                replicated.standby.start()
            await _usable(client, True)
