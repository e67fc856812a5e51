"""Creating, changing and deleting sources."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, InvalidBody, NotFound
from app.ids import new_id
from app.models.tables import (
    contribution_sources,
    listing_sources,
    listings,
    membership_event_sources,
    organization_claim_sources,
    organization_name_sources,
    sources,
)
from app.schemas.sources import Source
from app.schemas.writes import SourceCreate, SourcePatch, parse_partial_date
from app.services import revisions
from app.services.sources import get_source
from app.services.writes.common import Actor, Precondition, bumped, lock_row, require_version

FIELDS = (
    "title",
    "publisher",
    "url",
    "published_on",
    "published_precision",
    "kind",
    "confidence_note",
)


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """API fields to columns: URLs as text, partial dates as (first day, precision)."""
    columns = dict(values)
    if "url" in columns and columns["url"] is not None:
        columns["url"] = str(columns["url"])
    if "published_on" in columns:
        raw = columns["published_on"]
        columns["published_on"], columns["published_precision"] = (
            parse_partial_date(raw) if raw else (None, "unknown")
        )
    return columns


def _snapshot(row: Any) -> dict[str, Any]:
    return {name: (str(row[name]) if row[name] is not None else None) for name in FIELDS}


async def create_source(session: AsyncSession, body: SourceCreate, actor: Actor) -> Source:
    source_id = new_id("src")
    row = (
        (
            await session.execute(
                sources.insert()
                .values(id=source_id, **_columns(body.model_dump()))
                .returning(*sources.c)
            )
        )
        .mappings()
        .one()
    )
    result = await get_source(session, source_id)
    await revisions.record(
        session,
        revisions.ChangeRecord(
            "source",
            source_id,
            "created",
            1,
            revisions.diff({}, _snapshot(row)),
            ["source.created"],
        ),
        actor=actor.name,
        reason=actor.reason,
    )
    return result


async def update_source(
    session: AsyncSession,
    source_id: str,
    patch: SourcePatch,
    expected: Precondition | None,
    actor: Actor,
) -> Source:
    before = await lock_row(
        session, sources, sources.c.id == source_id, NotFound(f"No source with id '{source_id}'.")
    )
    require_version(expected, await get_source(session, source_id))
    changes = _columns(patch.model_dump(exclude_unset=True))
    for required in ("publisher", "kind"):
        if required in changes and changes[required] is None:
            raise InvalidBody(f"`{required}` cannot be cleared.", field=required)
    after = (
        (
            await session.execute(
                sources.update()
                .where(sources.c.id == source_id)
                .values(**changes, **bumped(sources))
                .returning(*sources.c)
            )
        )
        .mappings()
        .one()
    )
    result = await get_source(session, source_id)
    await revisions.record(
        session,
        revisions.ChangeRecord(
            "source",
            source_id,
            "updated",
            after["revision"],
            revisions.diff(_snapshot(before), _snapshot(after)),
            ["source.updated"],
        ),
        actor=actor.name,
        reason=actor.reason,
    )
    return result


async def delete_source(
    session: AsyncSession, source_id: str, expected: Precondition | None, actor: Actor
) -> None:
    before = await lock_row(
        session, sources, sources.c.id == source_id, NotFound(f"No source with id '{source_id}'.")
    )
    require_version(expected, await get_source(session, source_id))
    citing = union_all(
        *(
            select(table.c.source_id).where(table.c.source_id == source_id)
            for table in (
                organization_name_sources,
                organization_claim_sources,
                listing_sources,
                membership_event_sources,
                contribution_sources,
            )
        )
    ).subquery()
    cited = (await session.execute(select(exists(select(citing.c.source_id))))).scalar_one()
    acts = (
        await session.execute(select(exists().where(listings.c.source_id == source_id)))
    ).scalar_one()
    if cited or acts:
        raise Conflict("This source is cited by facts in the registry; it cannot be deleted.")
    await session.execute(sources.delete().where(sources.c.id == source_id))
    await revisions.record(
        session,
        revisions.ChangeRecord(
            "source",
            source_id,
            "deleted",
            before["revision"] + 1,
            revisions.diff(_snapshot(before), {}),
            ["source.deleted"],
        ),
        actor=actor.name,
        reason=actor.reason,
    )
