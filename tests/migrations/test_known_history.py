"""The history `known_at` reads from keeps up with the tables: a table whose answer moves the
data version is versioned, its history has its columns (and `valid`), its `known` view has
exactly its columns, and every change is recorded."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

UNVERSIONED = {"revisions"}
"""Append-only: `known.revisions` filters it by time instead."""


async def columns(connection: AsyncConnection, schema: str, table: str) -> list[tuple[str, str]]:
    rows = await connection.execute(
        text(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = :schema AND table_name = :table ORDER BY ordinal_position"
        ),
        {"schema": schema, "table": table},
    )
    return [(name, kind) for name, kind in rows]


async def test_every_answered_table_is_versioned_with_its_columns(
    connection: AsyncConnection,
) -> None:
    watched = set(
        (
            await connection.execute(
                text(
                    "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                    "WHERE trigger_schema = 'public' AND action_statement LIKE "
                    "'%bump_data_version%'"
                )
            )
        ).scalars()
    )
    versioned = set(
        (
            await connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'history'")
            )
        ).scalars()
    )
    assert watched - UNVERSIONED <= versioned, "a table answers read without a history"
    assert "data_version" in versioned
    for table in sorted(versioned):
        live = await columns(connection, "public", table)
        assert await columns(connection, "history", table) == [*live, ("valid", "tstzrange")]
        assert await columns(connection, "known", table) == live, table


async def test_a_change_closes_the_old_version_and_opens_the_new(
    connection: AsyncConnection,
) -> None:
    """Inside one transaction every statement shares one moment: the version a transaction
    opened and then changed again is replaced, never kept as an empty range."""
    slug = "iucn"
    before = (
        await connection.execute(
            text(
                "SELECT count(*) FROM history.organizations o JOIN organizations p USING (id) "
                "WHERE p.slug = :slug"
            ),
            {"slug": slug},
        )
    ).scalar_one()
    for hq in ("First", "Second"):
        await connection.execute(
            text("UPDATE organizations SET headquarters = :hq WHERE slug = :slug"),
            {"hq": hq, "slug": slug},
        )
    versions = (
        await connection.execute(
            text(
                "SELECT h.headquarters, lower(h.valid) = now() AS opened_now, "
                "upper_inf(h.valid) AS open FROM history.organizations h "
                "JOIN organizations p USING (id) WHERE p.slug = :slug ORDER BY lower(h.valid)"
            ),
            {"slug": slug},
        )
    ).all()
    assert len(versions) == before + 1
    assert versions[-1] == ("Second", True, True)
    assert [open_ for *_, open_ in versions].count(True) == 1
    await connection.execute(
        text(
            "DELETE FROM organization_categories WHERE organization_id = "
            "(SELECT id FROM organizations WHERE slug = :slug)"
        ),
        {"slug": slug},
    )
    still_open = (
        await connection.execute(
            text(
                "SELECT count(*) FROM history.organization_categories h "
                "JOIN organizations p ON p.id = h.organization_id "
                "WHERE p.slug = :slug AND upper_inf(h.valid)"
            ),
            {"slug": slug},
        )
    ).scalar_one()
    assert still_open == 0
