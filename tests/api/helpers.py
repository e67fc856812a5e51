"""Assertions shared by the API tests."""

from __future__ import annotations

from typing import Any

import httpx


def assert_problem(
    response: httpx.Response, status: int, name: str | None = None
) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status`, naming parameter `name` if given."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    assert body["title"] and body["detail"]
    assert "Traceback" not in response.text
    if name is not None:
        assert name in [e["name"] for e in body["errors"]], body
    return body


async def walk(client: httpx.AsyncClient, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paginated list, following `next_cursor` and checking the Link header."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        response = await client.get(
            url, params={**params, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        link = response.headers["link"]
        assert 'rel="describedby"' in link
        if cursor is None:
            assert 'rel="next"' not in link
            return items
        assert 'rel="next"' in link and "cursor=" in link
    raise AssertionError("pagination did not end")
