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
    assert_problem(await client.put("/v1/organizations"), 405)


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
        for method, operation in item.items():
            if path.startswith("/v1/"):
                documented = operation["responses"]
                problems = [code for code in documented if code[0] in "45"]
                assert problems, (method, path)
                for code in problems:
                    assert "application/problem+json" in documented[code]["content"], (
                        method,
                        path,
                        code,
                    )
    assert "Problem" in spec["components"]["schemas"]


async def test_docs_pages_are_served(client: httpx.AsyncClient) -> None:
    for url in ("/docs", "/redoc"):
        response = await client.get(url)
        assert response.status_code == 200 and "openapi.json" in response.text


async def test_nul_characters_are_rejected_not_sent_to_the_database(
    client: httpx.AsyncClient,
) -> None:
    assert_problem(await client.get("/v1/organizations", params={"q": "un\x00fccc"}), 400, "q")
    assert_problem(await client.get("/v1/organizations/un%00fccc"), 400, "organization")
    assert_problem(await client.get("/v1/countries/U%00S/memberships"), 400, "code")


async def test_forged_cursors_with_wrong_types_are_rejected(client: httpx.AsyncClient) -> None:
    from app.pagination import encode_cursor

    for url, order, key in (
        ("/v1/organizations", "slug", [5]),
        ("/v1/organizations", "slug", [None]),
        ("/v1/categories", "tree", ["first", "x"]),
        ("/v1/sources", "id", [True]),
        ("/v1/countries", "code", [["US"]]),
    ):
        cursor = encode_cursor(order, key)
        assert_problem(await client.get(url, params={"cursor": cursor}), 400, "cursor")


async def test_odd_but_valid_inputs_answer_without_error(client: httpx.AsyncClient) -> None:
    for params in (
        {"q": "联合国 UN \u041e\u041e\u041d"},
        {"q": "\t\n"},
        {"q": "x" * 200},
        {"q": "\\"},
        {"member": "US", "as_of": "0001-01-01"},
        {"member": "US", "as_of": "9999-12-31"},
    ):
        response = await client.get("/v1/organizations", params=params)
        assert response.status_code == 200, (params, response.text)
    assert_problem(
        await client.get("/v1/organizations", params={"page_size": "ten"}), 400, "page_size"
    )
    long_id = "x" * 5000
    assert_problem(await client.get(f"/v1/organizations/{long_id}"), 404)


async def test_unacceptable_accept_headers_get_406(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.get("/v1/organizations", headers={"Accept": "application/xml"}), 406
    )
    assert_problem(await client.get("/v1/countries/US", headers={"Accept": "text/csv"}), 406)
    for accept in ("application/json", "*/*", "application/*", "text/html, application/json;q=0.5"):
        response = await client.get("/v1/organizations/who", headers={"Accept": accept})
        assert response.status_code == 200, accept
    assert (
        await client.get("/v1/export/organizations", headers={"Accept": "text/csv"})
    ).status_code == 200


async def test_every_json_answer_links_its_description(client: httpx.AsyncClient) -> None:
    for url in ("/v1/organizations/who", "/v1/meta", "/v1/organizations?page_size=1"):
        assert 'rel="describedby"' in (await client.get(url)).headers["link"], url


async def test_head_answers_as_get_without_the_body(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/v1/organizations/ipcc", "/v1/organizations?page_size=2"):
        got = await client.get(path)
        head = await client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        for header in ("etag", "content-type", "content-length"):
            assert head.headers.get(header) == got.headers.get(header), (path, header)
    missing = await client.head("/v1/organizations/no-such-org")
    assert missing.status_code == 404 and missing.content == b""
    assert (await client.head("/v1/keys")).status_code == 401  # a GET route needing a key
