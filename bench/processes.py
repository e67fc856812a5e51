"""What the benchmark and fuzz scripts share: a PostgreSQL server to work on, fresh migrated
databases on it, and the service processes they start and stop."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from alembic import command
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from app import embedded_postgres
from app.services.health import alembic_config


@contextmanager
def database_server(prefix: str) -> Iterator[str]:
    """DATABASE_URL's server when set, else a throw-away embedded PostgreSQL."""
    server_url = os.environ.get("DATABASE_URL")
    if server_url:
        yield server_url
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        os.chmod(tmp, 0o755)
        server, server_url = embedded_postgres.start(Path(tmp) / "pg", cleanup_mode="delete")
        try:
            yield server_url
        finally:
            server.cleanup()


@dataclass(frozen=True)
class ReplicatedServer:
    primary_url: str
    """To the primary's `postgres` database."""
    standby_url: str
    """To the standby's `postgres` database."""
    standby: embedded_postgres.Standby
    primary_data_dir: Path


@contextmanager
def replicated_server(prefix: str) -> Iterator[ReplicatedServer]:
    """A throw-away embedded PostgreSQL with a streaming replica of it, from the package's own
    binaries (DATABASE_URL's server is never used: it may not allow replication)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        os.chmod(tmp, 0o755)
        server, primary_url = embedded_postgres.start(Path(tmp) / "primary", cleanup_mode="delete")
        try:
            standby, standby_url = embedded_postgres.start_standby(server, Path(tmp) / "standby")
            try:
                yield ReplicatedServer(primary_url, standby_url, standby, Path(tmp) / "primary")
            finally:
                standby.stop()
        finally:
            server.cleanup()


def on_database(server_url: str, database_url: str) -> str:
    """`server_url`'s server, `database_url`'s database (a replica's URL for a database)."""
    database = make_url(database_url).database
    return make_url(server_url).set(database=database).render_as_string(hide_password=False)


async def migrated_database(server_url: str, prefix: str) -> str:
    """A new database on the server, at the migrations' head; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tcp_sockets(port: int, state: str) -> set[str]:
    """Inodes of the TCP sockets on local `port` in `state`, a /proc/net/tcp state code."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(fields[9])
    return inodes


ESTABLISHED, LISTENING = "01", "0A"


def wait_ready(
    url: str, process: subprocess.Popen[bytes], seconds: float = 60, workers: int = 1
) -> None:
    """Until `url` answers and every worker listens (each has its own socket on the port, and
    load that starts before one of them would all go to the others)."""
    deadline = time.monotonic() + seconds
    port = httpx.URL(url).port
    assert port is not None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            answered = httpx.get(url, timeout=2).status_code < 500
        except httpx.HTTPError:
            answered = False
        if answered and (workers == 1 or len(tcp_sockets(port, LISTENING)) >= workers):
            return
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
