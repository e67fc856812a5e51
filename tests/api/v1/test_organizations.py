"""GET /v1/organizations, /v1/organizations/{id}, /v1/organizations/{id}/memberships."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.helpers import assert_problem, walk


async def ids_where(session: AsyncSession, sql: str) -> list[str]:
    return list((await session.execute(text(sql))).scalars())


async def test_walking_all_pages_returns_every_organization_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    items = await walk(client, "/v1/organizations", page_size=7)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(await ids_where(session, "SELECT id FROM organizations"))
    assert [i["slug"] for i in items] == sorted(i["slug"] for i in items)


async def test_walk_by_name_descending_is_complete_and_ordered(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    items = await walk(client, "/v1/organizations", page_size=9, sort="-name")
    assert len({i["id"] for i in items}) == len(
        await ids_where(session, "SELECT id FROM organizations")
    )
    names = [i["name"].lower() for i in items]
    assert names == sorted(names, reverse=True)


async def test_walk_survives_inserts_between_pages(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first = (await client.get("/v1/organizations", params={"page_size": 10})).json()
    await session.execute(
        text(
            "INSERT INTO organizations (id, slug, system, kind, founded_precision) "
            "VALUES ('org_test_aaa', 'aaa-before-cursor', 'un', 'programme_fund', 'unknown'), "
            "       ('org_test_zzz', 'zzz-after-cursor', 'un', 'programme_fund', 'unknown')"
        )
    )
    rest = await walk(client, "/v1/organizations", page_size=10, cursor=first["next_cursor"])
    seen = [i["slug"] for i in first["items"] + rest]
    assert len(seen) == len(set(seen))
    assert "zzz-after-cursor" in seen and "aaa-before-cursor" not in seen


async def test_q_matches_names_and_acronyms_in_any_language(client: httpx.AsyncClient) -> None:
    for q, slug in (
        ("unfccc", "unfccc"),
        ("Climate Change", "unfccc"),
        ("气候变化", "unfccc"),
        ("國際棉花", "icac"),
        ("IPGH", "paigh"),
        ("venice", "venice-commission"),
    ):
        body = (await client.get("/v1/organizations", params={"q": q})).json()
        assert slug in [i["slug"] for i in body["items"]], q


async def test_q_takes_like_and_sql_metacharacters_literally(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    assert (await client.get("/v1/organizations", params={"q": "%"})).json()["items"] == []
    assert (await client.get("/v1/organizations", params={"q": "_"})).json()["items"] == []
    before = len(await ids_where(session, "SELECT id FROM organizations"))
    response = await client.get(
        "/v1/organizations", params={"q": "'; DROP TABLE organizations; --"}
    )
    assert response.status_code == 200
    assert len(await ids_where(session, "SELECT id FROM organizations")) == before
    slugs = [
        i["slug"]
        for i in (await client.get("/v1/organizations", params={"q": "24/7"})).json()["items"]
    ]
    assert slugs[0] == "24-7-cfe"


async def test_filters_by_system_category_and_kind(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    un = await walk(client, "/v1/organizations", system="un", page_size=100)
    assert {i["system"] for i in un} == {"un"}
    assert len(un) == len(
        await ids_where(session, "SELECT id FROM organizations WHERE system = 'un'")
    )

    climate = await walk(client, "/v1/organizations", category="climate-environment", page_size=100)
    assert all("climate-environment" in [c["slug"] for c in i["categories"]] for i in climate)
    root = await walk(client, "/v1/organizations", category="environment-energy", page_size=100)
    assert {i["id"] for i in climate} < {i["id"] for i in root}

    commissions = await walk(client, "/v1/organizations", kind="regional_commission")
    assert sorted(i["slug"] for i in commissions) == ["eca", "eclac", "escap", "escwa"]
    assert len({i["parent_id"] for i in commissions}) == 1


async def test_member_status_as_of_filter(client: httpx.AsyncClient) -> None:
    before = await walk(
        client, "/v1/organizations", member="US", status="member", as_of="2026-01-06", page_size=100
    )
    after = await walk(
        client,
        "/v1/organizations",
        member="usa",
        status="member",
        as_of="2026-01-08",
        page_size=100,
    )
    pending = await walk(
        client,
        "/v1/organizations",
        member="us",
        status="withdrawal_pending",
        as_of="2026-01-08",
        page_size=100,
    )
    before_slugs = {i["slug"] for i in before}
    assert {"irena", "unfccc"} <= before_slugs
    assert "who" not in before_slugs  # its withdrawal was already pending
    assert not {"irena", "ipcc", "unfccc"} & {i["slug"] for i in after}
    assert {"irena", "ipcc", "unfccc", "unesco"} <= {i["slug"] for i in pending}
    # No record of the US in ECA or ESCWA: the registry says unknown, never non_member.
    unrecorded = await walk(
        client, "/v1/organizations", member="US", status="unknown", page_size=100
    )
    assert {"eca", "escwa"} <= {i["slug"] for i in unrecorded}
    never = await walk(client, "/v1/organizations", member="US", status="non_member", page_size=100)
    assert not {"eca", "escwa"} & {i["slug"] for i in never}


async def test_list_parameter_errors(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/organizations", params={"page_size": 0}), 400, "page_size")
    assert_problem(
        await client.get("/v1/organizations", params={"page_size": 501}), 400, "page_size"
    )
    assert_problem(await client.get("/v1/organizations", params={"system": "both"}), 400, "system")
    assert_problem(await client.get("/v1/organizations", params={"sort": "founded"}), 400, "sort")
    assert_problem(
        await client.get("/v1/organizations", params={"category": "nope"}), 400, "category"
    )
    assert_problem(await client.get("/v1/organizations", params={"member": "XX"}), 400, "member")
    assert_problem(
        await client.get("/v1/organizations", params={"member": "US", "status": "gone"}),
        400,
        "status",
    )
    assert_problem(
        await client.get("/v1/organizations", params={"status": "member"}), 400, "member"
    )
    assert_problem(
        await client.get("/v1/organizations", params={"member": "US", "as_of": "2026-13-01"}),
        400,
        "as_of",
    )
    assert_problem(await client.get("/v1/organizations", params={"q": ""}), 400, "q")
    assert_problem(await client.get("/v1/organizations", params={"q": "x" * 201}), 400, "q")
    assert_problem(await client.get("/v1/organizations", params={"colour": "blue"}), 400, "colour")


async def test_bad_cursors_are_rejected(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.get("/v1/organizations", params={"cursor": "not-a-cursor"}), 400, "cursor"
    )
    by_name = (
        await client.get("/v1/organizations", params={"sort": "name", "page_size": 2})
    ).json()["next_cursor"]
    body = assert_problem(
        await client.get("/v1/organizations", params={"cursor": by_name}), 400, "cursor"
    )
    assert "sort" in body["detail"]


async def test_one_organization_by_id_or_slug(client: httpx.AsyncClient) -> None:
    by_slug = await client.get("/v1/organizations/unfccc")
    assert by_slug.status_code == 200
    org = by_slug.json()
    by_id = await client.get(f"/v1/organizations/{org['id']}")
    assert by_id.json() == org
    assert org["system"] == "un" and org["kind"] == "treaty_agreement"
    assert org["name_zh"] == "联合国气候变化框架公约"
    langs = {n["lang"] for n in org["names"]}
    assert {"en", "zh-Hans"} <= langs
    assert all(n["sources"] for n in org["names"] if n["verification"] == "confirmed")
    assert org["founded"] == {"date": "1992-01-01", "precision": "year"}
    assert set(org["claims"]) == {"founded", "headquarters", "website"}
    (listing,) = org["listings"]
    assert listing["section"] == "2(b)" and listing["act"]["kind"] == "other"
    assert listing["sources"], "the listing cites a public confirmation"


async def test_parent_and_unconfirmed_facts_are_shown(client: httpx.AsyncClient) -> None:
    eclac = (await client.get("/v1/organizations/eclac")).json()
    assert eclac["parent"]["slug"] == "ecosoc"
    unfpa = (await client.get("/v1/organizations/unfpa")).json()
    assert unfpa["claims"]["founded"]["verification"] == "disputed"
    osrsg = (await client.get("/v1/organizations/osrsg-svc")).json()
    assert osrsg["claims"]["headquarters"]["verification"] == "unconfirmed"


async def test_unknown_organization_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/organizations/unfcc"), 404)
    assert_problem(await client.get("/v1/organizations/unfcc/memberships"), 404)


async def test_organization_memberships_as_of(client: httpx.AsyncClient) -> None:
    url = "/v1/organizations/who/memberships"

    async def status(as_of: str) -> str:
        items = await walk(client, url, as_of=as_of, page_size=100)
        (item,) = [i for i in items if i["country"]["code"] == "US"]
        return str(item["status"])

    assert await status("2020-01-01") == "member"
    assert await status("2020-12-01") == "withdrawal_pending"
    assert await status("2021-06-01") == "member"
    assert await status("2026-02-01") == "withdrawn"
    assert await status("1947-01-01") == "non_member"
    members = await walk(client, url, as_of="2026-02-01", status="member", page_size=100)
    assert members and "US" not in {i["country"]["code"] for i in members}
    assert all(i["status"] == "member" for i in members)
