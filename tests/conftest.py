"""Test fixtures: a real PostgreSQL built by the migrations, each test in its own transaction.

Without DATABASE_URL a throw-away embedded PostgreSQL is started for the session; with it,
tests create (and drop) their own databases on that server and never touch its others.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from alembic import command
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

from app.config import get_settings
from app.db import get_session
from app.main import create_app
from app.services.health import alembic_config

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
    """One connection in an outer transaction that is rolled back after the test."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
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
async def client(session: AsyncSession) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app()

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = test_session
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
