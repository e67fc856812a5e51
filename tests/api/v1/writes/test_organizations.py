"""Writing organizations: create, merge-patch with If-Match, delete (410), merge (308), history."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.api.helpers import assert_problem, walk

Headers = dict[str, dict[str, str]]


def new_org(slug: str = "test-org", **extra: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "system": "non_un",
        "kind": "forum_partnership",
        "founded": "2020-03",
        "website": "https://example.org",
        "names": [
            {
                "lang": "en",
                "type": "official",
                "value": "Test Forum for Registry Checks",
                "preferred": True,
            },
            {"lang": "zh-Hant", "type": "alias", "value": "測試論壇"},
        ],
        "categories": [{"slug": "peace-security", "primary": True}],
        **extra,
    }


async def create(client: httpx.AsyncClient, auth: Headers, **extra: Any) -> httpx.Response:
    response = await client.post("/v1/organizations", json=new_org(**extra), headers=auth["write"])
    assert response.status_code == 201, response.text
    return response


async def test_create_then_read_back(client: httpx.AsyncClient, auth: Headers) -> None:
    created = await create(client, auth)
    body = created.json()
    assert created.headers["location"] == f"/v1/organizations/{body['id']}"
    assert body["founded"] == {"date": "2020-03-01", "precision": "month"}
    read = await client.get(created.headers["location"])
    assert read.json() == body
    assert read.headers["etag"] == created.headers["etag"], "the write answers the ETag a GET gives"
    found = (await client.get("/v1/organizations", params={"q": "测试论坛"})).json()["items"]
    assert [i["slug"] for i in found] == ["test-org"], "names are folded for search when written"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Not A Slug"}, "slug"),
        ({"website": "ftp://example.org"}, "website"),
        (
            {"names": [{"lang": "xx-!!", "type": "official", "value": "A", "preferred": True}]},
            "lang",
        ),
        ({"colour": "blue"}, "colour"),
        ({"categories": [{"slug": "space", "primary": True}]}, "categories.0.slug"),
        ({"categories": [{"slug": "energy"}]}, "categories"),
        (
            {"names": [{"lang": "fr", "type": "official", "value": "Forum", "preferred": True}]},
            "names",
        ),
        ({"parent": "no-such-org"}, "parent"),
        ({"founded": "2020-13"}, "founded"),
    ],
)
async def test_invalid_bodies_name_the_field(
    client: httpx.AsyncClient, auth: Headers, change: dict[str, Any], field: str
) -> None:
    response = await client.post("/v1/organizations", json=new_org(**change), headers=auth["write"])
    body = assert_problem(response, 422)
    assert any(field in e["name"] for e in body["errors"]), body


async def test_body_format_errors(client: httpx.AsyncClient, auth: Headers) -> None:
    url = "/v1/organizations"
    assert_problem(
        await client.post(
            url, content=b"{not json", headers={**auth["write"], "Content-Type": "application/json"}
        ),
        400,
    )
    assert_problem(
        await client.post(
            url,
            content=b"slug=x",
            headers={**auth["write"], "Content-Type": "application/x-www-form-urlencoded"},
        ),
        415,
    )
    big = b'{"slug": "' + b"x" * 2_000_000 + b'"}'
    assert_problem(
        await client.post(
            url, content=big, headers={**auth["write"], "Content-Type": "application/json"}
        ),
        413,
    )

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b" " * 65536

    assert_problem(
        await client.post(
            url, content=chunks(), headers={**auth["write"], "Content-Type": "application/json"}
        ),
        413,
    )


async def test_duplicate_slug_is_409(client: httpx.AsyncClient, auth: Headers) -> None:
    await create(client, auth)
    assert_problem(
        await client.post("/v1/organizations", json=new_org(), headers=auth["write"]), 409
    )


async def test_patch_needs_a_current_if_match(client: httpx.AsyncClient, auth: Headers) -> None:
    created = await create(client, auth)
    url = created.headers["location"]
    patch = {"headquarters": "Geneva, Switzerland"}
    assert_problem(await client.patch(url, json=patch, headers=auth["write"]), 428)
    assert_problem(
        await client.patch(url, json=patch, headers={**auth["write"], "If-Match": '"stale"'}), 412
    )
    weak = {**auth["write"], "If-Match": f"W/{created.headers['etag']}"}
    assert_problem(await client.patch(url, json=patch, headers=weak), 412)
    ok = await client.patch(
        url,
        content=b'{"headquarters": "Geneva, Switzerland", "website": null}',
        headers={
            **auth["write"],
            "If-Match": created.headers["etag"],
            "Content-Type": "application/merge-patch+json",
        },
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["headquarters"] == "Geneva, Switzerland" and ok.json()["website"] is None
    assert ok.json()["revision"] == 2 and ok.headers["etag"] != created.headers["etag"]
    assert (await client.get(url)).headers["etag"] == ok.headers["etag"]
    again = {**auth["write"], "If-Match": created.headers["etag"]}
    assert_problem(await client.patch(url, json={"headquarters": "Paris"}, headers=again), 412)
    cleared = {**auth["write"], "If-Match": ok.headers["etag"]}
    assert_problem(await client.patch(url, json={"slug": None}, headers=cleared), 422)


async def test_revisions_record_who_when_why_and_the_diff(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    created = await create(client, auth)
    url = created.headers["location"]
    await client.patch(
        url,
        json={"kind": "intergovernmental_organization"},
        headers={
            **auth["write"],
            "If-Match": created.headers["etag"],
            "X-Change-Reason": "Founding treaty in force",
        },
    )
    revisions = (await client.get(f"{url}/revisions")).json()["items"]
    assert [r["action"] for r in revisions] == ["created", "updated"]
    assert (
        revisions[1]["actor"] == "test-write"
        and revisions[1]["reason"] == "Founding treaty in force"
    )
    assert revisions[1]["diff"] == {
        "kind": {"old": "forum_partnership", "new": "intergovernmental_organization"}
    }
    assert revisions[1]["revision"] == 2


async def test_delete_leaves_a_tombstone(client: httpx.AsyncClient, auth: Headers) -> None:
    created = await create(client, auth)
    url = created.headers["location"]
    assert_problem(await client.delete(url, headers=auth["write"]), 428)
    gone = await client.delete(url, headers={**auth["write"], "If-Match": created.headers["etag"]})
    assert gone.status_code == 204
    assert_problem(await client.get(url), 410)
    assert_problem(await client.get("/v1/organizations/test-org/memberships"), 410)
    slugs = {i["slug"] for i in await walk(client, "/v1/organizations", page_size=500)}
    assert "test-org" not in slugs
    assert [r["action"] for r in (await client.get(f"{url}/revisions")).json()["items"]] == [
        "created",
        "deleted",
    ]


async def test_merge_redirects_the_old_id(client: httpx.AsyncClient, auth: Headers) -> None:
    old = (await create(client, auth, slug="old-forum")).json()
    survivor = (
        await create(
            client,
            auth,
            slug="new-forum",
            categories=[{"slug": "democracy-law-rights", "primary": True}],
        )
    ).json()
    membership = await client.post(
        "/v1/memberships",
        json={"country": "FR", "organization": "old-forum", "basis": "participant"},
        headers=auth["write"],
    )
    assert membership.status_code == 201
    merged = await client.post(
        "/v1/organizations/old-forum/merge", json={"into": "new-forum"}, headers=auth["write"]
    )
    assert merged.status_code == 200, merged.text
    assert {c["slug"] for c in merged.json()["categories"]} == {
        "democracy-law-rights",
        "peace-security",
    }
    moved = await client.get(f"/v1/organizations/{old['id']}/memberships?as_of=2026-01-01")
    assert moved.status_code == 308
    assert (
        moved.headers["location"]
        == f"/v1/organizations/{survivor['id']}/memberships?as_of=2026-01-01"
    )
    followed = (await client.get(moved.headers["location"])).json()["items"]
    assert [m["country"]["code"] for m in followed] == ["FR"]
    assert_problem(
        await client.post(
            "/v1/organizations/new-forum/merge", json={"into": "new-forum"}, headers=auth["write"]
        ),
        422,
    )


async def test_change_feed_sees_creation_deletion_and_merge(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    start = (await client.get("/v1/changes")).json()["poll_cursor"]
    a = await create(client, auth, slug="feed-a")
    await create(client, auth, slug="feed-b")
    await client.delete(
        a.headers["location"], headers={**auth["write"], "If-Match": a.headers["etag"]}
    )
    await client.post("/v1/organizations/feed-b/merge", json={"into": "who"}, headers=auth["write"])
    changes = (
        await walk(client, "/v1/changes", cursor=start, page_size=2)
        if start
        else await walk(client, "/v1/changes", page_size=2)
    )
    actions = [(c["resource_type"], c["action"]) for c in changes]
    assert actions[-5:] == [
        ("organization", "created"),
        ("organization", "created"),
        ("organization", "deleted"),
        ("organization", "merged"),
        ("organization", "updated"),
    ]
    ids = [c["id"] for c in changes]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


async def test_the_created_revision_records_what_a_read_back_gives(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    """A create records its revision from what it wrote; a delete records what it read back:
    the two must describe the same organization."""
    cited = [
        s["id"] for s in (await client.get("/v1/sources", params={"page_size": 3})).json()["items"]
    ]
    created = await create(
        client,
        auth,
        identifiers=[{"scheme": "wikidata", "value": "Q999999999"}],
        headquarters="Geneva",
        dissolved="2024-05",
        names=[
            {
                "lang": "en",
                "type": "official",
                "value": "Test Forum",
                "preferred": True,
                "sources": list(reversed(cited)),
            },
            {"lang": "en", "type": "acronym", "value": "TF", "preferred": True},
            {"lang": "fr", "type": "alias", "value": "Forum d'essai", "verification": "partial"},
        ],
        categories=[
            {"slug": "peace-security", "primary": False},
            {"slug": "energy", "primary": True},
        ],
    )
    url = created.headers["location"]
    await client.delete(url, headers={**auth["write"], "If-Match": created.headers["etag"]})
    made, deleted = (await client.get(f"{url}/revisions")).json()["items"]
    assert made["diff"]
    assert {k: v["new"] for k, v in made["diff"].items()} == {
        k: v["old"] for k, v in deleted["diff"].items()
    }


async def test_a_change_reason_is_utf8_and_what_does_not_decode_is_refused(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    created = await create(client, auth)
    url = created.headers["location"]
    etag = created.headers["etag"]
    for refused in (b"%FF%FE", b"Gr\xfcnde", b"line%0Abreak"):
        headers = {**auth["write"], "If-Match": etag, "X-Change-Reason": refused}
        response = await client.patch(url, json={"headquarters": "Bonn"}, headers=headers)
        assert_problem(response, 400, "X-Change-Reason")
    sent = [
        ("%E8%A7%A3%E9%87%8A%E6%9D%A5%E6%BA%90", "解释来源"),
        (b"Gr%C3%BCnde", "Gründe"),
        ("Gründe im Vertrag".encode(), "Gründe im Vertrag"),
    ]
    for n, (header, stored) in enumerate(sent):
        headers = {**auth["write"], "If-Match": etag, "X-Change-Reason": header}
        response = await client.patch(url, json={"headquarters": f"Bonn {n}"}, headers=headers)
        assert response.status_code == 200, response.text
        etag = response.headers["etag"]
        latest = (await client.get(f"{url}/revisions")).json()["items"][-1]
        assert latest["reason"] == stored


async def test_if_match_with_a_list_of_etags_matches_any(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    created = await create(client, auth)
    url, etag = created.headers["location"], created.headers["etag"]
    listed = {**auth["write"], "If-Match": f'"older", {etag}, "newer"'}
    changed = await client.patch(url, json={"headquarters": "Bonn"}, headers=listed)
    assert changed.status_code == 200, changed.text
    two_lines = [
        *auth["write"].items(),
        ("If-Match", '"older"'),
        ("If-Match", changed.headers["etag"]),
    ]
    again = await client.patch(url, json={"headquarters": "Paris"}, headers=two_lines)
    assert again.status_code == 200, again.text
    weak = {**auth["write"], "If-Match": f"W/{again.headers['etag']}"}
    assert_problem(await client.patch(url, json={"headquarters": "Rome"}, headers=weak), 412)


async def test_a_changed_value_no_longer_cites_the_old_claims_sources(
    client: httpx.AsyncClient, auth: Headers
) -> None:
    url = "/v1/organizations/colombo-plan-council"
    before = await client.get(url)
    claims = before.json()["claims"]
    assert claims["headquarters"]["verification"] == "confirmed"
    assert claims["headquarters"]["sources"] and claims["founded"]["sources"]
    changed = await client.patch(
        url,
        json={"headquarters": "Kandy, Sri Lanka"},
        headers={**auth["write"], "If-Match": before.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    after = changed.json()["claims"]
    assert after["headquarters"]["verification"] == "unconfirmed"
    assert after["headquarters"]["sources"] == []
    assert "without a source" in after["headquarters"]["note"]
    assert after["founded"] == claims["founded"], "an unchanged field keeps its claim"
    assert (await client.get(url)).json()["claims"] == after
