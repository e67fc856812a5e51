"""Streamed exports (NDJSON, CSV), the data version and /v1/meta."""

from __future__ import annotations

import csv
import io
import json

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.helpers import assert_problem, walk


async def count(session: AsyncSession, table: str) -> int:
    return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def test_organizations_as_ndjson(client: httpx.AsyncClient, session: AsyncSession) -> None:
    response = await client.get("/v1/export/organizations")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == await count(session, "organizations")
    unfccc = next(r for r in records if r["slug"] == "unfccc")
    assert any(n["value"] == "联合国气候变化框架公约" and n["sources"] for n in unfccc["names"])
    assert unfccc["categories"][0] == {"slug": "climate-environment", "primary": True}
    version = response.headers["x-data-version"]
    assert (
        version in response.headers["content-disposition"] and version in response.headers["etag"]
    )


async def test_memberships_as_ndjson_and_csv(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ndjson = await client.get("/v1/export/memberships", headers={"Accept": "application/x-ndjson"})
    records = [json.loads(line) for line in ndjson.text.splitlines()]
    assert len(records) == await count(session, "memberships")
    assert sum(len(r["periods"]) for r in records) == await count(session, "status_periods")
    assert all(e["sources"] for r in records for e in r["events"])
    as_csv = await client.get("/v1/export/memberships", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == await count(session, "status_periods")
    assert {"membership_id", "country", "status", "valid_from", "valid_to"} <= set(rows[0])
    # unknown is exported as what it is, with its reason, like every other status
    unknown = [r for r in rows if r["status"] == "unknown"]
    assert unknown and all(r["unknown_reason"] for r in unknown)
    assert all(not r["unknown_reason"] for r in rows if r["status"] != "unknown")
    periods = [p for r in records for p in r["periods"]]
    assert all((p["status"] == "unknown") == (p["unknown_reason"] is not None) for p in periods)


async def test_organizations_as_csv_by_accept(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    response = await client.get("/v1/export/organizations", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == await count(session, "organizations")
    assert next(r for r in rows if r["slug"] == "icac")["name_zh"] == "国际棉花咨询委员会"


async def test_export_conditional_get_and_bad_formats(client: httpx.AsyncClient) -> None:
    first = await client.get("/v1/export/organizations")
    again = await client.get(
        "/v1/export/organizations", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    assert_problem(
        await client.get("/v1/export/organizations", params={"format": "xml"}), 400, "format"
    )
    assert_problem(
        await client.get("/v1/export/memberships", headers={"Accept": "application/pdf"}), 406
    )


async def test_data_version_changes_with_the_data(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    before = await client.get("/v1/meta")
    version = int(before.headers["x-data-version"])
    assert before.json()["data_version"] == version
    await session.execute(text("UPDATE organizations SET website = website WHERE slug = 'who'"))
    after = await client.get("/v1/organizations/who")
    assert int(after.headers["x-data-version"]) > version


async def test_every_v1_answer_carries_the_data_version(client: httpx.AsyncClient) -> None:
    for url in ("/v1/organizations", "/v1/countries/US", "/v1/organizations/nope", "/v1/meta"):
        assert (await client.get(url)).headers["x-data-version"].isdigit(), url


async def test_meta(client: httpx.AsyncClient, session: AsyncSession) -> None:
    body = (await client.get("/v1/meta")).json()
    assert body["api_version"] == "v1"
    assert body["counts"]["organizations"] == await count(session, "organizations")
    assert body["counts"]["countries"] == await count(session, "countries")
    assert body["license"]["id"] and body["license"]["url"].startswith("https://")
    assert body["last_updated"]


async def test_status_on_a_date_agrees_with_the_list_endpoint(client: httpx.AsyncClient) -> None:
    """The export of one organization's pairs on a date says what its memberships list says,
    pair by pair, and names the URLs of the sources behind each known status."""
    day = "2027-01-01"
    response = await client.get(
        "/v1/export/status", params={"organization": "unesco", "as_of": day, "format": "csv"}
    )
    assert response.status_code == 200, response.text
    assert day in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    listed = {
        m["country"]["code"]: m
        for m in await walk(client, "/v1/organizations/unesco/memberships", as_of=day)
    }
    assert {r["country"]: r["status"] for r in rows} == {
        code: m["status"] for code, m in listed.items()
    }
    assert all(r["as_of"] == day and r["organization_slug"] == "unesco" for r in rows)
    us = next(r for r in rows if r["country"] == "US")
    assert us["status"] == "withdrawn" and us["evidence_type"] == "withdrawal_effective"
    assert us["source_urls"].startswith("http")
    assert all(r["unknown_reason"] for r in rows if r["status"] == "unknown")

    ndjson = await client.get("/v1/export/status", params={"organization": "unesco", "as_of": day})
    records = [json.loads(line) for line in ndjson.text.splitlines()]
    assert [(r["country"], r["status"]) for r in records] == [
        (r["country"], r["status"]) for r in rows
    ]
    assert next(r for r in records if r["country"] == "US")["sources"] == us["source_urls"].split()


async def test_status_export_covers_every_pair_and_rejects_bad_input(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    everything = await client.get("/v1/export/status", params={"as_of": "1990-06-01"})
    assert len(everything.text.splitlines()) == await count(session, "memberships")
    assert_problem(await client.get("/v1/export/status", params={"organization": "nope"}), 400)
    assert_problem(await client.get("/v1/export/status", params={"as_of": "yesterday"}), 400)
