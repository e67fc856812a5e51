"""/v1/reconcile: the W3C Entity Reconciliation Service API 0.2, checked against the
specification's own JSON schemas (tests/fixtures/reconciliation/0.2) on the seed data."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, get_args

import httpx
import jsonschema_rs
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.schemas.reconcile import PropertyConstraint
from tests.api.helpers import assert_problem

SCHEMAS = Path(__file__).resolve().parents[2] / "fixtures" / "reconciliation" / "0.2"
SWAGGER_STUB = {"definitions": {"securityDefinitions": {"additionalProperties": {}}}}
"""Stands in for the swagger.io schema manifest.json names for `authentication` (not copied:
the service sends no `authentication`, and a test checks that)."""


def _registry() -> jsonschema_rs.Registry:
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json")]
    resources = [(s["$id"], s) for s in schemas]
    return jsonschema_rs.Registry([*resources, ("http://swagger.io/v2/schema.json", SWAGGER_STUB)])


REGISTRY = _registry()


def assert_fits(schema: str, value: Any) -> None:
    """The value is valid under the specification's schema (draft 7: see the fixtures' README)."""
    loaded = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    validator = jsonschema_rs.Draft7Validator(loaded, registry=REGISTRY)
    errors = [error.message for error in validator.iter_errors(value)]
    assert not errors, (schema, errors[:3], value)


def test_the_schemas_reject_what_the_specification_forbids() -> None:
    """The copies are the real thing: they catch what the specification's invalid examples show."""
    with pytest.raises(AssertionError):
        assert_fits("reconciliation-query-batch.json", {"q1": {"limit": 1}})
    with pytest.raises(AssertionError):
        assert_fits("reconciliation-result-batch.json", {"q0": {}})
    with pytest.raises(AssertionError):
        assert_fits("suggest-types-response.json", {"result": [{"id": "x", "broader": [{}]}]})


