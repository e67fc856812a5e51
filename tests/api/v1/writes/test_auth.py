"""Who may write: API keys, scopes, 401 and 403; keys can be listed, revoked and expire."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.services.keys import create_key
from app.vocabulary import Scope
from tests.api.helpers import assert_problem

SOURCE = {"publisher": "Test publisher", "kind": "news", "url": "https://example.org/a"}


async def test_writes_need_a_key(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/sources", json=SOURCE)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer orgreg_nope_x", "Bearer not-a-key", "Basic abc", "Bearer "]
)
async def test_bad_keys_are_401(client: httpx.AsyncClient, header: str) -> None:
    assert_problem(
        await client.post("/v1/sources", json=SOURCE, headers={"Authorization": header}), 401
    )


async def test_scopes(client: httpx.AsyncClient, auth: dict[str, dict[str, str]]) -> None:
    assert_problem(await client.post("/v1/sources", json=SOURCE, headers=auth["read"]), 403)
    assert (await client.post("/v1/sources", json=SOURCE, headers=auth["write"])).status_code == 201
    assert (await client.post("/v1/sources", json=SOURCE, headers=auth["admin"])).status_code == 201
    assert_problem(await client.get("/v1/keys", headers=auth["write"]), 403)
    assert (await client.get("/v1/keys", headers=auth["admin"])).status_code == 200


async def test_keys_api_shows_the_secret_once(
    client: httpx.AsyncClient, auth: dict[str, dict[str, str]]
) -> None:
    created = await client.post(
        "/v1/keys", json={"name": "bot", "scopes": ["write"]}, headers=auth["admin"]
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("orgreg_") and created.json()["prefix"] in secret
    listed = (await client.get("/v1/keys", headers=auth["admin"])).json()
    assert "secret" not in str(listed) and secret not in str(listed)
    bot = {"Authorization": f"Bearer {secret}"}
    assert (await client.post("/v1/sources", json=SOURCE, headers=bot)).status_code == 201
    key_id = created.json()["id"]
    assert (await client.delete(f"/v1/keys/{key_id}", headers=auth["admin"])).status_code == 204
    assert_problem(await client.post("/v1/sources", json=SOURCE, headers=bot), 401)
    assert_problem(await client.delete("/v1/keys/key_nope", headers=auth["admin"]), 404)
    assert_problem(
        await client.post(
            "/v1/keys", json={"name": "x", "scopes": ["root"]}, headers=auth["admin"]
        ),
        422,
    )


async def test_expired_keys_are_refused(client: httpx.AsyncClient, session: AsyncSession) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    _, secret = await create_key(session, "old", [Scope.write], past)
    assert_problem(
        await client.post(
            "/v1/sources", json=SOURCE, headers={"Authorization": f"Bearer {secret}"}
        ),
        401,
    )


async def test_failed_attempts_are_logged_without_the_secret(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "orgreg_deadbeef_THIS-IS-A-SECRET-VALUE"
    with caplog.at_level(logging.WARNING, logger="orgreg.auth"):
        await client.post("/v1/sources", json=SOURCE, headers={"Authorization": f"Bearer {secret}"})
    assert "deadbeef" in caplog.text
    assert "THIS-IS-A-SECRET-VALUE" not in caplog.text


async def test_reads_can_require_a_key(
    client: httpx.AsyncClient, auth: dict[str, dict[str, str]], settings_env: Callable[..., None]
) -> None:
    assert (await client.get("/v1/organizations/who")).status_code == 200
    settings_env(public_reads="false")
    assert_problem(await client.get("/v1/organizations/who"), 401)
    assert (await client.get("/v1/organizations/who", headers=auth["read"])).status_code == 200


async def test_key_names_are_unique(
    client: httpx.AsyncClient, auth: dict[str, dict[str, str]]
) -> None:
    body = {"name": "ingest-bot", "scopes": ["write"]}
    assert (await client.post("/v1/keys", json=body, headers=auth["admin"])).status_code == 201
    again = await client.post("/v1/keys", json=body, headers=auth["admin"])
    assert "ingest-bot" in assert_problem(again, 409)["detail"]
