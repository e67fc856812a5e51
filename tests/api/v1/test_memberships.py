"""GET /v1/memberships/{id}: periods and events with their sources."""

from __future__ import annotations

import itertools

import httpx

from tests.api.helpers import assert_problem, walk


async def membership_id(client: httpx.AsyncClient, slug: str) -> str:
    """The United States' membership in `slug` (other states may have one too)."""
    items = await walk(client, f"/v1/organizations/{slug}/memberships", page_size=100)
    (item,) = [i for i in items if i["country"]["code"] == "US"]
    return str(item["id"])


async def test_unesco_history(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"/v1/memberships/{await membership_id(client, 'unesco')}")).json()
    assert body["country"]["code"] == "US" and body["organization"]["slug"] == "unesco"
    statuses = [p["status"] for p in body["periods"]]
    assert statuses == [
        "unknown",  # no recorded join: nothing says when the tie began
        "withdrawal_pending",
        "withdrawn",
        "member",
        "suspended",
        "withdrawal_pending",
        "withdrawn",
        "member",
        "withdrawal_pending",
        "withdrawn",
    ]
    first, notified, left_1984 = body["periods"][:3]
    assert first["valid_from"] is None and first["unknown_reason"] == "no_evidence"
    assert notified["valid_from"] == "1983-12-28"
    assert left_1984["valid_from"] == "1984-12-31" and left_1984["valid_from_precision"] == "day"
    assert body["periods"][-1] == {
        "status": "withdrawn",
        "valid_from": "2026-12-31",
        "valid_from_precision": "day",
        "valid_to": None,
        "valid_to_precision": None,
        "evidence_event": body["events"][-1]["id"],
        "unknown_reason": None,
        "source": None,
    }
    assert all(e["sources"] for e in body["events"])
    dates = [e["date"] for e in body["events"]]
    assert dates == sorted(dates)


async def test_periods_chain_without_gaps(client: httpx.AsyncClient) -> None:
    for slug in ("who", "paris-agreement", "unhrc", "unrwa", "inf-treaty", "venice-commission"):
        periods = (await client.get(f"/v1/memberships/{await membership_id(client, slug)}")).json()[
            "periods"
        ]
        for before, after in itertools.pairwise(periods):
            assert before["valid_to"] == after["valid_from"], slug


async def test_unknown_effective_date_stays_unknown(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"/v1/memberships/{await membership_id(client, 'unfccc')}")).json()
    assert body["periods"][-1]["status"] == "withdrawal_pending"
    assert body["periods"][-1]["valid_to"] is None
    effective = [e for e in body["events"] if e["type"] == "withdrawal_effective"]
    assert effective == [effective[0]] and effective[0]["date"] is None
    assert (
        effective[0]["date_precision"] == "unknown"
        and effective[0]["verification"] == "unconfirmed"
    )
    dated = [e["date"] is not None for e in body["events"]]
    assert dated == sorted(dated, reverse=True), "unknown dates sort last"
    assert effective[0] in body["events"][dated.count(True) :]


async def test_status_today_follows_the_periods(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"/v1/memberships/{await membership_id(client, 'who')}")).json()
    assert body["status_today"] == "withdrawn"


async def test_unknown_membership_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/memberships/mem_doesnotexist"), 404)
