"""Test fixtures: a real PostgreSQL built by the migrations, each test in its own transaction.

Without DATABASE_URL a throw-away embedded PostgreSQL is started for the session; with it,
tests create (and drop) their own databases on that server and never touch its others.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from alembic import command
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

from app.config import get_settings
from app.db import get_session, get_snapshot_opener
from app.main import create_app
from app.services.health import alembic_config
from app.services.keys import create_key
from app.vocabulary import Scope
from tests.live import serving

CreateDatabase = Callable[[], Awaitable[str]]


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A URL to the `postgres` maintenance database of the server the tests use."""
    configured = get_settings().database_url
    if configured:
        yield configured
        return
    from app import embedded_postgres

    with tempfile.TemporaryDirectory(prefix="orgreg-test-pg-") as tmp:
        os.chmod(tmp, 0o755)  # the server runs as its own OS user when we are root
        server, url = embedded_postgres.start(Path(tmp) / "pg", cleanup_mode="delete")
        try:
            yield url
        finally:
            server.cleanup()


@pytest.fixture(scope="session")
async def admin_engine(server_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT", pool_size=1)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def create_database(
    admin_engine: AsyncEngine, server_url: str
) -> AsyncIterator[CreateDatabase]:
    """Makes empty databases on the test server; drops them all at the end of the session."""
    created: list[str] = []

    async def create() -> str:
        name = f"orgreg_test_{uuid.uuid4().hex[:12]}"
        async with admin_engine.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return make_url(server_url).set(database=name).render_as_string(hide_password=False)

    yield create
    async with admin_engine.connect() as conn:
        for name in created:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def migrate(url: str, revision: str = "head", *, down: bool = False) -> None:
    """Run Alembic in a thread: its env.py drives its own event loop."""
    operation = command.downgrade if down else command.upgrade
    await asyncio.to_thread(operation, alembic_config(url), revision)


@pytest.fixture(scope="session")
async def registry_url(create_database: CreateDatabase) -> str:
    """A database holding the full registry, as `alembic upgrade head` builds it."""
    url = await create_database()
    await migrate(url)
    return url


@pytest.fixture(scope="session")
async def engine(registry_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(registry_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection in an outer transaction that is rolled back after the test. The data
    version moves at commit (a deferred trigger), which a test never reaches: here it moves
    at each write statement instead."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        await conn.execute(text("SET CONSTRAINTS data_version_at_commit IMMEDIATE"))
        try:
            yield conn
        finally:
            await transaction.rollback()


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        yield session


@pytest.fixture
async def client(
    session: AsyncSession, connection: AsyncConnection
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app()

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    @asynccontextmanager
    async def test_snapshot() -> AsyncIterator[AsyncConnection]:
        yield connection

    app.dependency_overrides[get_session] = test_session
    app.dependency_overrides[get_snapshot_opener] = lambda: test_snapshot
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture(scope="session")
def live_server(registry_url: str) -> Iterator[str]:
    """The app served by uvicorn over real HTTP on a free loopback port, on the registry."""
    with serving(registry_url) as url:
        yield url


@pytest.fixture
async def auth(session: AsyncSession) -> dict[str, dict[str, str]]:
    """Authorization headers for a fresh key of each scope (inside the test's transaction)."""
    headers = {}
    for scope in Scope:
        _, secret = await create_key(session, f"test-{scope.value}", [scope], None)
        headers[scope.value] = {"Authorization": f"Bearer {secret}"}
    return headers


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set ORGREG_* variables for one test; settings are re-read around it."""

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"ORGREG_{name.upper()}", value)
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
async def committed_db(create_database: CreateDatabase) -> str:
    """A registry database of its own, for tests whose writes must really commit (concurrency,
    webhook delivery by another process)."""
    url = await create_database()
    await migrate(url)
    return url


@pytest.fixture
async def committed_engine(committed_db: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(committed_db, pool_size=8)
    yield engine
    await engine.dispose()


@pytest.fixture
async def committed_api(
    committed_engine: AsyncEngine,
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    """A client whose every request commits (on committed_db), and an admin key's header."""
    app = create_app()

    async def committed_session() -> AsyncIterator[AsyncSession]:
        async with AsyncSession(committed_engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_session] = committed_session
    async with AsyncSession(committed_engine) as session:
        name = f"committed-admin-{secrets.token_hex(4)}"  # key names are unique per database
        _, secret = await create_key(session, name, [Scope.admin], None)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client, {"Authorization": f"Bearer {secret}"}
