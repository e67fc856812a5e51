"""Rate limit (429 with Retry-After and RateLimit headers) and the per-request time limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
from starlette.types import Receive, Scope, Send

from app.limits import RequestTimeoutMiddleware
from app.main import create_app
from tests.api.helpers import assert_problem


async def test_rate_limit(client: httpx.AsyncClient, settings_env: Callable[..., None]) -> None:
    settings_env(rate_limit_per_minute="3")
    app = create_app()
    app.dependency_overrides = client._transport.app.dependency_overrides  # type: ignore[attr-defined]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as limited:
        answers = [await limited.get("/v1/organizations/who") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert [a.headers["ratelimit-remaining"] for a in answers[:3]] == ["2", "1", "0"]
        assert answers[0].headers["ratelimit-limit"] == "3"
        body = assert_problem(answers[3], 429)
        assert (
            int(answers[3].headers["retry-after"]) >= 1 and "3 requests a minute" in body["detail"]
        )
        keyed = await limited.get(
            "/v1/organizations/who", headers={"Authorization": "Bearer orgreg_0badc0de_x"}
        )
        assert keyed.status_code == 401, "another client (by key prefix) has its own bucket"
        assert (await limited.get("/healthz")).status_code == 200, "probes are never limited"


async def test_slow_requests_get_503_not_a_hang() -> None:
    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        await asyncio.sleep(5)

    app = RequestTimeoutMiddleware(slow_app, seconds=0.2)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        response = await asyncio.wait_for(client.get("/v1/organizations"), timeout=3)
    assert_problem(response, 503)
    assert response.headers["retry-after"] == "5"
