"""Timelines, changes between dates, upcoming changes (JSON and iCalendar), statistics."""

from __future__ import annotations

import datetime as dt
import itertools

import httpx
from icalendar import Calendar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.clock import today
from tests.api.helpers import assert_problem, walk


async def test_country_timeline_is_gap_free_with_events(client: httpx.AsyncClient) -> None:
    items = await walk(client, "/v1/countries/US/timeline", page_size=10)
    assert len({i["organization"]["slug"] for i in items}) == len(items)
    for item in items:
        periods = item["periods"]
        for before, after in itertools.pairwise(periods):
            assert before["valid_to"] == after["valid_from"]
        assert periods[-1]["valid_to"] is None
        placed = [e["id"] for p in periods for e in p["events"]] + [
            e["id"] for e in item["undated_events"]
        ]
        assert len(placed) == len(set(placed))
    unesco = next(i for i in items if i["organization"]["slug"] == "unesco")
    statuses = [p["status"] for p in unesco["periods"]]
    assert statuses[0] == "unknown" and "member" in statuses and statuses[-1] == "withdrawn"


async def test_timeline_starts_as_non_member_when_the_join_is_dated(
    client: httpx.AsyncClient,
) -> None:
    (who,) = (
        await client.get("/v1/countries/usa/timeline", params={"organization": "who"})
    ).json()["items"]
    first = who["periods"][0]
    assert first["status"] == "non_member" and first["valid_to"] == "1948-06-21"
    member = who["periods"][1]
    assert [e["type"] for e in member["events"]] == ["joined"]
    (unfccc,) = (
        await client.get("/v1/countries/US/timeline", params={"organization": "unfccc"})
    ).json()["items"]
    # the effect no source dates yet, and the undated list of parties that names the US
    assert sorted(e["type"] for e in unfccc["undated_events"]) == ["listed", "withdrawal_effective"]
    assert_problem(
        await client.get("/v1/countries/US/timeline", params={"organization": "nope"}),
        400,
        "organization",
    )
    assert_problem(await client.get("/v1/countries/XX/timeline"), 404)


async def test_organization_timeline(client: httpx.AsyncClient) -> None:
    items = await walk(client, "/v1/organizations/unesco/timeline", page_size=100)
    codes = [i["country"]["code"] for i in items]
    assert codes == sorted(codes) and {"IL", "NI", "US"} <= set(codes)  # by country
    assert_problem(await client.get("/v1/organizations/nope/timeline"), 404)


async def test_changes_between_two_dates(client: httpx.AsyncClient) -> None:
    changes = await walk(
        client,
        "/v1/countries/US/changes",
        **{"from": "2025-01-01", "to": "2026-12-31"},
        page_size=7,
    )
    keys = [(c["date"], c["organization"]["slug"]) for c in changes]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    assert all("2025-01-01" <= c["date"] <= "2026-12-31" for c in changes)
    who_exit = next(
        c for c in changes if c["organization"]["slug"] == "who" and c["to_status"] == "withdrawn"
    )
    assert who_exit["date"] == "2026-01-22" and who_exit["from_status"] == "withdrawal_pending"
    assert [e["type"] for e in who_exit["events"]] == ["withdrawal_effective"]
    memo_day = [c for c in changes if c["date"] == "2026-01-07"]
    assert len(memo_day) > 40 and all(c["to_status"] == "withdrawal_pending" for c in memo_day)
    joined = await walk(
        client, "/v1/countries/US/changes", **{"from": "1948-01-01", "to": "1948-12-31"}
    )
    assert [(c["organization"]["slug"], c["from_status"], c["to_status"]) for c in joined] == [
        ("who", "non_member", "member"),
        ("eclac", "unknown", "member"),  # joined in 1948, day not given
    ]


async def test_changes_bad_input(client: httpx.AsyncClient) -> None:
    url = "/v1/countries/US/changes"
    assert_problem(
        await client.get(url, params={"from": "2026-02-01", "to": "2026-01-01"}), 400, "from"
    )
    assert_problem(await client.get(url, params={"from": "01/02/2026"}), 400, "from")
    assert_problem(
        await client.get(url, params={"cursor": "eyJvIjoiZGF0ZSIsImsiOlsibm90LWEtZGF0ZSIsIngiXX0"}),
        400,
        "cursor",
    )


