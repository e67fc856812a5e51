"""Identifiers in other datasets: shown with who states them, looked up, exported, written;
and the Chinese short forms people search with."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest

from tests.api.helpers import assert_problem

Headers = dict[str, dict[str, str]]


async def test_an_organization_shows_its_wikidata_item_with_the_page_that_states_it(
    client: httpx.AsyncClient,
) -> None:
    who = (await client.get("/v1/organizations/who")).json()
    (item,) = [i for i in who["identifiers"] if i["scheme"] == "wikidata"]
    assert item["value"].startswith("Q") and item["value"][1:].isdigit()
    assert item["verification"] == "unconfirmed" and "wikidata.org" in item["note"]
    assert item["source"]["url"].startswith("https://github.com/")


async def test_lookup_by_identifier(client: httpx.AsyncClient) -> None:
    who = (await client.get("/v1/organizations/who")).json()
    (item,) = [i for i in who["identifiers"] if i["scheme"] == "wikidata"]
    found = await client.get(
        "/v1/organizations", params={"identifier": f"wikidata:{item['value']}"}
    )
    assert [o["slug"] for o in found.json()["items"]] == ["who"]
    nothing = await client.get("/v1/organizations", params={"identifier": "wikidata:Q0"})
    assert nothing.status_code == 200 and nothing.json()["items"] == []
    assert_problem(await client.get("/v1/organizations", params={"identifier": "Q7"}), 400)
    both = await client.get(
        "/v1/organizations", params={"identifier": f"wikidata:{item['value']}", "system": "non_un"}
    )
    assert both.json()["items"] == [], "filters combine"


@pytest.mark.parametrize("form", ["ndjson", "csv"])
async def test_exports_carry_identifiers(client: httpx.AsyncClient, form: str) -> None:
    body = (await client.get("/v1/export/organizations", params={"format": form})).text
    if form == "ndjson":
        rows = {row["slug"]: row for row in map(json.loads, body.splitlines())}
        schemes = {i["scheme"] for i in rows["who"]["identifiers"]}
        assert "wikidata" in schemes
        assert all(i["source"] for i in rows["who"]["identifiers"])
    else:
        rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body))}
        assert "wikidata:Q" in rows["who"]["identifiers"]


async def test_write_an_identifier_with_its_source(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    source = await client.post(
        "/v1/sources",
        json={"publisher": "Example registry", "kind": "reference_work"},
        headers=auth["write"],
    )
    body = {
        "slug": "identified-forum",
        "system": "non_un",
        "kind": "forum_partnership",
        "names": [
            {"lang": "en", "type": "official", "value": "Identified Forum", "preferred": True}
        ],
        "categories": [],
        "identifiers": [
            {
                "scheme": "example",
                "value": "X-1",
                "verification": "confirmed",
                "source": source.json()["id"],
            }
        ],
    }
    created = await client.post("/v1/organizations", json=body, headers=auth["write"])
    assert created.status_code == 201, created.text
    (identifier,) = created.json()["identifiers"]
    assert identifier["verification"] == "confirmed"
    assert identifier["source"]["id"] == source.json()["id"]
    read = (await client.get(created.headers["location"])).json()
    assert read["identifiers"] == created.json()["identifiers"]
    unknown = {
        **body,
        "slug": "other-forum",
        "identifiers": [{"scheme": "example", "value": "X-2", "source": "src_nope"}],
    }
    refused = await client.post("/v1/organizations", json=unknown, headers=auth["write"])
    assert_problem(refused, 422)
    assert "identifiers" in refused.json()["errors"][0]["name"]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("世卫", "who"),
        ("世卫组织", "who"),
        ("人居署", "un-habitat"),
        ("贸发会议", "unctad"),
        ("伊核协议", "jcpoa"),
        ("近東救濟工程處", "unrwa"),
    ],
)
async def test_chinese_short_forms_find_their_organization(
    client: httpx.AsyncClient, query: str, slug: str
) -> None:
    found = (await client.get("/v1/organizations", params={"q": query, "page_size": 3})).json()
    assert found["items"] and found["items"][0]["slug"] == slug, found["items"][:3]
    alias = [
        n
        for n in (await client.get(f"/v1/organizations/{slug}")).json()["names"]
        if n["type"] == "alias" and n["lang"].startswith("zh") and n["sources"]
    ]
    assert alias, "the short form is an alias citing its page"
