"""Contributions: the seeded figures, filters, curated writes (rules, If-Match, tombstones,
revisions), the change feed, webhooks, the data version, statistics joined with membership, and
exports. Each test runs in its own rolled-back transaction, except the webhook test, which
commits in a database of its own."""

from __future__ import annotations

import asyncio
import calendar
import csv
import datetime as dt
import io
import json
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.services import webhook_delivery
from tests.api.helpers import assert_problem, walk
from tests.receiver import running_receiver

Headers = dict[str, dict[str, str]]
SEED = Path(__file__).resolve().parents[3] / "seed" / "contributions_2026_12_01.csv"
URL = "/v1/contributions"


def seed_rows() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def bound(value: str, *, end: bool) -> str | None:
    """A seed period cell as the day it means: the first day of a year or month for a start,
    the last for an end."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts).isoformat()
    year, month = parts[0], parts[1] if len(parts) == 2 else (12 if end else 1)
    day = calendar.monthrange(year, month)[1] if end else 1
    return dt.date(year, month, day).isoformat()


def number(value: str) -> float | None:
    return float(Decimal(value)) if value else None


def key_of_row(row: dict[str, str]) -> tuple[str, str, str | None, str, str | None]:
    return (
        row["country"],
        row["recipient"],
        row["organization"] or None,
        row["kind"],
        row["period_label"] or None,
    )


def key_of_item(item: dict[str, Any]) -> tuple[str, str, str | None, str, str | None]:
    organization = item["organization"]["slug"] if item["organization"] else None
    return (
        item["country"]["code"],
        item["recipient"],
        organization,
        item["kind"],
        item["period_label"],
    )


async def source_ids(client: httpx.AsyncClient, n: int = 2) -> list[str]:
    items = (await client.get("/v1/sources", params={"page_size": n})).json()["items"]
    assert len(items) == n
    return [s["id"] for s in items]


def new_contribution(cited: list[str], /, **change: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "country": "AQ",
        "organization": "who",
        "kind": "voluntary_earmarked",
        "period_start": "2024",
        "period_end": "2025-06",
        "period_type": "calendar",
        "period_label": "2024 to mid-2025 (test)",
        "amount": 1250000.5,
        "currency": "EUR",
        "sources": cited,
    }
    body.update(change)
    return {k: v for k, v in body.items() if v is not ...}


async def create(
    client: httpx.AsyncClient, auth: Headers, body: dict[str, Any], **headers: str
) -> httpx.Response:
    response = await client.post(URL, json=body, headers={**auth["write"], **headers})
    assert response.status_code == 201, response.text
    return response


async def live_count(session: AsyncSession) -> int:
    found = await session.execute(
        text("SELECT count(*) FROM contributions WHERE deleted_at IS NULL")
    )
    return int(found.scalar_one())


# Reads


async def test_the_seeded_figures_are_served_with_their_sources(
    client: httpx.AsyncClient,
) -> None:
    rows = seed_rows()
    items = await walk(client, URL, page_size=500)
    served = {key_of_item(i): i for i in items}
    assert len(served) == len(items), "one figure per key"
    assert {key_of_row(r) for r in rows} <= set(served)
    for row in rows:
        item = served[key_of_row(row)]
        assert item["period_start"] == bound(row["period_start"], end=False), row
        assert item["period_end"] == bound(row["period_end"], end=True), row
        assert item["period_type"] == (row["period_type"] or None)
        assert item["amount"] == number(row["amount"])
        assert item["currency"] == (row["currency"] or None)
        assert item["amount_qualifier"] == (row["amount_qualifier"] or None)
        assert item["share"] == number(row["share"])
        assert item["share_qualifier"] == (row["share_qualifier"] or None)
        assert item["verification"] == row["verification"]
        assert item["note"] == (row["note"] or None)
        assert sorted(s["id"] for s in item["sources"]) == sorted(row["sources"].split(";"))
        assert all(s["title"] and s["publisher"] for s in item["sources"]), item["sources"]
        one = await client.get(f"{URL}/{item['id']}")
        assert one.status_code == 200 and one.json() == item
        assert one.headers["etag"]
        assert (
            await client.get(f"{URL}/{item['id']}", headers={"If-None-Match": one.headers["etag"]})
        ).status_code == 304


def _overlaps(row: dict[str, str], year: int) -> bool:
    start, end = bound(row["period_start"], end=False), bound(row["period_end"], end=True)
    return (
        start is not None
        and end is not None
        and start <= f"{year}-12-31"
        and end >= f"{year}-01-01"
    )


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"country": "US"}, lambda r: r["country"] == "US"),
        ({"country": "usa"}, lambda r: r["country"] == "US"),
        ({"organization": "who"}, lambda r: r["organization"] == "who"),
        ({"year": "2023"}, lambda r: _overlaps(r, 2023)),
        ({"year": "2022"}, lambda r: _overlaps(r, 2022)),
        ({"year": "2025"}, lambda r: _overlaps(r, 2025)),
        ({"kind": "assessed"}, lambda r: r["kind"] == "assessed"),
        ({"recipient": "un_system"}, lambda r: r["recipient"] == "un_system"),
        (
            {"recipient": "organization", "kind": "total"},
            lambda r: r["recipient"] == "organization" and r["kind"] == "total",
        ),
        ({"country": "FR"}, lambda r: r["country"] == "FR"),
    ],
)
async def test_filters_keep_what_the_seed_says(
    client: httpx.AsyncClient, params: dict[str, str], keep: Callable[[dict[str, str]], bool]
) -> None:
    expected = {key_of_row(r) for r in seed_rows() if keep(r)}
    items = await walk(client, URL, page_size=2, **params)
    assert {key_of_item(i) for i in items} == expected
    assert len(items) == len(expected)


async def test_the_year_filter_overlaps_the_fiscal_year(client: httpx.AsyncClient) -> None:
    """FY2023 runs from October 2022: a 2022 query finds it, a 2021 one does not."""
    fiscal = [r for r in seed_rows() if r["period_type"] == "fiscal"]
    assert fiscal
    in_2022 = {key_of_item(i) for i in await walk(client, URL, year="2022")}
    in_2021 = {key_of_item(i) for i in await walk(client, URL, year="2021")}
    assert all(key_of_row(r) in in_2022 for r in fiscal)
    assert not any(key_of_row(r) in in_2021 for r in fiscal)


async def test_pagination_walks_every_live_contribution_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    items = await walk(client, URL, page_size=1)
    ids = [i["id"] for i in items]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) == await live_count(session)
    first = await client.get(URL, params={"page_size": 2})
    assert len(first.json()["items"]) == 2 and first.json()["next_cursor"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"kind": "gift"}, "kind"),
        ({"recipient": "everyone"}, "recipient"),
        ({"year": "twenty"}, "year"),
        ({"year": "1500"}, "year"),
        ({"country": "ZZ"}, "country"),
        ({"organization": "no-such-organization"}, "organization"),
        ({"colour": "blue"}, "colour"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
async def test_bad_filters_are_problems(
    client: httpx.AsyncClient, params: dict[str, str], name: str
) -> None:
    response = await client.get(URL, params=params)
    assert response.status_code in (400, 422), response.text
    assert_problem(response, response.status_code, name)


async def test_unknown_and_deleted_ids(client: httpx.AsyncClient, auth: Headers) -> None:
    assert_problem(await client.get(f"{URL}/ctb_nosuchthing"), 404)
    assert_problem(await client.get(f"{URL}/ctb_nosuchthing/revisions"), 404)
    created = await create(client, auth, new_contribution(await source_ids(client)))
    url = created.headers["location"]
    gone = await client.delete(url, headers={**auth["write"], "If-Match": created.headers["etag"]})
    assert gone.status_code == 204
    assert_problem(await client.get(url), 410)
    assert_problem(
        await client.patch(url, json={"note": "x"}, headers={**auth["write"], "If-Match": "*"}),
        410,
    )
    assert (await client.get(f"{url}/revisions")).status_code == 200


# Writes


async def test_create_then_read_back(client: httpx.AsyncClient, auth: Headers) -> None:
    sources = await source_ids(client)
    created = await create(client, auth, new_contribution(sources), **{"X-Change-Reason": "test"})
    body = created.json()
    assert created.headers["location"] == f"{URL}/{body['id']}" and body["id"].startswith("ctb_")
    assert body["country"]["code"] == "AQ" and body["organization"]["slug"] == "who"
    assert (body["period_start"], body["period_end"]) == ("2024-01-01", "2025-06-30")
    assert body["amount"] == 1250000.5 and body["currency"] == "EUR"
    assert body["amount_qualifier"] == "exact", "an amount without a qualifier is exact"
    assert body["share"] is None and body["share_qualifier"] is None
    assert body["verification"] == "unconfirmed" and body["revision"] == 1
    assert sorted(s["id"] for s in body["sources"]) == sorted(sources)
    read = await client.get(created.headers["location"])
    assert read.json() == body and read.headers["etag"] == created.headers["etag"]
    listed = await walk(client, URL, country="AQ")
    assert [i["id"] for i in listed] == [body["id"]]


async def test_a_whole_as_recipient_and_a_share_only_figure(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    sources = await source_ids(client, 1)
    body = new_contribution(
        sources,
        recipient="un_system",
        organization=...,
        amount=...,
        currency=...,
        period_start="2023-02",
        period_end="2023-02",
        share=0.125,
        share_qualifier="about",
    )
    made = (await create(client, auth, body)).json()
    assert made["organization"] is None and made["recipient"] == "un_system"
    assert (made["period_start"], made["period_end"]) == ("2023-02-01", "2023-02-28")
    assert made["share"] == 0.125 and made["share_qualifier"] == "about"
    assert made["amount"] is None and made["amount_qualifier"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"organization": ...}, "organization"),
        ({"recipient": "un_system"}, "organization"),
        ({"recipient": "all_international_organizations"}, "organization"),
        ({"period_end": ...}, "period_end"),
        ({"period_start": ...}, "period_start"),
        ({"period_start": "2025", "period_end": "2024"}, "period_end"),
        ({"period_start": "2024-13"}, "period_start"),
        ({"currency": ...}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "usd"}, "currency"),
        ({"amount": -1}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"share": 1.5}, "share"),
        ({"share": -0.1}, "share"),
        ({"amount": ..., "currency": ...}, "amount"),
        ({"amount": ..., "currency": "USD"}, "currency"),
        ({"share_qualifier": "about"}, "share_qualifier"),
        ({"sources": ["src_no_such_source"]}, "sources"),
        ({"sources": []}, "sources"),
        ({"sources": ...}, "sources"),
        ({"country": "ZZ"}, "country"),
        ({"country": ...}, "country"),
        ({"organization": "no-such-organization"}, "organization"),
        ({"kind": "gift"}, "kind"),
        ({"kind": ...}, "kind"),
        ({"amount_qualifier": "roughly"}, "amount_qualifier"),
        ({"period_type": "lunar"}, "period_type"),
        ({"verification": "sure"}, "verification"),
        ({"colour": "blue"}, "colour"),
    ],
)
async def test_invalid_bodies_name_the_field(
    client: httpx.AsyncClient, auth: Headers, change: dict[str, Any], field: str
) -> None:
    body = new_contribution(await source_ids(client, 1), **change)
    response = await client.post(URL, json=body, headers=auth["write"])
    problem = assert_problem(response, 422)
    assert any(e["name"].split(".")[0] == field for e in problem["errors"]), problem
    assert response.headers["content-type"] == "application/problem+json"


async def test_writes_need_a_write_key(client: httpx.AsyncClient, auth: Headers) -> None:
    body = new_contribution(await source_ids(client, 1))
    assert_problem(await client.post(URL, json=body), 401)
    assert_problem(await client.post(URL, json=body, headers=auth["read"]), 403)
    assert (await client.get(URL, params={"country": "AQ"})).json()["items"] == []


async def test_patch_needs_a_current_if_match_and_merges(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    first, second = await source_ids(client)
    created = await create(client, auth, new_contribution([first], note="First reading."))
    url, etag = created.headers["location"], created.headers["etag"]
    patch = {"amount": 1300000}
    assert_problem(await client.patch(url, json=patch, headers=auth["write"]), 428)
    assert_problem(
        await client.patch(url, json=patch, headers={**auth["write"], "If-Match": '"stale"'}), 412
    )
    changed = await client.patch(
        url,
        content=json.dumps(
            {"amount": 1300000, "amount_qualifier": "over", "note": None, "sources": [second]}
        ),
        headers={
            **auth["write"],
            "If-Match": etag,
            "Content-Type": "application/merge-patch+json",
        },
    )
    assert changed.status_code == 200, changed.text
    after = changed.json()
    before = created.json()
    assert after["amount"] == 1300000 and after["amount_qualifier"] == "over"
    assert after["note"] is None, "null clears"
    assert [s["id"] for s in after["sources"]] == [second], "sources are replaced"
    untouched = ("country", "organization", "kind", "period_start", "period_end", "currency")
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    assert after["revision"] == 2 and changed.headers["etag"] != etag
    assert (await client.get(url)).headers["etag"] == changed.headers["etag"]
    assert_problem(
        await client.patch(url, json={"amount": 1}, headers={**auth["write"], "If-Match": etag}),
        412,
    )
    current = {**auth["write"], "If-Match": changed.headers["etag"]}
    for required in ("kind", "country", "recipient", "verification", "sources"):
        assert_problem(
            await client.patch(url, json={required: None}, headers=current), 422, required
        )
    # the rules hold on the row as it would be after the patch
    assert_problem(
        await client.patch(url, json={"recipient": "un_system"}, headers=current),
        422,
        "organization",
    )
    assert_problem(await client.patch(url, json={"period_start": None}, headers=current), 422)
    assert_problem(
        await client.patch(url, json={"period_end": "2023"}, headers=current), 422, "period_end"
    )
    assert_problem(
        await client.patch(url, json={"currency": "XYZ"}, headers=current), 422, "currency"
    )
    assert_problem(
        await client.patch(url, json={"amount": None, "currency": None}, headers=current), 422
    )
    assert (await client.get(url)).json() == after, "refused patches change nothing"
    moved = await client.patch(
        url, json={"recipient": "un_system", "organization": None}, headers=current
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["organization"] is None and moved.json()["recipient"] == "un_system"


async def test_a_share_only_figure_can_gain_an_amount(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    created = await create(
        client,
        auth,
        new_contribution(await source_ids(client, 1), amount=..., currency=..., share=0.3),
    )
    patched = await client.patch(
        created.headers["location"],
        json={"amount": 5000, "currency": "CHF", "share": None, "share_qualifier": None},
        headers={**auth["write"], "If-Match": created.headers["etag"]},
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["amount"], body["currency"], body["amount_qualifier"]) == (5000, "CHF", "exact")
    assert body["share"] is None and body["share_qualifier"] is None


async def test_delete_leaves_a_tombstone_and_the_history(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    created = await create(client, auth, new_contribution(await source_ids(client)))
    url, etag = created.headers["location"], created.headers["etag"]
    patched = await client.patch(
        url,
        json={"verification": "confirmed"},
        headers={**auth["write"], "If-Match": etag, "X-Change-Reason": "Checked the report"},
    )
    assert patched.status_code == 200, patched.text
    assert_problem(await client.delete(url, headers=auth["write"]), 428)
    assert_problem(await client.delete(url, headers={**auth["write"], "If-Match": etag}), 412)
    deleted = await client.delete(
        url, headers={**auth["write"], "If-Match": patched.headers["etag"]}
    )
    assert deleted.status_code == 204
    assert_problem(await client.get(url), 410)
    assert_problem(
        await client.delete(url, headers={**auth["write"], "If-Match": patched.headers["etag"]}),
        410,
    )
    assert created.json()["id"] not in {i["id"] for i in await walk(client, URL, page_size=500)}
    revisions = await walk(client, f"{url}/revisions", page_size=1)
    assert [r["action"] for r in revisions] == ["created", "updated", "deleted"]
    assert [r["revision"] for r in revisions] == [1, 2, 3]
    assert revisions[1]["reason"] == "Checked the report" and revisions[1]["actor"] == "test-write"
    assert revisions[1]["diff"] == {"verification": {"old": "unconfirmed", "new": "confirmed"}}
    made, gone = revisions[0]["diff"], revisions[2]["diff"]
    assert made["sources"]["new"] and made["amount"]["new"]
    # the created revision records what a read back gives, field for field
    expected = {k: v["new"] for k, v in made.items()}
    expected["verification"] = "confirmed"
    assert expected == {k: v["old"] for k, v in gone.items()}


async def test_the_change_feed_and_the_data_version_follow_writes(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    start = (await client.get("/v1/changes")).json()["poll_cursor"]
    version = int((await client.get("/v1/meta")).headers["x-data-version"])
    created = await create(client, auth, new_contribution(await source_ids(client, 1)))
    assert int(created.headers["x-data-version"]) > version
    after_create = int((await client.get("/v1/meta")).headers["x-data-version"])
    assert after_create > version
    url = created.headers["location"]
    patched = await client.patch(
        url,
        json={"note": "Corrected."},
        headers={**auth["write"], "If-Match": created.headers["etag"]},
    )
    assert int((await client.get(url)).headers["x-data-version"]) > after_create
    await client.delete(url, headers={**auth["write"], "If-Match": patched.headers["etag"]})
    changes = (
        await walk(client, "/v1/changes", cursor=start, page_size=2)
        if start
        else await walk(client, "/v1/changes", page_size=500)
    )
    mine = [
        (c["resource_type"], c["action"], c["revision"])
        for c in changes
        if c["resource_id"] == created.json()["id"]
    ]
    assert mine == [
        ("contribution", "created", 1),
        ("contribution", "updated", 2),
        ("contribution", "deleted", 3),
    ]


async def test_merging_an_organization_moves_its_contributions(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    made = await client.post(
        "/v1/organizations",
        json={
            "slug": "test-fund-for-merging",
            "system": "non_un",
            "kind": "forum_partnership",
            "names": [{"lang": "en", "type": "official", "value": "Test Fund", "preferred": True}],
            "categories": [],
        },
        headers=auth["write"],
    )
    assert made.status_code == 201, made.text
    created = await create(
        client,
        auth,
        new_contribution(await source_ids(client, 1), organization="test-fund-for-merging"),
    )
    merged = await client.post(
        "/v1/organizations/test-fund-for-merging/merge", json={"into": "who"}, headers=auth["write"]
    )
    assert merged.status_code == 200, merged.text
    moved = (await client.get(created.headers["location"])).json()
    assert moved["organization"]["slug"] == "who" and moved["revision"] == 2


# Webhooks (committed: the delivery worker reads the outbox from another transaction)


async def test_a_contribution_webhook_is_delivered(
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
    committed_engine: AsyncEngine,
    settings_env: Callable[..., None],
) -> None:
    settings_env(webhook_allowed_hosts='["127.0.0.1"]', webhook_backoff_seconds="0.05")
    client, admin = committed_api
    source = (
        await client.post("/v1/sources", json={"publisher": "P", "kind": "news"}, headers=admin)
    ).json()["id"]
    with running_receiver() as receiver:
        hook = await client.post(
            "/v1/webhooks",
            json={"url": receiver.url, "event_types": ["contribution.created"], "country": "BV"},
            headers=admin,
        )
        assert hook.status_code == 201, hook.text
        created = await client.post(
            URL, json=new_contribution([source], country="BV"), headers=admin
        )
        assert created.status_code == 201, created.text
        other = await client.post(URL, json=new_contribution([source], country="HM"), headers=admin)
        assert other.status_code == 201, other.text  # another country: not delivered
        deadline = time.monotonic() + 15
        async with webhook_delivery.new_client() as http:
            while not receiver.received:
                assert time.monotonic() < deadline, "no delivery arrived"
                if not await webhook_delivery.deliver_due(committed_engine, http):
                    await asyncio.sleep(0.02)
            while await webhook_delivery.deliver_due(committed_engine, http):
                pass
    payloads = [json.loads(r.body) for r in receiver.received]
    assert [p["type"] for p in payloads] == ["contribution.created"]
    data = payloads[0]["data"]
    assert data["resource_type"] == "contribution" and data["resource_id"] == created.json()["id"]
    assert (
        data["country"] == "BV" and data["organization_id"] == created.json()["organization"]["id"]
    )
    for response in (created, other):
        gone = await client.delete(
            response.headers["location"], headers={**admin, "If-Match": response.headers["etag"]}
        )
        assert gone.status_code == 204
    assert (
        await client.delete(f"/v1/webhooks/{hook.json()['id']}", headers=admin)
    ).status_code == 204


# Statistics


async def memorandum(client: httpx.AsyncClient) -> str:
    listings = (await client.get("/v1/organizations/unfccc")).json()["listings"]
    return str(listings[0]["act"]["id"])


def check_consistent(stats: dict[str, Any], country: str) -> None:
    organizations = stats["organizations"]
    with_figures = [o for o in organizations if o["contributions"]]
    assert stats["organizations_total"] == len(organizations)
    assert stats["with_figures"] == len(with_figures)
    assert stats["without_figures"] == len(organizations) - len(with_figures)
    slugs = [o["organization"]["slug"] for o in organizations]
    assert slugs == sorted(slugs) and len(set(slugs)) == len(slugs)
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in organizations:
        for figure in entry["contributions"]:
            assert figure["country"]["code"] == country
            assert figure["organization"]["id"] == entry["organization"]["id"]
            if figure["amount"] is not None:
                sums[(figure["currency"], figure["kind"])] += Decimal(str(figure["amount"]))
    totals = {(t["currency"], t["kind"]): Decimal(str(t["amount"])) for t in stats["amount_totals"]}
    assert totals == dict(sums)
    assert all("share" not in t for t in stats["amount_totals"]), "shares are never summed"
    assert all(o["recipient"] != "organization" for o in stats["other_recipients"])


def seed_figures_for(slug: str) -> set[tuple[str, str, str | None, str, str | None]]:
    return {key_of_row(r) for r in seed_rows() if r["organization"] == slug}


async def test_stats_for_the_memorandum_list(client: httpx.AsyncClient) -> None:
    act = await memorandum(client)
    stats_response = await client.get(
        "/v1/stats/contributions", params={"country": "US", "listed_in": act, "as_of": "2026-01-08"}
    )
    assert stats_response.status_code == 200, stats_response.text
    stats = stats_response.json()
    check_consistent(stats, "US")
    assert stats["listed_in"] == act and stats["statuses"] is None
    listed = {
        o["slug"] for o in await walk(client, "/v1/organizations", listed_in=act, page_size=500)
    }
    assert {o["organization"]["slug"] for o in stats["organizations"]} == listed
    assert stats["organizations_total"] == len(listed) > 0
    for slug in ("who", "unesco", "iom"):
        entry = next((o for o in stats["organizations"] if o["organization"]["slug"] == slug), None)
        assert (entry is not None) == (slug in listed), slug
        if entry is not None:
            assert {key_of_item(f) for f in entry["contributions"]} == seed_figures_for(slug)
    others = {key_of_item(f) for f in stats["other_recipients"]}
    assert others == {
        key_of_row(r) for r in seed_rows() if r["country"] == "US" and not r["organization"]
    }


@pytest.mark.parametrize(
    ("statuses", "as_of"),
    [
        ("withdrawal_pending,withdrawn", "2026-06-01"),
        ("withdrawal_pending", "2026-01-08"),
        ("member", "2024-06-01"),
    ],
)
async def test_stats_by_status_agree_with_the_memberships(
    client: httpx.AsyncClient, statuses: str, as_of: str
) -> None:
    response = await client.get(
        "/v1/stats/contributions", params={"country": "US", "status": statuses, "as_of": as_of}
    )
    assert response.status_code == 200, response.text
    stats = response.json()
    check_consistent(stats, "US")
    assert stats["statuses"] == statuses.split(",") and stats["as_of"] == as_of
    wanted = set(statuses.split(","))
    memberships = await walk(client, "/v1/countries/US/memberships", as_of=as_of, page_size=500)
    status_of = {m["organization"]["slug"]: m["status"] for m in memberships}
    expected = {slug for slug, status in status_of.items() if status in wanted}
    kept = {o["organization"]["slug"]: o for o in stats["organizations"]}
    assert set(kept) == expected
    assert all(o["status"] == status_of[slug] for slug, o in kept.items())
    for slug in ("who", "unesco", "iom"):
        qualifies = status_of.get(slug) in wanted
        assert (slug in kept) == qualifies, (slug, status_of.get(slug))
        if qualifies:
            assert {key_of_item(f) for f in kept[slug]["contributions"]} == seed_figures_for(slug)
    # the WHO's amounts, where it is kept, are summed per currency and kind
    if "who" in kept:
        who_rows = [r for r in seed_rows() if r["organization"] == "who" and r["amount"]]
        totals = {(t["currency"], t["kind"]): t for t in stats["amount_totals"]}
        for row in who_rows:
            total = totals[(row["currency"], row["kind"])]
            assert total["amount"] >= float(row["amount"])
            assert row["amount_qualifier"] in total["qualifiers"]


async def test_stats_for_unknown_include_organizations_with_no_record(
    client: httpx.AsyncClient,
) -> None:
    """The US has no membership recorded in the IOM: its status there is unknown, and the
    IOM figure is listed under that status."""
    as_of = "2026-01-08"
    stats = (
        await client.get(
            "/v1/stats/contributions", params={"country": "US", "status": "unknown", "as_of": as_of}
        )
    ).json()
    check_consistent(stats, "US")
    memberships = await walk(client, "/v1/countries/US/memberships", as_of=as_of, page_size=500)
    status_of = {m["organization"]["slug"]: m["status"] for m in memberships}
    organizations = await walk(client, "/v1/organizations", page_size=500)
    expected = {
        o["slug"] for o in organizations if status_of.get(o["slug"], "unknown") == "unknown"
    }
    kept = {o["organization"]["slug"]: o for o in stats["organizations"]}
    assert set(kept) == expected
    assert "iom" not in status_of and "iom" in kept
    assert {key_of_item(f) for f in kept["iom"]["contributions"]} == seed_figures_for("iom")
    assert "who" not in kept and "unesco" not in kept


async def test_stats_at_the_year_who_and_unesco_are_both_kept(client: httpx.AsyncClient) -> None:
    """On 2026-01-08 the US had announced its exit from both: their amounts are added per
    currency and kind, their shares are not added at all."""
    memberships = await walk(
        client, "/v1/countries/US/memberships", as_of="2026-01-08", page_size=500
    )
    status_of = {m["organization"]["slug"]: m["status"] for m in memberships}
    statuses = sorted({status_of["who"], status_of["unesco"]})
    stats = (
        await client.get(
            "/v1/stats/contributions",
            params={"country": "US", "status": ",".join(statuses), "as_of": "2026-01-08"},
        )
    ).json()
    check_consistent(stats, "US")
    kept = {o["organization"]["slug"] for o in stats["organizations"]}
    assert {"who", "unesco"} <= kept
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in seed_rows():
        if row["country"] == "US" and row["organization"] in kept and row["amount"]:
            expected[(row["currency"], row["kind"])] += Decimal(row["amount"])
    assert {
        (t["currency"], t["kind"]): Decimal(str(t["amount"])) for t in stats["amount_totals"]
    } == dict(expected)


async def test_stats_default_to_every_tie_and_refuse_bad_input(client: httpx.AsyncClient) -> None:
    stats = (await client.get("/v1/stats/contributions", params={"country": "US"})).json()
    check_consistent(stats, "US")
    assert stats["statuses"] and "withdrawn" not in stats["statuses"]
    assert "member" in stats["statuses"]
    nothing = (await client.get("/v1/stats/contributions", params={"country": "AQ"})).json()
    assert nothing["organizations_total"] == 0 and nothing["amount_totals"] == []
    assert_problem(await client.get("/v1/stats/contributions"), 400, "country")
    assert_problem(
        await client.get("/v1/stats/contributions", params={"country": "ZZ"}), 400, "country"
    )
    assert_problem(
        await client.get("/v1/stats/contributions", params={"country": "US", "status": "rich"}),
        400,
        "status",
    )
    assert_problem(
        await client.get(
            "/v1/stats/contributions", params={"country": "US", "listed_in": "src_nothing"}
        ),
        400,
        "listed_in",
    )
    assert_problem(
        await client.get("/v1/stats/contributions", params={"country": "US", "as_of": "soon"}),
        400,
        "as_of",
    )


# Exports


async def test_export_ndjson_and_csv_hold_every_live_contribution(
    client: httpx.AsyncClient, session: AsyncSession, auth: Headers
) -> None:
    created = await create(client, auth, new_contribution(await source_ids(client)))
    seeded = (await walk(client, URL, recipient="un_system"))[0]
    one = await client.get(f"{URL}/{seeded['id']}")
    deleted = await client.delete(
        f"{URL}/{seeded['id']}", headers={**auth["write"], "If-Match": one.headers["etag"]}
    )
    assert deleted.status_code == 204
    live = await live_count(session)

    ndjson = await client.get("/v1/export/contributions")
    assert ndjson.status_code == 200, ndjson.text
    assert ndjson.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in ndjson.text.splitlines()]
    assert len(records) == live
    ids = {r["id"] for r in records}
    assert created.json()["id"] in ids and seeded["id"] not in ids
    assert all(r["sources"] and all(s["id"] for s in r["sources"]) for r in records)
    by_id = {r["id"]: r for r in records}
    for item in await walk(client, URL, page_size=500):
        record = by_id[item["id"]]
        assert {s["id"] for s in record["sources"]} == {s["id"] for s in item["sources"]}
        assert record["organization_slug"] == (item["organization"] or {}).get("slug")
        assert record["period_start"] == item["period_start"]

    as_csv = await client.get("/v1/export/contributions", params={"format": "csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == live and {r["id"] for r in rows} == ids
    assert all(r["sources"] for r in rows)
    for row in rows:
        record = by_id[row["id"]]
        assert row["sources"].split(";") == [s["id"] for s in record["sources"]]
        assert row["source_urls"].split() == [s["url"] for s in record["sources"] if s["url"]]
    assert (
        await client.get("/v1/export/contributions", headers={"Accept": "text/csv"})
    ).text == as_csv.text
