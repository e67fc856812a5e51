"""Behaviour every route shares: problem documents, ETags, unknown routes, the OpenAPI document."""

from __future__ import annotations

import httpx

from tests.api.helpers import assert_problem


async def test_etag_and_conditional_get(client: httpx.AsyncClient) -> None:
    first = await client.get("/v1/organizations/ipcc")
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = await client.get("/v1/organizations/ipcc")
    assert again.headers["etag"] == etag
    not_modified = await client.get("/v1/organizations/ipcc", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    weak_list = await client.get(
        "/v1/organizations/ipcc", headers={"If-None-Match": f'"other", W/{etag}'}
    )
    assert weak_list.status_code == 304
    stale = await client.get("/v1/organizations/ipcc", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.json() == first.json()
    other = await client.get("/v1/organizations/irena")
    assert other.headers["etag"] != etag


async def test_every_get_carries_an_etag(client: httpx.AsyncClient) -> None:
    for url in (
        "/v1/organizations",
        "/v1/categories",
        "/v1/countries/US",
        "/v1/sources",
        "/healthz",
    ):
        assert (await client.get(url)).headers.get("etag"), url


async def test_errors_carry_no_etag_and_are_problems(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/nowhere")
    assert_problem(response, 404)
    assert "etag" not in response.headers
    assert_problem(await client.post("/v1/organizations"), 405)


async def test_openapi_document(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert spec["info"]["title"] == "orgreg"
    operations = [op for path in spec["paths"].values() for op in path.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids)) and all(op.get("summary") for op in operations)
    assert {
        "listOrganizations",
        "getOrganization",
        "listCountryMemberships",
        "getMembership",
    } <= set(ids)
    for path, item in spec["paths"].items():
        if path.startswith("/v1/"):
            documented = item["get"]["responses"]
            assert "400" in documented or "404" in documented, path
    assert "Problem" in spec["components"]["schemas"]


async def test_docs_pages_are_served(client: httpx.AsyncClient) -> None:
    for url in ("/docs", "/redoc"):
        response = await client.get(url)
        assert response.status_code == 200 and "openapi.json" in response.text
