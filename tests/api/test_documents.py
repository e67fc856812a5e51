"""Every read's answer against the response schema the OpenAPI document gives for it, over the
seed and the COW sample: the documents PostgreSQL builds (app.services.documents) must say
exactly what the pydantic schemas promise, no field missing, none extra, every type right.

Objects are checked closed (no property the schema does not name), which pydantic's own
schemas leave open."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import jsonschema_rs
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.services.cow_igo.importer import import_cow_igo
from tests.services.cow_igo.helpers import SAMPLE


@pytest.fixture(scope="module")
async def history(committed_db: str) -> str:
    await import_cow_igo(committed_db, SAMPLE, dry_run=False, actor="documents", reason=None)
    return committed_db


def closed(schema: Any) -> Any:
    """The schema with every object closed to properties it does not name."""
    if isinstance(schema, dict):
        schema = {k: closed(v) for k, v in schema.items()}
        if schema.get("type") == "object" and "properties" in schema:
            schema.setdefault("additionalProperties", False)
        return schema
    if isinstance(schema, list):
        return [closed(v) for v in schema]
    return schema


async def sample_paths(engine: AsyncEngine) -> list[str]:
    """Paths for every read, with keys from the data: a pair with imported and curated history,
    dates before, inside and after the data, searches in English and Chinese."""
    async with engine.connect() as conn:
        membership, source, category = (
            await conn.execute(
                text(
                    "SELECT (SELECT m.id FROM memberships m JOIN organizations o "
                    "ON o.id = m.organization_id "
                    "WHERE o.slug = 'unesco' AND m.country_code = 'US'), "
                    "(SELECT min(id) FROM sources), (SELECT min(slug) FROM categories)"
                )
            )
        ).one()
    paths = [
        "/v1/organizations?page_size=5",
        "/v1/organizations?q=climate&page_size=5",
        "/v1/organizations?q=%E6%B0%94%E5%80%99",
        "/v1/organizations?q=unesko",
        "/v1/organizations?ids=unesco,who,nope&facets=category,system",
        "/v1/organizations?member=US&status=withdrawal_pending&as_of=2026-06-01&facets=status",
        "/v1/organizations/autocomplete?q=uni",
        "/v1/organizations/unesco",
        "/v1/organizations/who/timeline?page_size=5",
        "/v1/categories",
        f"/v1/categories/{category}",
        "/v1/countries?page_size=5",
        "/v1/countries/US",
        "/v1/countries/US/timeline?organization=unesco",
        "/v1/countries/US/changes?from=2020-01-01&to=2026-12-31",
        f"/v1/memberships/{membership}",
        "/v1/memberships/upcoming?within_days=400",
        "/v1/stats/memberships?country=US&as_of=2026-01-08",
        "/v1/stats/organizations?organization=who,unesco&as_of=2027-01-01",
        "/v1/stats/exits?from=2015&to=2027",
        "/v1/conflicts?page_size=5",
        "/v1/sources?page_size=5",
        f"/v1/sources/{source}",
        "/v1/meta",
    ]
    for day in ("1900-06-01", "1985-06-01", "2014-06-01", "2026-06-01", "2027-01-01"):
        paths += [
            f"/v1/countries/US/memberships?as_of={day}&page_size=100",
            f"/v1/countries/GB/memberships?as_of={day}",
            f"/v1/organizations/unesco/memberships?as_of={day}&page_size=100",
        ]
    return paths


def response_schema(spec: dict[str, Any], path: str) -> Any:
    """The 200 JSON schema of the operation a concrete path is served by (a literal segment
    wins over a parameter: /organizations/autocomplete is not /organizations/{organization})."""
    parts = path.split("?")[0].strip("/").split("/")
    candidates = []
    for template, operations in spec["paths"].items():
        pattern = template.strip("/").split("/")
        if len(pattern) != len(parts) or "get" not in operations:
            continue
        pairs = list(zip(pattern, parts, strict=True))
        if all(p == q or p.startswith("{") for p, q in pairs):
            literal = sum(p == q for p, q in pairs)
            candidates.append((literal, operations["get"]))
    assert candidates, f"no operation serves {path}"
    operation = max(candidates, key=lambda c: c[0])[1]
    return operation["responses"]["200"]["content"]["application/json"]["schema"]


async def test_every_read_answers_what_its_schema_says(
    history: str,
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
    committed_engine: AsyncEngine,
) -> None:
    client, _ = committed_api
    spec = (await client.get("/openapi.json")).json()
    components = closed(copy.deepcopy(spec["components"]))
    checked = 0
    for path in await sample_paths(committed_engine):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text)
        validator = jsonschema_rs.validator_for(
            {**closed(response_schema(spec, path)), "components": components}
        )
        errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(response.json())]
        assert not errors, (path, errors[:5])
        checked += 1
    assert checked > 30
