"""The import against a real registry database (committed: the import is its own transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.services.cow_igo.importer import CowReport, import_cow_igo
from tests.conftest import CreateDatabase, migrate
from tests.services.cow_igo.helpers import SAMPLE

TABLES = ("organizations", "memberships", "membership_events", "status_periods", "revisions")


@dataclass
class Imported:
    first: CowReport
    second: CowReport
    after_first: dict[str, int]
    after_second: dict[str, int]


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in TABLES
        }


@pytest.fixture(scope="module")
async def imported(committed_db: str) -> AsyncIterator[Imported]:
    engine = create_async_engine(committed_db)
    try:
        first = await import_cow_igo(
            committed_db, SAMPLE, dry_run=False, actor="cow-test", reason=None
        )
        after_first = await _counts(engine)
        second = await import_cow_igo(
            committed_db, SAMPLE, dry_run=False, actor="cow-test", reason=None
        )
        yield Imported(first, second, after_first, await _counts(engine))
    finally:
        await engine.dispose()


async def test_organizations_are_matched_or_created_with_provenance(
    imported: Imported, committed_api: tuple[httpx.AsyncClient, dict[str, str]]
) -> None:
    report = imported.first
    assert report.igos == 6 and not report.ambiguous
    matched = {ionum: (slug, how) for ionum, _, slug, how in report.matched}
    assert matched["4410"] == ("unesco", "acronym and name")
    assert report.organizations_created == 6 - len(matched)
    client, _ = committed_api
    # ITC shares its acronym with the International Trade Centre: the curated table says new.
    tin = (await client.get("/v1/organizations/itc-cow-3180")).json()
    (identifier,) = tin["identifiers"]
    assert (identifier["scheme"], identifier["value"]) == ("cow_igo", "3180")
    assert identifier["verification"] == "confirmed"
    assert identifier["source"]["id"] == "src_cow_igo_v3"
    assert tin["founded"] == {"date": "1956-01-01", "precision": "year"}
    assert tin["dissolved"] == {"date": "1990-01-01", "precision": "year"}
    assert tin["claims"]["dissolved"]["sources"][0]["id"] == "src_cow_igo_v3"
    assert {n["value"] for n in tin["names"]} >= {"Intl Tin Council", "International Tin Council"}
    unesco = (await client.get("/v1/organizations/unesco")).json()
    assert ("cow_igo", "4410") in {(i["scheme"], i["value"]) for i in unesco["identifiers"]}


async def test_a_former_state_answers_as_of_1975_with_sources(
    imported: Imported, committed_api: tuple[httpx.AsyncClient, dict[str, str]]
) -> None:
    client, _ = committed_api
    response = await client.get("/v1/countries/SUHH/memberships", params={"as_of": "1975-06-01"})
    assert response.status_code == 200, response.text
    by_org = {item["organization"]["slug"]: item for item in response.json()["items"]}
    assert by_org["unesco"]["status"] == "member"
    assert by_org["unesco"]["evidence"]["sources"][0]["id"] == "src_cow_igo_v3"
    gdr = await client.get("/v1/countries/ddde/memberships", params={"as_of": "1995-06-01"})
    assert {i["status"] for i in gdr.json()["items"]} <= {"non_member"}


async def test_events_keep_the_datasets_precision(
    imported: Imported, committed_api: tuple[httpx.AsyncClient, dict[str, str]]
) -> None:
    client, _ = committed_api
    # Czechoslovakia: a pair only the dataset speaks for (curated lists name today's states)
    listing = await client.get("/v1/countries/CSHH/memberships", params={"as_of": "1980-01-01"})
    membership = next(i for i in listing.json()["items"] if i["organization"]["slug"] == "unesco")
    detail = (await client.get(f"/v1/memberships/{membership['id']}")).json()
    joined = detail["events"][0]
    assert (joined["type"], joined["date"], joined["date_precision"]) == (
        "joined",
        "1945-01-01",
        "year",
    )
    assert (joined["date_earliest"], joined["date_latest"]) == ("1945-01-01", "1950-07-01")
    assert joined["qualifiers"]["accuracy_before_1965"] == "Within 5 years"
    window = next(p for p in detail["periods"] if p["evidence_event"] == joined["id"])
    assert (window["status"], window["unknown_reason"]) == ("unknown", "imprecise_date")
    assert window["source"] == "src_cow_igo_v3"
    member = next(p for p in detail["periods"] if p["status"] == "member")
    assert member["valid_from_precision"] == "year" and member["source"] == "src_cow_igo_v3"
    last = detail["periods"][-1]  # no tie after the state's end (1992)
    assert (last["status"], last["source"]) == ("non_member", "src_cow_igo_v3")


async def test_curated_events_win_and_the_disagreement_is_listed(
    imported: Imported, committed_api: tuple[httpx.AsyncClient, dict[str, str]]
) -> None:
    assert imported.first.curated_pairs >= 1
    lines = {(c.country, c.organization, c.start, c.end) for c in imported.first.conflicts}
    # Only where both sides say something: not before the curated record begins (1983), not
    # across COW's change of code (1984-85), not after COW ends (2014).
    assert {line for line in lines if line[:2] == ("US", "UNESCO")} == {
        ("US", "UNESCO", dt.date(2003, 10, 1), dt.date(2011, 10, 31)),
        ("US", "UNESCO", dt.date(2011, 10, 31), dt.date(2014, 7, 2)),
    }
    client, _ = committed_api
    body = (
        await client.get("/v1/conflicts", params={"country": "us", "organization": "unesco"})
    ).json()
    rows = {(c["valid_from"], c["valid_to"]): c for c in body["items"]}
    assert rows[("2003-10-01", "2011-10-31")]["registry_says"] == "member"
    suspended = rows[("2011-10-31", "2014-07-02")]
    assert suspended["dataset_says"] == "non_member (code 0)"
    assert suspended["registry_says"] == "suspended"
    assert suspended["followed"] == "registry"
    assert suspended["dataset"]["id"] == "src_cow_igo_v3"
    membership = (await client.get(f"/v1/memberships/{suspended['membership_id']}")).json()
    # The curated pair keeps its events and gains COW's, each citing its own source.
    curated = [e for e in membership["events"] if not e["qualifiers"]]
    imported_events = [e for e in membership["events"] if e["qualifiers"]]
    assert curated and imported_events
    assert all(s["id"] != "src_cow_igo_v3" for e in curated for s in e["sources"])
    assert all(s["id"] == "src_cow_igo_v3" for e in imported_events for s in e["sources"])
    on = {p["status"]: p for p in membership["periods"]}
    assert on["suspended"]["source"] is None  # curated events win where they say something
    assert (await client.get("/v1/conflicts", params={"country": "XX"})).status_code == 400


async def test_a_second_run_changes_nothing_and_records_no_revision(imported: Imported) -> None:
    first, second = imported.first, imported.second
    assert first.memberships_created > 0 and first.events_written > 0
    assert second.memberships_created == second.memberships_updated == 0
    assert second.organizations_created == second.events_written == 0
    assert second.memberships_created == 0 and second.memberships_updated == 0
    assert second.memberships_unchanged >= first.memberships_created
    assert imported.after_second == imported.after_first
    assert len(second.conflicts) == len(first.conflicts)


async def test_a_dry_run_writes_nothing(create_database: CreateDatabase) -> None:
    url = await create_database()
    await migrate(url)
    engine = create_async_engine(url)
    try:
        before = await _counts(engine)
        report = await import_cow_igo(url, SAMPLE, dry_run=True, actor="cow-test", reason=None)
        assert report.memberships_created > 0 and "Dry run" in report.render()
        assert await _counts(engine) == before
    finally:
        await engine.dispose()
