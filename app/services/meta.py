"""The data version, and what /v1/meta says about the registry as a whole."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, literal, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.models.tables import (
    categories,
    countries,
    membership_events,
    memberships,
    organizations,
    sources,
    status_periods,
)


async def data_version(db: AsyncSession | AsyncConnection) -> int:
    version: int = (await db.execute(text("SELECT version FROM data_version"))).scalar_one()
    return version


async def last_updated(session: AsyncSession) -> dt.datetime | None:
    latest = union_all(
        select(func.max(organizations.c.updated_at).label("at")),
        select(func.max(sources.c.updated_at)),
        select(func.max(categories.c.updated_at)),
        select(func.max(memberships.c.updated_at)),
        select(func.max(membership_events.c.created_at)),
    ).subquery()
    at: dt.datetime | None = (await session.execute(select(func.max(latest.c.at)))).scalar_one()
    return at


async def resource_counts(session: AsyncSession) -> dict[str, int]:
    tables = {
        "organizations": organizations,
        "countries": countries,
        "categories": categories,
        "sources": sources,
        "memberships": memberships,
        "membership_events": membership_events,
        "status_periods": status_periods,
    }
    counts = union_all(
        *(select(literal(name), func.count()).select_from(table) for name, table in tables.items())
    )
    return {name: count for name, count in (await session.execute(counts)).all()}


async def dataset_coverage(session: AsyncSession) -> list[dict[str, object]]:
    """Each imported dataset and the span its known observations cover."""
    rows = await session.execute(
        text(
            """SELECT s.id, coalesce(s.title, s.id) AS title, s.url,
                 min(lower(d.during)) AS first, max(upper(d.during)) - 1 AS last
               FROM dataset_periods d JOIN sources s ON s.id = d.source_id
               WHERE d.status <> 'unknown' GROUP BY s.id ORDER BY s.id"""
        )
    )
    return [dict(row._mapping) for row in rows]
