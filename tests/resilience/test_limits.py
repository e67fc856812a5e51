"""Rate limit (429 with Retry-After and RateLimit headers) and the per-request time limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
from starlette.types import Receive, Scope, Send

from app.limits import RequestTimeoutMiddleware
from app.main import create_app
from tests.api.helpers import assert_problem


def limited_app(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another instance of the service (as another worker would be) on the test's database."""
    app = create_app()
    app.dependency_overrides = client._transport.app.dependency_overrides  # type: ignore[attr-defined]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_rate_limit(
    client: httpx.AsyncClient,
    auth: dict[str, dict[str, str]],
    settings_env: Callable[..., None],
) -> None:
    settings_env(rate_limit_per_minute="3")
    async with limited_app(client) as limited, limited_app(client) as other_worker:
        answers = [await limited.get("/v1/organizations/who") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert [a.headers["ratelimit-remaining"] for a in answers[:3]] == ["2", "1", "0"]
        assert answers[0].headers["ratelimit-limit"] == "3"
        body = assert_problem(answers[3], 429)
        assert (
            int(answers[3].headers["retry-after"]) >= 1 and "3 requests a minute" in body["detail"]
        )
        assert_problem(await other_worker.get("/v1/organizations/who"), 429)  # one bucket
        forged = await limited.get(
            "/v1/organizations/who", headers={"Authorization": "Bearer orgreg_0badc0de_x"}
        )
        assert_problem(forged, 429)  # an unverified key counts against its address
        keyed = [
            await other_worker.get("/v1/organizations/who", headers=auth["read"]) for _ in range(4)
        ]
        assert [k.status_code for k in keyed] == [200, 200, 200, 429]  # a verified key's own
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