async def reconcile(client: httpx.AsyncClient, batch: dict[str, Any]) -> dict[str, Any]:
    assert_fits("reconciliation-query-batch.json", batch)
    response = await client.post("/v1/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert_fits("reconciliation-result-batch.json", body)
    assert set(body) == set(batch)
    return body


async def candidates(client: httpx.AsyncClient, **query: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = (await reconcile(client, {"q": query}))["q"]["result"]
    scores = [c["score"] for c in result]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert not any(c["match"] for c in result[1:])
    return result


async def org_id(client: httpx.AsyncClient, slug: str) -> str:
    response = await client.get(f"/v1/organizations/{slug}")
    assert response.status_code == 200
    found: str = response.json()["id"]
    return found


def feature(candidate: dict[str, Any], name: str) -> Any:
    return {f["id"]: f["value"] for f in candidate["features"]}[name]


async def test_manifest_fits_the_specification(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/reconcile")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    manifest = response.json()
    assert_fits("manifest.json", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "http://test/v1/organizations/"
    assert manifest["view"] == {"url": "http://test/organizations/{{id}}"}
    assert manifest["preview"]["url"] == "http://test/v1/reconcile/preview?id={{id}}"
    assert manifest["defaultTypes"][0] == {
        "id": "organization",
        "name": "International organization",
        "description": manifest["defaultTypes"][0]["description"],
    }
    assert {t["id"] for t in manifest["defaultTypes"]} == {
        "organization",
        "system:un",
        "system:non_un",
    }
    assert manifest["batchSize"] == 100
    assert "authentication" not in manifest and "extend" not in manifest
    for kind in ("entity", "type", "property"):
        service = manifest["suggest"][kind]
        url = service["service_url"] + service["service_path"]
        assert url.startswith("http://test/")
        answer = await client.get(url.removeprefix("http://test"), params={"prefix": "a"})
        assert answer.status_code == 200, kind


async def test_get_post_and_json_bodies_answer_the_same(client: httpx.AsyncClient) -> None:
    batch = {
        "q0": {"query": "World Health Organization"},
        "q1": {"query": "UNFCCC", "limit": 2},
        "x y": {"query": "nothing like this name exists anywhere"},
    }
    posted = await reconcile(client, batch)
    got = await client.get("/v1/reconcile", params={"queries": json.dumps(batch)})
    assert got.status_code == 200 and got.json() == posted
    assert got.headers["access-control-allow-origin"] == "*"
    for body in (batch, {"queries": batch}, {"queries": json.dumps(batch)}):
        as_json = await client.post("/v1/reconcile", json=body)
        assert as_json.status_code == 200, as_json.text
        assert as_json.json() == posted
    assert posted["x y"] == {"result": []}
    assert len(posted["q1"]["result"]) <= 2


async def test_a_candidate_says_who_it_is_and_how_well_it_matches(
    client: httpx.AsyncClient,
) -> None:
    (first, *rest) = await candidates(client, query="World Health Organization")
    assert first["id"] == await org_id(client, "who")
    assert first["name"] == "World Health Organization"
    assert first["score"] == 100 and first["match"] is True
    assert {"id": "organization", "name": "International organization"} in first["type"]
    assert "system:un" in [t["id"] for t in first["type"]]
    assert first["description"].startswith("WHO · UN system · specialized agency")
    assert feature(first, "name_tier") == 1 and feature(first, "name_similarity") == 1
    assert all(c["score"] <= first["score"] - 10 for c in rest)


async def test_typos_chinese_and_acronyms_find_the_organization(
    client: httpx.AsyncClient,
) -> None:
    who, unfccc = await org_id(client, "who"), await org_id(client, "unfccc")
    typo = await candidates(client, query="Wrold Health Organisation")
    assert typo[0]["id"] == who
    assert typo[0]["match"] is False  # a typo is never auto-matched
    assert feature(typo[0], "name_tier") == 4
    for chinese in ("世界卫生组织", "世界衛生組織"):
        found = await candidates(client, query=chinese)
        assert found[0]["id"] == who and found[0]["match"] is True, chinese
    acronym = await candidates(client, query="UNFCCC")
    assert acronym[0]["id"] == unfccc and acronym[0]["match"] is True
    assert feature(acronym[0], "name_tier") == 0
    partial = await candidates(client, query="Framework Convention on Climate")
    assert partial[0]["id"] == unfccc and partial[0]["match"] is False


async def test_ambiguous_names_are_not_auto_matched(client: httpx.AsyncClient) -> None:
    found = await candidates(client, query="climate", limit=10)
    assert len(found) >= 3
    assert not any(c["match"] for c in found)
    assert len({c["id"] for c in found}) == len(found)


async def test_an_id_as_the_query_finds_that_organization(client: httpx.AsyncClient) -> None:
    who = await org_id(client, "who")
    (first,) = await candidates(client, query=who)
    assert first["id"] == who and first["score"] == 100 and first["match"] is True
    assert await candidates(client, query="org_aaaaaaaaaaaa") == []


async def test_country_keeps_the_organizations_it_is_tied_to(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    tied = set(
        (
            await session.execute(
                text("SELECT organization_id FROM memberships WHERE country_code = 'US'")
            )
        ).scalars()
    )
    everyone = await candidates(client, query="international", limit=25)
    assert any(c["id"] not in tied for c in everyone)
    for value in ("US", "usa", "United States", "美国", {"id": "US", "name": "United States"}):
        kept = await candidates(
            client, query="international", limit=25, properties=[{"pid": "country", "v": value}]
        )
        assert kept, value
        assert {c["id"] for c in kept} <= tied, value
        assert all(isinstance(feature(c, "country_member"), bool) for c in kept)
    nowhere = [{"pid": "country", "v": "Atlantis"}]
    assert await candidates(client, query="international", properties=nowhere) == []


async def test_country_on_a_date_and_membership_ranks_first(client: httpx.AsyncClient) -> None:
    who = await org_id(client, "who")
    member_now = await candidates(
        client, query="World Health Organization", properties=[{"pid": "country", "v": "US"}]
    )
    before_exit = await candidates(
        client,
        query="World Health Organization",
        properties=[{"pid": "country", "v": "US"}, {"pid": "as_of", "v": "2020-01-01"}],
    )
    assert before_exit[0]["id"] == who
    assert feature(before_exit[0], "country_member") is True
    assert member_now[0]["id"] == who
    assert feature(member_now[0], "country_member") is False  # the US left the WHO in 2026
    before_founding = await candidates(
        client,
        query="World Health Organization",
        properties=[{"pid": "country", "v": "US"}, {"pid": "as_of", "v": "1900-01-01"}],
    )
    assert who not in [c["id"] for c in before_founding]


async def test_system_property_and_types_narrow_the_candidates(
    client: httpx.AsyncClient,
) -> None:
    def systems(found: list[dict[str, Any]]) -> set[str]:
        return {t["id"] for c in found for t in c["type"] if t["id"].startswith("system:")}

    everyone = await candidates(client, query="international", limit=25)
    assert systems(everyone) == {"system:un", "system:non_un"}
    non_un = await candidates(
        client, query="international", limit=25, properties=[{"pid": "system", "v": "non-UN"}]
    )
    assert non_un and systems(non_un) == {"system:non_un"}
    un = await candidates(client, query="international", limit=25, type="system:un")
    assert un and systems(un) == {"system:un"}
    assert await candidates(client, query="international", limit=25, type="organization") == (
        everyone
    )
    agencies = await candidates(
        client,
        query="international",
        limit=25,
        type=["system:un", "kind:specialized_agency"],
        type_strict="all",
    )
    assert agencies
    for c in agencies:
        assert {"system:un", "kind:specialized_agency"} <= {t["id"] for t in c["type"]}
    either = await candidates(
        client,
        query="international",
        limit=25,
        type=["system:un", "kind:specialized_agency"],
        type_strict="should",
    )
    assert {c["id"] for c in agencies} <= {c["id"] for c in either}


async def test_acronym_property_lifts_that_acronym(client: httpx.AsyncClient) -> None:
    icao = await org_id(client, "icao")
    plain = await candidates(client, query="International Organization", limit=25)
    lifted = await candidates(
        client,
        query="International Organization",
        limit=25,
        properties=[{"pid": "acronym", "v": "I.C.A.O."}],
    )
    assert lifted[0]["id"] == icao and feature(lifted[0], "acronym_match") is True
    assert plain[0]["id"] != icao
    alone = await candidates(client, properties=[{"pid": "acronym", "v": "ICAO"}])
    assert alone[0]["id"] == icao


async def test_jsonp_wraps_get_answers(client: httpx.AsyncClient) -> None:
    plain = (await client.get("/v1/reconcile")).json()
    response = await client.get(
        "/v1/reconcile", params={"callback": "jQuery.cb_1", "_": "1712345678"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/javascript"
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.text
    assert body.startswith("/**/jQuery.cb_1(") and body.endswith(");")
    assert json.loads(body[len("/**/jQuery.cb_1(") : -2]) == plain
    suggest = await client.get(
        "/v1/reconcile/suggest/entity", params={"prefix": "who", "callback": "cb"}
    )
    assert suggest.text.startswith("/**/cb({")
    for bad in ("alert(1)", "a;b", "1abc", "a..b", "</script>"):
        assert_problem(await client.get("/v1/reconcile", params={"callback": bad}), 400, "callback")


async def test_bad_input_answers_problem_documents(client: httpx.AsyncClient) -> None:
    get_errors = {
        "{not json": 400,
        "[1]": 400,
        '{"q0": {"limit": 1}}': 400,
        '{"q0": {"query": "who", "limit": 0}}': 400,
        '{"q0": {"query": "who", "colour": "red"}}': 400,
    }
    for queries, status in get_errors.items():
        response = await client.get("/v1/reconcile", params={"queries": queries})
        assert_problem(response, status, "queries")
        assert response.headers["access-control-allow-origin"] == "*"
    post_errors: list[tuple[Any, int, str]] = [
        ({"q0": {"query": "who", "type": "country"}}, 422, "queries.q0.type"),
        (
            {"q0": {"query": "who", "properties": [{"pid": "colour", "v": "2020-01-01"}]}},
            422,
            "queries.q0.properties.0.pid",
        ),
        (
            {"q0": {"query": "who", "properties": [{"pid": "as_of", "v": "2020-13-01"}]}},
            422,
            "queries.q0.properties.0.v",
        ),
        (
            {"q0": {"query": "who", "properties": [{"pid": "system", "v": "other"}]}},
            422,
            "queries.q0.properties.0.v",
        ),
        ({"q0": {"query": "who", "properties": [{"pid": "country", "v": 7}]}}, 422, ""),
        ({"q0": {"query": "who", "type_strict": "never"}}, 422, ""),
        ({"q0": "who"}, 422, ""),
        ({f"q{i}": {"query": "who"} for i in range(101)}, 413, ""),
    ]
    for batch, status, name in post_errors:
        response = await client.post("/v1/reconcile", data={"queries": json.dumps(batch)})
        assert_problem(response, status, name or None)
    assert_problem(await client.post("/v1/reconcile", data={"queries": "{oops"}), 400, "queries")
    assert_problem(await client.post("/v1/reconcile", data={"query": "who"}), 422, "query")
    assert_problem(await client.post("/v1/reconcile"), 422, "queries")
    assert_problem(
        await client.post(
            "/v1/reconcile", content=b"queries={}", headers={"Content-Type": "text/plain"}
        ),
        415,
    )
    assert_problem(await client.get("/v1/reconcile", params={"query": "who"}), 400, "query")
    assert_problem(await client.get("/v1/reconcile/preview"), 400, "id")
    assert_problem(
        await client.get("/v1/reconcile/suggest/entity", params={"prefix": "a", "cursor": "-1"}),
        400,
        "cursor",
    )


async def test_blank_and_odd_queries_answer_without_error(client: httpx.AsyncClient) -> None:
    batch = {
        "blank": {"query": "   ", "properties": [{"pid": "country", "v": "US"}]},
        "punctuation": {"query": "!!!"},
        "long": {"query": "x" * 500},
        "mixed": {"query": "联合国 UN \u041e\u041e\u041d"},
        "many": {"query": "who", "limit": 1000},
        "blank country": {"query": "who", "properties": [{"pid": "country", "v": ""}]},
    }
    body = await reconcile(client, batch)
    assert body["blank"]["result"] == [] and body["punctuation"]["result"] == []
    assert body["blank country"]["result"] == []
    assert len(body["many"]["result"]) <= 25


async def test_preview_shows_names_and_escapes_them(
    client: httpx.AsyncClient, auth: dict[str, dict[str, str]]
) -> None:
    who = await org_id(client, "who")
    for key in ("who", who):
        response = await client.get("/v1/reconcile/preview", params={"id": key})
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["access-control-allow-origin"] == "*"
        page = response.text
        assert "World Health Organization" in page and "世界卫生组织" in page
        assert f'href="/organizations/{who}"' in page and "WHO · UN system" in page
    assert_problem(await client.get("/v1/reconcile/preview", params={"id": "nowhere"}), 404)
    created = await client.post(
        "/v1/organizations",
        json={
            "slug": "escape-test",
            "system": "non_un",
            "kind": "forum_partnership",
            "website": "https://example.org/a?b=1&c=2",
            "names": [
                {
                    "lang": "en",
                    "type": "official",
                    "value": '<script>alert("x")</script> & Co',
                    "preferred": True,
                }
            ],
            "categories": [],
        },
        headers={**auth["write"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert created.status_code == 201, created.text
    page = (await client.get("/v1/reconcile/preview", params={"id": "escape-test"})).text
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; Co" in page
    assert 'href="https://example.org/a?b=1&amp;c=2"' in page


async def test_suggest_services_answer_the_specification(client: httpx.AsyncClient) -> None:
    unfccc = await org_id(client, "unfccc")
    entities = (await client.get("/v1/reconcile/suggest/entity", params={"prefix": "unfc"})).json()
    assert_fits("suggest-entities-response.json", entities)
    assert entities["result"][0]["id"] == unfccc
    everything = (await client.get("/v1/reconcile/suggest/entity", params={"prefix": "un"})).json()
    page_two = (
        await client.get("/v1/reconcile/suggest/entity", params={"prefix": "un", "cursor": "3"})
    ).json()
    assert page_two["result"][: len(everything["result"]) - 3] == everything["result"][3:]
    chinese = (
        await client.get("/v1/reconcile/suggest/entity", params={"prefix": "世界卫生"})
    ).json()
    assert chinese["result"][0]["id"] == await org_id(client, "who")

    types = (await client.get("/v1/reconcile/suggest/type", params={"prefix": ""})).json()
    assert_fits("suggest-types-response.json", types)
    assert types["result"][0]["id"] == "organization"
    agencies = (await client.get("/v1/reconcile/suggest/type", params={"prefix": "speci"})).json()
    assert [t["id"] for t in agencies["result"]] == ["kind:specialized_agency"]

    properties = (await client.get("/v1/reconcile/suggest/property")).json()
    assert_fits("suggest-properties-response.json", properties)
    assert [p["id"] for p in properties["result"]] == ["country", "system", "acronym", "as_of"]
    accepted = get_args(PropertyConstraint.model_fields["pid"].annotation)
    assert [p["id"] for p in properties["result"]] == list(accepted)
    country = (await client.get("/v1/reconcile/suggest/property", params={"prefix": "cou"})).json()
    assert [p["id"] for p in country["result"]] == ["country"]


async def test_cross_origin_use_is_open_here_only(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/v1/reconcile",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    other = await client.get("/v1/meta", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in other.headers


async def test_posted_queries_are_reads(
    client: httpx.AsyncClient, settings_env: Any, auth: dict[str, dict[str, str]]
) -> None:
    settings_env(public_reads="false")
    batch = {"queries": json.dumps({"q0": {"query": "who"}})}
    assert_problem(await client.post("/v1/reconcile", data=batch), 401)
    assert (await client.post("/v1/reconcile", data=batch, headers=auth["read"])).status_code == (
        200
    )