async def test_upcoming_known_and_unknown_dates(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = (await client.get("/v1/memberships/upcoming", params={"within_days": 3650})).json()
    assert body["today"] == today().isoformat()
    for change in body["scheduled"]:
        assert body["today"] < change["date"] <= body["until"]
    future = (
        await session.execute(
            text(
                "SELECT count(*) FROM status_periods WHERE lower(during) > current_date "
                "AND lower(during) <= current_date + 3650 AND valid_from_precision <> 'unknown'"
            )
        )
    ).scalar_one()
    assert len(body["scheduled"]) == future
    unfccc = next(u for u in body["unscheduled"] if u["organization"]["slug"] == "unfccc")
    assert unfccc["status"] == "withdrawal_pending" and unfccc["since"] == "2026-01-07"
    assert [e["type"] for e in unfccc["expected"]] == ["withdrawal_effective"]
    assert unfccc["expected"][0]["date"] is None
    scheduled_ids = {c["membership_id"] for c in body["scheduled"]}
    assert not scheduled_ids & {u["membership_id"] for u in body["unscheduled"]}


async def test_upcoming_unesco_exit_when_still_ahead(client: httpx.AsyncClient) -> None:
    if today() >= dt.date(2026, 12, 31):
        return  # the exit is no longer upcoming; covered by the changes test
    body = (await client.get("/v1/memberships/upcoming", params={"country": "us"})).json()
    unesco = next(c for c in body["scheduled"] if c["organization"]["slug"] == "unesco")
    assert unesco["date"] == "2026-12-31" and unesco["to_status"] == "withdrawn"


async def test_upcoming_as_icalendar(client: httpx.AsyncClient) -> None:
    json_body = (await client.get("/v1/memberships/upcoming")).json()
    for response in (
        await client.get("/v1/memberships/upcoming", headers={"Accept": "text/calendar"}),
        await client.get("/v1/memberships/upcoming.ics"),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        events = calendar.walk("VEVENT")
        day_precise = [c for c in json_body["scheduled"] if c["date_precision"] == "day"]
        assert len(events) == len(day_precise)
        for event, change in zip(events, day_precise, strict=True):
            assert event.decoded("dtstart").isoformat() == change["date"]
            assert change["membership_id"] in str(event["uid"])
        assert response.headers.get("etag")


async def test_upcoming_bad_input(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.get("/v1/memberships/upcoming", params={"within_days": 0}), 400, "within_days"
    )
    assert_problem(
        await client.get("/v1/memberships/upcoming", params={"within_days": 3651}),
        400,
        "within_days",
    )
    assert_problem(
        await client.get("/v1/memberships/upcoming", params={"country": "ZZ"}), 400, "country"
    )
    assert_problem(
        await client.get("/v1/memberships/upcoming", headers={"Accept": "application/xml"}), 406
    )
    ok = await client.get("/v1/memberships/upcoming", headers={"Accept": "text/html, */*;q=0.1"})
    assert ok.status_code == 200 and ok.headers["content-type"] == "application/json"


async def test_stats_say_66_organizations_31_un_35_non_un_16_on_climate(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    memo = (
        await session.execute(
            text("SELECT source_id FROM listings GROUP BY source_id ORDER BY count(*) DESC LIMIT 1")
        )
    ).scalar_one()
    stats = (
        await client.get(
            "/v1/stats/memberships",
            params={"country": "US", "as_of": "2026-01-08", "listed_in": memo},
        )
    ).json()
    assert stats["total"] == 66
    assert stats["by_system"] == {"un": 31, "non_un": 35}
    assert stats["by_category"]["climate-environment"] == 16
    assert sum(stats["by_status"].values()) == 66
    assert stats["by_status"]["withdrawal_pending"] > 40
    assert set(stats["by_status"]) <= {"withdrawal_pending", "non_member", "withdrawn", "unknown"}
    assert sum(c["count"] for c in stats["cells"]) == 66
    before = (
        await client.get(
            "/v1/stats/memberships",
            params={"country": "US", "as_of": "2026-01-06", "listed_in": memo},
        )
    ).json()
    assert "withdrawal_pending" not in before["by_status"]


async def test_stats_bad_input(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/stats/memberships"), 400, "country")
    assert_problem(
        await client.get("/v1/stats/memberships", params={"country": "QQ"}), 400, "country"
    )
    assert_problem(
        await client.get("/v1/stats/memberships", params={"country": "US", "listed_in": "x"}),
        400,
        "listed_in",
    )
