"""Pages for people: the landing page, problem types, the organization, country and memorandum
pages, and the SVG timeline charts, all answered from the data the API serves."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape

import httpx
import pytest

from app.problem_types import PROBLEM_TYPES
from tests.api.helpers import assert_problem

SVG = "{http://www.w3.org/2000/svg}"
MEMORANDUM = "src_vjn43p3a77iw"


async def test_landing_page_links_the_docs_the_coverage_and_the_licences(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for href in ("/docs", "/redoc", "/openapi.json", "/problems", "/memorandum-2026-01-07"):
        assert f'href="{href}"' in page.text, href
    organizations = (await client.get("/v1/meta")).json()["counts"]["organizations"]
    assert f"{organizations:,}" in page.text
    assert "CC-BY-4.0" in page.text and "MIT" in page.text
    chinese = await client.get("/", params={"lang": "zh"})
    assert '<html lang="zh-Hans">' in chinese.text and "国际组织" in chinese.text
    assert_problem(await client.get("/", params={"lang": "fr"}), 400)


async def test_every_problem_type_resolves_to_a_page_explaining_it(
    client: httpx.AsyncClient,
) -> None:
    index = (await client.get("/problems")).text
    for kind in PROBLEM_TYPES.values():
        assert f'href="{kind.uri}"' in index
        page = await client.get(kind.uri)
        assert page.status_code == 200, kind.slug
        assert escape(kind.title) in page.text and escape(kind.meaning) in page.text
    problem = (await client.get("/v1/organizations/no-such-thing")).json()
    assert (await client.get(problem["type"])).status_code == 200
    assert_problem(await client.get("/problems/no-such-problem"), 404)


async def test_the_openapi_document_is_usable_from_swagger_ui(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["info"]["x-data-license"]["identifier"] == "CC-BY-4.0"
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                assert answer["description"] not in ("", "Successful Response"), (path, status)
            for parameter in operation.get("parameters", []):
                assert "anyOf" not in parameter["schema"], (path, parameter["name"])
                if parameter["name"].lower() == "if-match":
                    assert parameter["required"], (path, method)
            if method in ("post", "patch", "delete") and path.startswith("/v1/"):
                if path == "/v1/reconcile":
                    continue  # a query batch too long for a URL: a read
                (requirement,) = operation["security"]
                assert requirement["bearerAuth"] in (["write"], ["admin"]), (path, method)
    assert spec["paths"]["/v1/organizations"]["get"]["security"] == [{}, {"bearerAuth": []}]


def _chart(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root


async def test_a_country_chart_has_a_row_per_organization_and_links_its_evidence(
    client: httpx.AsyncClient,
) -> None:
    timelines = (await client.get("/v1/countries/US/timeline", params={"page_size": 500})).json()
    chart = await client.get("/v1/countries/US/timeline.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert "etag" in chart.headers
    root = _chart(chart.text)
    labels = {a.get("href") for a in root.iter(f"{SVG}a")}
    for timeline in timelines["items"]:
        assert f"/organizations/{timeline['organization']['slug']}" in labels
    one = _chart((await client.get("/v1/countries/US/timeline.svg?organization=unesco")).text)
    assert "UNESCO" in ET.tostring(one, encoding="unicode")
    chinese = (await client.get("/v1/countries/US/timeline.svg", params={"lang": "zh"})).text
    assert "美国" in chinese and "联合国教育、科学及文化组织" in chinese
    assert_problem(await client.get("/v1/countries/ZZ/timeline.svg"), 404)
    assert_problem(await client.get("/v1/countries/US/timeline.svg?organization=nope"), 400)


async def test_an_organization_chart_hatches_what_is_not_known(client: httpx.AsyncClient) -> None:
    svg = (await client.get("/v1/organizations/unesco/timeline.svg")).text
    root = _chart(svg)
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns, "unknown periods are drawn with a pattern"
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert any(f and f.startswith("url(#") for f in fills)
    assert_problem(await client.get("/v1/organizations/nope/timeline.svg"), 404)


async def test_organization_and_country_pages(client: httpx.AsyncClient) -> None:
    page = await client.get("/organizations/unesco")
    assert page.status_code == 200
    assert "United Nations Educational, Scientific and Cultural Organization" in page.text
    assert "<svg" in page.text and "/countries/US" in page.text
    chinese = await client.get("/organizations/unesco", params={"lang": "zh"})
    assert "联合国教育、科学及文化组织" in chinese.text and "各国成员历史" in chinese.text
    country = await client.get("/countries/usa")
    assert country.status_code == 200 and "United States (US)" in country.text
    assert 'href="/organizations/unesco"' in country.text
    assert_problem(await client.get("/organizations/no-such-thing"), 404)
    assert_problem(await client.get("/countries/ZZ"), 404)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_memorandum_page_lists_every_organization_it_names(
    client: httpx.AsyncClient, lang: str
) -> None:
    listed = (
        await client.get("/v1/organizations", params={"listed_in": MEMORANDUM, "page_size": 500})
    ).json()["items"]
    assert len(listed) == 66
    page = (await client.get("/memorandum-2026-01-07", params={"lang": lang})).text
    rows = re.findall(r'<tr><td><a href="/organizations/([^"?]+)', page)
    assert sorted(rows) == sorted(o["slug"] for o in listed)
    assert page.count('class="status"') >= 2 * 66, "a status the day before and today"
    assert "2026-01-07" in page and "<svg" in page
