"""Migrations: up, down, up on an empty database; the seed they load; the models match them."""

from __future__ import annotations

import ast
import asyncio
import csv
import importlib.util
from pathlib import Path

import pycountry
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.services.health import alembic_config
from tests.conftest import CreateDatabase, migrate

SEED = Path(__file__).resolve().parents[2] / "seed"
TABLES = (
    "sources",
    "categories",
    "countries",
    "organizations",
    "organization_names",
    "organization_name_sources",
    "organization_categories",
    "organization_claims",
    "organization_claim_sources",
    "listings",
    "listing_sources",
    "memberships",
    "membership_events",
    "membership_event_sources",
    "status_periods",
)


async def counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in TABLES
        }


async def public_tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        )
        return {r[0] for r in rows}


LATER_FILES = (
    "corrections_2026_12_01.csv",
    "corrections_2026_12_01_b.csv",
    "organizations_2026_12_01.csv",
    "exits_2026_12_01.csv",
    "organizations_2026_12_01_b.csv",
    "member_lists_2026_12_01.csv",
    "membership_starts_2026_12_01.csv",
    "exits_2026_12_01_b.csv",
    "wikidata_2026_12_01.csv",
    "zh_aliases_2026_12_01.csv",
)
"""Frozen files later data migrations apply (0010, 0013, 0018, 0020, 0022)."""


def new_sources() -> int:
    """Pages the later data migrations cite for the first time."""
    with (SEED / "sources.csv").open(encoding="utf-8") as handle:
        seeded = {row["url"] for row in csv.DictReader(handle)}
    cited: set[str] = set()
    for name in LATER_FILES:
        with (SEED / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                cited |= {row[c] for c in ("url", "zh_url") if row.get(c)}
    return len(cited - seeded)


def added_events() -> int:
    with (SEED / "corrections_2026_12_01.csv").open(encoding="utf-8") as handle:
        corrections = sum(row["action"] == "add_event" for row in csv.DictReader(handle))
    return corrections + sum(
        seed_rows(name)
        for name in (
            "exits_2026_12_01.csv",
            "member_list_entries_2026_12_01.csv",
            "membership_starts_2026_12_01.csv",
            "exits_2026_12_01_b.csv",
        )
    )


def added_organizations() -> int:
    with (SEED / "organizations_2026_12_01_b.csv").open(encoding="utf-8") as handle:
        return seed_rows("organizations_2026_12_01.csv") + len(
            {row["slug"] for row in csv.DictReader(handle)}
        )


def seed_rows(name: str) -> int:
    with (SEED / name).open(encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


async def test_upgrade_downgrade_upgrade(create_database: CreateDatabase) -> None:
    url = await create_database()
    engine = create_async_engine(url)
    try:
        await migrate(url)
        first = await counts(engine)
        assert first["organizations"] == seed_rows("organizations.csv") + added_organizations()
        # the COW dataset (0008) and the pages later data migrations cite for the first time
        assert first["sources"] == seed_rows("sources.csv") + 1 + new_sources()
        assert first["countries"] == len(pycountry.countries) + seed_rows(
            "historical_countries.csv"
        ) + seed_rows("cow_states_without_iso.csv")
        assert first["membership_events"] == seed_rows("membership_events.csv") + added_events()
        assert first["status_periods"] > first["memberships"] > 0

        await migrate(url, "base", down=True)
        assert await public_tables(engine) == {"alembic_version"}

        await migrate(url)
        assert await counts(engine) == first
    finally:
        await engine.dispose()


async def test_each_data_migration_downgrade_removes_exactly_its_rows(
    create_database: CreateDatabase,
) -> None:
    url = await create_database()
    engine = create_async_engine(url)
    try:
        await migrate(url, "0002")
        countries_only = await counts(engine)
        assert countries_only["countries"] > 240
        assert sum(v for k, v in countries_only.items() if k != "countries") == 0
        await migrate(url)
        await migrate(url, "0007", down=True)
        assert (await counts(engine))["countries"] == countries_only["countries"]
        await migrate(url, "0002", down=True)
        assert await counts(engine) == countries_only
        await migrate(url, "0001", down=True)
        assert sum((await counts(engine)).values()) == 0
    finally:
        await engine.dispose()


async def test_the_member_lists_migration_downgrades_to_exactly_what_was_before(
    create_database: CreateDatabase,
) -> None:
    url = await create_database()
    engine = create_async_engine(url)
    try:
        await migrate(url, "0019")
        before = await counts(engine)
        await migrate(url)
        after = await counts(engine)
        assert after["membership_events"] - before["membership_events"] == sum(
            seed_rows(name)
            for name in (
                "member_list_entries_2026_12_01.csv",
                "membership_starts_2026_12_01.csv",
                "exits_2026_12_01_b.csv",
            )
        )
        async with engine.connect() as conn:
            lists = (await conn.execute(text("SELECT count(*) FROM member_lists"))).scalar_one()
        assert lists == seed_rows("member_lists_2026_12_01.csv")
        await migrate(url, "0019", down=True)
        assert await counts(engine) == before
    finally:
        await engine.dispose()


async def wikidata_items(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        found = await conn.execute(
            text("SELECT count(*) FROM organization_identifiers WHERE scheme = 'wikidata'")
        )
        return int(found.scalar_one())


async def test_the_identifiers_migration_downgrades_to_what_was_before_but_its_sources(
    create_database: CreateDatabase,
) -> None:
    url = await create_database()
    engine = create_async_engine(url)
    try:
        await migrate(url, "0021")
        before = await counts(engine)
        await migrate(url)
        assert await wikidata_items(engine) == seed_rows("wikidata_2026_12_01.csv")
        await migrate(url, "0021", down=True)
        assert await wikidata_items(engine) == 0
        after = await counts(engine)
        assert after["sources"] > before["sources"], "the sources it added stay"
        assert {k: v for k, v in after.items() if k != "sources"} == {
            k: v for k, v in before.items() if k != "sources"
        }
    finally:
        await engine.dispose()


async def test_models_match_the_migrated_schema(registry_url: str) -> None:
    # `alembic check` raises if autogenerate would emit any operation.
    await asyncio.to_thread(command.check, alembic_config(registry_url))


VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def test_no_migration_imports_app_code() -> None:
    """A migration means forever what it meant when written: live code would change it."""
    for migration in sorted(VERSIONS.glob("*.py")):
        tree = ast.parse(migration.read_text(encoding="utf-8"))
        imported = [
            name
            for node in ast.walk(tree)
            for name in (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
        ]
        assert not [m for m in imported if m == "app" or m.startswith("app.")], migration.name


def test_the_seed_migration_refuses_seed_files_it_was_not_written_for(tmp_path: Path) -> None:
    (path,) = VERSIONS.glob("*_0003_registry_seed.py")
    spec = importlib.util.spec_from_file_location("migration_0003", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration._read("categories.csv"), "the committed files are the ones it was written for"
    changed = (migration.SEED / "categories.csv").read_bytes().replace(b"health", b"healthy", 1)
    (tmp_path / "categories.csv").write_bytes(changed)
    migration.SEED = tmp_path
    with pytest.raises(RuntimeError, match="new migration"):
        migration._read("categories.csv")
