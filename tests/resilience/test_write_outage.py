"""A write whose database stops answering mid-way answers 503 with Retry-After: never a 422
blaming the body, never a 500.

The database here really fails to answer: another connection holds the organizations table
locked, and the service's statement timeout cancels the write's query that needs it (the same
error a query cut off by a database restart or an overloaded server raises)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from app.db import get_session
from app.main import create_app
from app.services.keys import create_key
from app.vocabulary import Scope
from tests.api.helpers import assert_problem


@pytest.fixture
async def impatient_api(committed_db: str) -> AsyncIterator[tuple[httpx.AsyncClient, AsyncEngine]]:
    engine = create_async_engine(
        committed_db, connect_args={"server_settings": {"statement_timeout": "300"}}
    )
    app = create_app()

    async def session() -> AsyncIterator[AsyncSession]:
        async with AsyncSession(engine, expire_on_commit=False) as opened:
            yield opened

    app.dependency_overrides[get_session] = session
    async with AsyncSession(engine) as opened:
        _, secret = await create_key(
            opened, f"outage-admin-{secrets.token_hex(4)}", [Scope.admin], None
        )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://test",
        headers={"Authorization": f"Bearer {secret}"},
    ) as client:
        yield client, engine
    await engine.dispose()


WRITES: list[tuple[str, dict[str, Any]]] = [
    ("/v1/memberships", {"country": "GS", "organization": "imo", "basis": "member_state"}),
    (
        "/v1/webhooks",
        {
            "url": "http://127.0.0.1:9/never-delivered",
            "event_types": ["membership.status_changed"],
            "organization": "imo",
        },
    ),
    ("/v1/organizations/iucn/merge", {"into": "imo"}),
]


@pytest.mark.parametrize(("path", "body"), WRITES, ids=[p for p, _ in WRITES])
async def test_a_write_cut_off_by_the_database_answers_503(
    impatient_api: tuple[httpx.AsyncClient, AsyncEngine],
    committed_engine: AsyncEngine,
    path: str,
    body: dict[str, Any],
) -> None:
    client, _ = impatient_api
    async with committed_engine.connect() as blocker:
        await blocker.execute(text("LOCK TABLE organizations IN ACCESS EXCLUSIVE MODE"))
        response = await client.post(path, json=body)
        await blocker.rollback()
    assert_problem(response, 503)
    assert int(response.headers["retry-after"]) > 0
    again = await client.post(path, json=body)
    assert again.status_code < 500, again.text  # the database answers again: so does the write
