"""Ranked, multilingual, typo-tolerant search; autocomplete; batch lookup; facets."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.helpers import assert_problem, walk

FRAKTUR_UNFCCC = "\U0001d532\U0001d52b\U0001d523\U0001d520\U0001d520\U0001d520"


async def search(client: httpx.AsyncClient, q: str, **params: str | int) -> list[dict]:  # type: ignore[type-arg]
    response = await client.get("/v1/organizations", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def slugs(client: httpx.AsyncClient, q: str) -> list[str]:
    return [item["slug"] for item in await search(client, q)]


async def test_typos_and_partial_acronyms(client: httpx.AsyncClient) -> None:
    assert (await slugs(client, "unfcc"))[0] == "unfccc"
    assert (await slugs(client, "unesko"))[0] == "unesco"
    assert (await slugs(client, "renewable enrgy"))[:2] == ["irena", "ren21"]
    assert (await slugs(client, "idea"))[0] == "international-idea"


async def test_exact_acronym_ranks_before_prefix_and_text_matches(
    client: httpx.AsyncClient,
) -> None:
    found = await slugs(client, "ICAC")
    assert found[0] == "icac"
    nato = await slugs(client, "NATO")
    assert nato[:2] == ["nato", "nato-pa"]
    climate = await search(client, "Climate Change")
    assert {"ipcc", "unfccc"} <= {i["slug"] for i in climate}


async def test_simplified_and_traditional_chinese_find_the_same(client: httpx.AsyncClient) -> None:
    simplified = await slugs(client, "气候")
    assert {"ipcc", "unfccc", "gcf"} <= set(simplified)
    assert await slugs(client, "氣候") == simplified
    assert (await slugs(client, "國際棉花諮詢委員會"))[0] == "icac"
    assert (await slugs(client, "国际棉花咨询委员会"))[0] == "icac"
    assert "un-women" in await slugs(client, "妇女")


async def test_punctuation_and_spacing_do_not_matter(client: httpx.AsyncClient) -> None:
    for q in ("UN-Habitat", "un habitat", "unhabitat", "UN  HABITAT"):
        assert (await slugs(client, q))[0] == "un-habitat", q


async def test_matched_name_says_why(client: httpx.AsyncClient) -> None:
    (first, *_) = await search(client, "氣候變化框架")
    assert first["slug"] == "unfccc" and "气候变化框架" in first["matched_name"]


async def test_ranked_walk_returns_each_match_once(client: httpx.AsyncClient) -> None:
    everything = await walk(client, "/v1/organizations", q="un", page_size=3)
    ids = [i["id"] for i in everything]
    assert len(ids) == len(set(ids)) and len(ids) > 10
    single_page = await search(client, "un", page_size=500)
    assert [i["id"] for i in single_page] == ids


async def test_search_combines_with_filters(client: httpx.AsyncClient) -> None:
    non_un = await search(client, "climate", system="non_un")
    assert non_un and {i["system"] for i in non_un} == {"non_un"}
    by_name = await search(client, "climate", sort="name")
    assert [i["name"].lower() for i in by_name] == sorted(i["name"].lower() for i in by_name)


async def test_search_bad_input(client: httpx.AsyncClient) -> None:
    assert await slugs(client, "!!!") == []
    assert await slugs(client, "zzzzqqqq") == []
    assert_problem(await client.get("/v1/organizations", params={"q": "x" * 201}), 400, "q")
    assert_problem(await client.get("/v1/organizations", params={"sort": "relevance"}), 400, "sort")
    for odd in (
        "\u200b\u200b",
        FRAKTUR_UNFCCC,
        "ünfççç",
        "\\\\%",
        "' OR 1=1 --",
        "联合国 UN \u041e\u041e\u041d",
    ):
        response = await client.get("/v1/organizations", params={"q": odd})
        assert response.status_code == 200, odd
    assert (await slugs(client, FRAKTUR_UNFCCC))[0] == "unfccc", "NFKC folds mathematical letters"


async def test_autocomplete(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/organizations/autocomplete", params={"q": "unes"})).json()
    assert body["items"][0]["slug"] == "unesco"
    assert set(body["items"][0]) == {"id", "slug", "name", "acronym", "matched_name"}
    limited = (
        await client.get("/v1/organizations/autocomplete", params={"q": "un", "limit": 3})
    ).json()
    assert len(limited["items"]) == 3
    chinese = (await client.get("/v1/organizations/autocomplete", params={"q": "聯合國"})).json()
    assert chinese["items"] and all("联合国" in i["matched_name"] for i in chinese["items"])
    assert_problem(await client.get("/v1/organizations/autocomplete"), 400, "q")
    assert_problem(
        await client.get("/v1/organizations/autocomplete", params={"q": "un", "limit": 21}),
        400,
        "limit",
    )


async def test_batch_lookup_by_ids_and_slugs(client: httpx.AsyncClient) -> None:
    who = (await client.get("/v1/organizations/who")).json()
    body = (
        await client.get("/v1/organizations", params={"ids": f"{who['id']},unfccc,nope,unfccc"})
    ).json()
    assert sorted(i["slug"] for i in body["items"]) == ["unfccc", "who"]
    assert body["missing"] == ["nope"]
    too_many = ",".join(f"x{i}" for i in range(501))
    assert_problem(await client.get("/v1/organizations", params={"ids": too_many}), 400, "ids")
    assert_problem(await client.get("/v1/organizations", params={"ids": " , "}), 400, "ids")


async def test_facets_count_the_whole_filter(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = (
        await client.get(
            "/v1/organizations",
            params={
                "facets": "category,system,status",
                "member": "US",
                "as_of": "2026-01-08",
                "status": "withdrawal_pending",
                "page_size": 1,
            },
        )
    ).json()
    assert len(body["items"]) == 1
    systems = {f["value"]: f["count"] for f in body["facets"]["system"]}
    statuses = {f["value"]: f["count"] for f in body["facets"]["status"]}
    assert statuses == {"withdrawal_pending": sum(systems.values())}
    pending = (
        await session.execute(
            text(
                "SELECT count(*) FROM status_periods p JOIN memberships m "
                "ON m.id = p.membership_id WHERE m.country_code = 'US' "
                "AND p.during @> date '2026-01-08' AND p.status = 'withdrawal_pending'"
            )
        )
    ).scalar_one()
    assert sum(systems.values()) == pending
    assert_problem(
        await client.get("/v1/organizations", params={"facets": "status"}), 400, "facets"
    )
    assert_problem(
        await client.get("/v1/organizations", params={"facets": "colour"}), 400, "facets"
    )


async def test_listed_in_filter(client: httpx.AsyncClient, session: AsyncSession) -> None:
    memo = (
        await session.execute(
            text("SELECT source_id FROM listings GROUP BY source_id ORDER BY count(*) DESC LIMIT 1")
        )
    ).scalar_one()
    listed = await walk(client, "/v1/organizations", listed_in=memo, page_size=100)
    assert len(listed) == 66
    assert_problem(
        await client.get("/v1/organizations", params={"listed_in": "src_nope"}), 400, "listed_in"
    )
