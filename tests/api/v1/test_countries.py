"""GET /v1/countries, /v1/countries/{code}, /v1/countries/{code}/memberships."""

from __future__ import annotations

import httpx
import pycountry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.helpers import assert_problem, walk


async def test_all_iso_countries_once(client: httpx.AsyncClient) -> None:
    items = await walk(client, "/v1/countries", page_size=60, historical="false")
    iso = [c["code"] for c in items if c["cow_ccode"] is None]
    assert iso == sorted(c.alpha_2 for c in pycountry.countries)
    # Kosovo: the one current state the COW data covers under a user-assigned code
    assert [(c["code"], c["cow_ccode"]) for c in items if c["cow_ccode"]] == [("XK", 347)]


async def test_former_countries_carry_iso_3166_3_codes_and_dates(
    client: httpx.AsyncClient,
) -> None:
    former = await walk(client, "/v1/countries", page_size=60, historical="true")
    by_code = {c["code"]: c for c in former}
    historic = {c.alpha_4: c for c in pycountry.historic_countries}
    assert {"SUHH", "DDDE", "CSHH", "YUCS"} <= set(by_code)
    for code, country in by_code.items():
        assert country["historical"] is True
        assert country["valid_from"] < country["valid_to"]
        if country["cow_ccode"] is None:
            assert country["alpha3"] == historic[code].alpha_3
        else:  # a state with no ISO code: user-assigned XA-XZ, dated by COW's state list
            assert code.startswith("X") and country["alpha3"].startswith("X")
    assert by_code["DDDE"]["valid_to"] == "1990-10-03"
    assert by_code["XV"]["name_en"] == "Republic of Vietnam"
    assert (by_code["XV"]["valid_from"], by_code["XV"]["valid_to"]) == ("1954-06-04", "1975-04-30")
    everything = await walk(client, "/v1/countries", page_size=100)
    assert len(everything) == len(pycountry.countries) + len(former) + 1  # + Kosovo
    by_alpha3 = (await client.get("/v1/countries/sun")).json()
    assert by_alpha3["code"] == "SUHH" and by_alpha3["name_en"].startswith("Union of Soviet")


async def test_country_by_alpha2_or_alpha3_in_any_case(client: httpx.AsyncClient) -> None:
    bodies = [
        (await client.get(f"/v1/countries/{code}")).json() for code in ("US", "us", "USA", "uSa")
    ]
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["alpha3"] == "USA" and bodies[0]["numeric"] == "840"
    assert bodies[0]["name_zh_hans"] == "美国" and bodies[0]["name_zh_hant"] == "美國"


async def test_country_search(client: httpx.AsyncClient) -> None:
    codes = [
        c["code"] for c in (await client.get("/v1/countries", params={"q": "德国"})).json()["items"]
    ]
    assert codes == ["DE"]
    codes = [
        c["code"] for c in (await client.get("/v1/countries", params={"q": "fra"})).json()["items"]
    ]
    assert "FR" in codes


async def test_unknown_country_is_404(client: httpx.AsyncClient) -> None:
    for code in ("XX", "ZZZ", "U", "USAA", "1"):
        assert_problem(await client.get(f"/v1/countries/{code}"), 404)
        assert_problem(await client.get(f"/v1/countries/{code}/memberships"), 404)


async def test_us_memberships_on_a_date_with_evidence(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    items = await walk(client, "/v1/countries/usa/memberships", as_of="2026-01-06", page_size=20)
    expected = (
        await session.execute(text("SELECT count(*) FROM memberships WHERE country_code = 'US'"))
    ).scalar_one()
    assert len(items) == expected
    by_slug = {i["organization"]["slug"]: i for i in items}
    assert by_slug["irena"]["status"] == "member"
    unesco = by_slug["unesco"]
    assert unesco["status"] == "withdrawal_pending"
    assert (
        unesco["period"]["valid_from"] == "2025-07-22"
        and unesco["period"]["valid_to"] == "2026-12-31"
    )
    assert unesco["evidence"]["type"] == "withdrawal_announced"
    assert unesco["evidence"]["sources"][0]["url"].startswith("https://")
    for item in items:
        if item["status"] not in ("non_member", "unknown"):
            assert item["evidence"] and item["evidence"]["sources"], item["organization"]["slug"]


async def test_memberships_after_the_memorandum(client: httpx.AsyncClient) -> None:
    items = await walk(
        client,
        "/v1/countries/US/memberships",
        as_of="2026-01-08",
        system="non_un",
        status="withdrawal_pending",
        page_size=100,
    )
    assert len(items) > 30
    assert all(i["status"] == "withdrawal_pending" for i in items)
    assert {i["organization"]["slug"] for i in items} >= {
        "irena",
        "ipcc",
        "iucn",
        "international-idea",
        "gctf",
    }
    climate = await walk(
        client, "/v1/countries/US/memberships", as_of="2026-01-08", category="climate-environment"
    )
    assert {i["organization"]["slug"] for i in climate} >= {"unfccc", "ipcc", "irena"}


async def test_memberships_errors(client: httpx.AsyncClient) -> None:
    url = "/v1/countries/US/memberships"
    assert_problem(await client.get(url, params={"as_of": "yesterday"}), 400, "as_of")
    assert_problem(await client.get(url, params={"status": "member,exited"}), 400, "status")
    assert_problem(await client.get(url, params={"category": "space"}), 400, "category")
    assert_problem(await client.get(url, params={"system": "UN"}), 400, "system")
    assert_problem(await client.get(url, params={"organization": "who"}), 400, "organization")


async def test_dates_must_be_written_in_full(client: httpx.AsyncClient) -> None:
    for params in ({"as_of": "0"}, {"as_of": "1700000000"}, {"as_of": "2026-1-7"}):
        assert_problem(
            await client.get("/v1/countries/US/memberships", params=params), 400, "as_of"
        )
    assert_problem(await client.get("/v1/countries/US/changes", params={"to": "0"}), 400, "to")
    assert_problem(
        await client.get("/v1/countries/US/changes", params={"from": "20260101"}), 400, "from"
    )
