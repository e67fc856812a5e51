"""Serving the app over real HTTP (uvicorn in a thread) on a database of the test's choosing."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import uvicorn
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.db import get_session, get_snapshot_opener, make_engine
from app.main import create_app


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """The app on `database_url`, with the production engine settings (timeouts, pre-ping)."""
    app = create_app()
    engines: list[AsyncEngine] = []

    def engine() -> AsyncEngine:  # created in the server's own event loop
        if not engines:
            engines.append(make_engine(database_url))
        return engines[0]

    async def live_session() -> AsyncIterator[AsyncSession]:
        async with AsyncSession(engine(), expire_on_commit=False) as live:
            yield live

    @asynccontextmanager
    async def live_snapshot() -> AsyncIterator[AsyncConnection]:
        async with engine().connect() as conn, conn.begin():
            yield conn

    @asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        stop = asyncio.Event()
        watch = asyncio.create_task(app.state.data_changes.run(database_url, stop))
        yield
        stop.set()
        await watch
        if engines:
            await engines[0].dispose()

    app.dependency_overrides[get_session] = live_session
    app.dependency_overrides[get_snapshot_opener] = lambda: live_snapshot
    app.router.lifespan_context = lifespan
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
