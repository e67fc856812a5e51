"""Statistics over many pairs: members per organization on a date, exits per year and state.

Expected numbers are counted again here straight from the tables or from other endpoints, so a
wrong join or a wrong date rule in the statistics shows up as a mismatch."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.helpers import assert_problem, walk

PAIRS_BY_STATUS_ON = text(
    """
    SELECT coalesce(p.status, 'unknown'), count(*)
    FROM memberships m JOIN organizations o ON o.id = m.organization_id
    LEFT JOIN status_periods p ON p.membership_id = m.id AND p.during @> CAST(:day AS date)
    WHERE o.slug = :slug GROUP BY 1
    """
)


async def test_members_per_organization_on_a_date(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = (
        await client.get(
            "/v1/stats/organizations", params={"organization": "who,unesco", "as_of": "2027-01-01"}
        )
    ).json()
    assert [i["organization"]["slug"] for i in body["items"]] == ["unesco", "who"]
    for item in body["items"]:
        slug = item["organization"]["slug"]
        assert item["as_of"] == "2027-01-01"
        expected = dict(
            (
                await session.execute(
                    PAIRS_BY_STATUS_ON, {"day": dt.date(2027, 1, 1), "slug": slug}
                )
            ).all()
        )
        assert item["by_status"] == expected
        members = await walk(
            client,
            f"/v1/organizations/{slug}/memberships",
            as_of="2027-01-01",
            status="member,withdrawal_pending,suspended",
            page_size=100,
        )
        assert item["members"] == len(members)
    unesco = body["items"][0]
    assert unesco["by_status"].get("withdrawn", 0) >= 1  # the US leaves on 2026-12-31


async def test_organization_stats_pages_and_filters(client: httpx.AsyncClient) -> None:
    every = await walk(client, "/v1/stats/organizations", system="un", page_size=7)
    slugs = [i["organization"]["slug"] for i in every]
    assert slugs == sorted(slugs) and len(slugs) == len(set(slugs)) > 7
    listed = await walk(client, "/v1/organizations", system="un", page_size=100)
    assert set(slugs) == {o["slug"] for o in listed}


async def test_exits_per_year_and_state(client: httpx.AsyncClient, session: AsyncSession) -> None:
    body = (await client.get("/v1/stats/exits", params={"from": 2015, "to": 2027})).json()
    assert [y["year"] for y in body["years"]] == list(range(2015, 2028))
    rows = (
        await session.execute(
            text(
                "SELECT extract(year FROM e.date)::int, e.date <= CAST(:today AS date), count(*) "
                "FROM status_periods p JOIN membership_events e ON e.id = p.evidence_event_id "
                "WHERE p.status = 'withdrawn' AND e.date_precision <> 'unknown' "
                "AND extract(year FROM e.date) BETWEEN 2015 AND 2027 GROUP BY 1, 2"
            ),
            {"today": dt.date.fromisoformat(body["today"])},
        )
    ).all()
    effective = Counter({year: n for year, past, n in rows if past})
    scheduled = Counter({year: n for year, past, n in rows if not past})
    assert {y["year"]: (y["effective"], y["scheduled"]) for y in body["years"]} == {
        year: (effective[year], scheduled[year]) for year in range(2015, 2028)
    }
    assert sum(effective.values()) > 5
    ranking = [(c["effective"], c["scheduled"], c["begun"]) for c in body["countries"]]
    assert ranking == sorted(ranking, key=lambda r: (-r[0], -r[1], -r[2]))
    assert body["countries"][0]["country"]["code"] == "US"
    assert sum(c["effective"] for c in body["countries"]) == sum(effective.values())
    us_only = (
        await client.get("/v1/stats/exits", params={"from": 2015, "to": 2027, "country": "usa"})
    ).json()
    assert [c["country"]["code"] for c in us_only["countries"]] == ["US"]
    assert us_only["countries"][0] == body["countries"][0]
    unesco = (
        await client.get("/v1/stats/exits", params={"organization": "unesco", "from": 2026})
    ).json()
    assert {c["country"]["code"] for c in unesco["countries"]} >= {"US"}
    assert all(c["organizations"] == ["unesco"] for c in unesco["countries"])


async def test_stats_reject_bad_input(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.get("/v1/stats/exits", params={"from": 2020, "to": 2019}), 400, "to"
    )
    assert_problem(await client.get("/v1/stats/exits", params={"from": 1700}), 400, "from")
    assert_problem(await client.get("/v1/stats/exits", params={"country": "QQ"}), 400, "country")
    assert_problem(
        await client.get("/v1/stats/exits", params={"organization": "nope"}), 400, "organization"
    )
    assert_problem(
        await client.get("/v1/stats/organizations", params={"organization": ","}),
        400,
        "organization",
    )
    assert_problem(
        await client.get("/v1/stats/organizations", params={"as_of": "2026-02-30"}), 400, "as_of"
    )


async def test_member_lists_behind_the_counts(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """Each list says which day it speaks for, how many states it names (counted again from
    the events that point to it), and its source."""
    body = (await client.get("/v1/stats/organizations", params={"organization": "who,un"})).json()
    for item in body["items"]:
        assert item["member_lists"], item["organization"]["slug"]
        for listed in item["member_lists"]:
            named = (
                await session.execute(
                    text(
                        "SELECT count(*) FROM membership_events "
                        "WHERE member_list_id = :id AND type = 'listed'"
                    ),
                    {"id": listed["id"]},
                )
            ).scalar_one()
            assert listed["states"] == named > 0
            assert listed["source"]["url"].startswith("http")
            assert (listed["observed_on"] is None) == (listed["observed_precision"] == "unknown")
    who = next(i for i in body["items"] if i["organization"]["slug"] == "who")
    dated = [m for m in who["member_lists"] if m["observed_on"]]
    assert dated and all(m["observed_on"] <= "2026-12-01" for m in dated)
