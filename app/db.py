"""The async engine, the per-request session, and read snapshots for streamed exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

from app.config import get_settings
from app.replication import ReplicaMonitor
from app.services import known


def make_engine(url: str) -> AsyncEngine:
    settings = get_settings()
    engine = create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        connect_args={
            "timeout": settings.db_connect_timeout_seconds,
            "server_settings": {
                "statement_timeout": str(settings.db_statement_timeout_ms),
                "application_name": "orgreg",
                # Compiling a plan to machine code pays off for queries that run for seconds;
                # the API's run for about a millisecond, and compiling took tens of them.
                "jit": "off",
            },
        },
    )
    event.listen(engine.sync_engine, "checkout", _drop_if_closed)
    return engine


def _drop_if_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """A pooled connection the server closed (a restart, a terminated backend) is replaced
    on checkout. The driver notices the closed socket itself, so this costs no round trip,
    where `pool_pre_ping` spent three on every request (BEGIN, a ping, ROLLBACK)."""
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this connection")


async def driver_connection(url: str) -> Any:
    """A plain asyncpg connection to a SQLAlchemy URL, outside any pool: for LISTEN, COPY to
    a callback, and scripts that hold a session of their own. Gives up connecting after the
    usual connect timeout."""
    import asyncpg

    parsed = make_url(url)
    return await asyncpg.connect(
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
        host=parsed.query.get("host") or parsed.host,
        port=parsed.port,
        timeout=get_settings().db_connect_timeout_seconds,
    )


@lru_cache
def get_engine() -> AsyncEngine:
    url = get_settings().database_url
    if url is None:
        raise RuntimeError("DATABASE_URL is not set; start the service with `orgreg serve`.")
    return make_engine(url)


@lru_cache
def get_replica_engine() -> AsyncEngine:
    url = get_settings().replica_url
    if url is None:
        raise RuntimeError("ORGREG_REPLICA_URL is not set.")
    return make_engine(url)


def engine_for(request: Request) -> AsyncEngine:
    """The replica for an anonymous read of the API while it is usable (see app.replication);
    the primary for everything else, probes and metrics included."""
    replica: ReplicaMonitor | None = getattr(request.app.state, "replica", None)
    if (
        replica is not None
        and request.method in ("GET", "HEAD")
        and request.url.path.startswith("/v1/")
        and "authorization" not in request.headers
        and replica.usable()
    ):
        return get_replica_engine()
    return get_engine()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(engine_for(request), expire_on_commit=False) as session:
        yield session


async def _primary_session() -> AsyncIterator[AsyncSession]:
    async with AsyncSession(get_engine(), expire_on_commit=False) as session:
        yield session


def known_at_of(request: Request) -> dt.datetime | None:
    """The moment a read asks about (`known_at`); None for the present, and for writes."""
    raw = request.query_params.get(known.PARAMETER)
    if raw is None or request.method not in ("GET", "HEAD"):
        return None
    return known.parse_moment(raw)


async def get_request_session(
    request: Request, session: Annotated[AsyncSession, Depends(get_session)]
) -> AsyncIterator[AsyncSession]:
    """The request's session; for a read with `known_at`, reading the registry as it stood
    then (app.services.known), from the first statement on (the data version included)."""
    moment = known_at_of(request)
    if moment is None:
        yield session
        return
    async with known.as_known_at(session, moment):
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_request_session)]


async def get_reader(request: Request, session: SessionDep) -> AsyncIterator[AsyncConnection]:
    """A connection for a read that is one statement: in autocommit, so no BEGIN and ROLLBACK
    travel around it. Bound like the request's session (a test's session is bound to a
    connection inside the test's transaction: that connection is used as it is). A read of
    the past uses the session's own connection, whose transaction holds the moment."""
    if known_at_of(request) is not None:
        yield await session.connection()
        return
    bind = session.bind
    if isinstance(bind, AsyncConnection):
        yield bind
        return
    async with (bind or get_engine()).connect() as connection:
        yield await connection.execution_options(isolation_level="AUTOCOMMIT")


ReaderDep = Annotated[AsyncConnection, Depends(get_reader)]
SessionOpener = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def session_opener(app: FastAPI) -> SessionOpener:
    """Sessions on the primary for middleware (a test's override of get_session included)."""

    @asynccontextmanager
    async def opened() -> AsyncIterator[AsyncSession]:
        make = app.dependency_overrides.get(get_session, _primary_session)
        sessions = make()
        try:
            yield await anext(sessions)
        finally:
            await sessions.aclose()

    return opened


SnapshotOpener = Callable[[], AbstractAsyncContextManager[AsyncConnection]]


def snapshot_opener(engine: AsyncEngine) -> SnapshotOpener:
    """Read-only REPEATABLE READ transactions: every query in one sees one consistent state,
    however long a streamed export takes."""

    @asynccontextmanager
    async def open_snapshot() -> AsyncIterator[AsyncConnection]:
        async with engine.connect() as connection:
            snapshot = await connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            async with snapshot.begin():
                yield snapshot

    return open_snapshot


def get_snapshot_opener(request: Request) -> SnapshotOpener:
    """Routes that stream open their snapshot themselves (it must outlive the handler)."""
    return snapshot_opener(engine_for(request))


SnapshotDep = Annotated[SnapshotOpener, Depends(get_snapshot_opener)]


@asynccontextmanager
async def all_or_nothing(url: str, keep: Callable[[], bool]) -> AsyncIterator[AsyncSession]:
    """A session for a bulk job: its commits only end savepoints (a row's writes, kept while a
    later row fails), and the whole job commits at the end only if `keep()` says so (not a dry
    run, no row failed)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            outer = await connection.begin()
            async with AsyncSession(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            ) as session:
                yield session
                await session.commit()  # ends the last savepoint
            if keep():
                await outer.commit()
            else:
                await outer.rollback()
    finally:
        await engine.dispose()
