"""Storing the registry's answer for pairs: the curated layer laid over the datasets' layers.

Every write that touches a pair's events (curated writes, imports, data migrations) ends here,
so `status_periods` always equals `overlay(derive_periods(curated events), dataset periods)`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict
from app.models.tables import (
    dataset_periods,
    membership_events,
    memberships,
    organizations,
    status_periods,
)
from app.services.sql import date_range, in_param, insert_rows
from app.services.status_periods import DerivedPeriod, EventFact, derive_periods, overlay
from app.vocabulary import (
    DatePrecision,
    EventType,
    MembershipBasis,
    MembershipStatus,
    UnknownReason,
)

REBUILD_CHUNK = 5000

CURATED = membership_events.c.qualifiers["dataset"].astext.is_(None)
"""Events a curator recorded; imported ones carry their dataset in `qualifiers`."""


def founding_floor(founded_on: dt.date | None, precision: str) -> dt.date | None:
    """The first day the organization may have existed; None when its founding is unknown."""
    return founded_on if precision != DatePrecision.unknown.value else None


def layered(
    facts: Iterable[EventFact],
    *,
    founded: dt.date | None,
    basis: MembershipBasis,
    dataset: Sequence[DerivedPeriod] = (),
) -> list[DerivedPeriod]:
    return overlay(derive_periods(facts, founded=founded, basis=basis), dataset)


def fact_of(row: Any) -> EventFact:
    return EventFact(
        row.id,
        EventType(row.type),
        row.date,
        DatePrecision(row.date_precision),
        row.date_earliest,
        row.date_latest,
    )


CURATED_FACTS = (
    select(
        membership_events.c.membership_id,
        membership_events.c.id,
        membership_events.c.type,
        membership_events.c.date,
        membership_events.c.date_precision,
        membership_events.c.date_earliest,
        membership_events.c.date_latest,
    )
    .where(in_param(membership_events.c.membership_id, "ids"), CURATED)
    .order_by(membership_events.c.membership_id, membership_events.c.id)
)


def period_columns(table: Table) -> tuple[ColumnElement[Any], ...]:
    """What a period says, read from `status_periods` or `dataset_periods` alike."""
    return (
        table.c.status,
        func.lower(table.c.during).label("lower"),
        func.upper(table.c.during).label("upper"),
        table.c.valid_from_precision,
        table.c.valid_to_precision,
        table.c.evidence_event_id,
        table.c.unknown_reason,
        table.c.source_id,
    )


_DATASET_PERIODS = (
    select(dataset_periods.c.membership_id, *period_columns(dataset_periods))
    .where(in_param(dataset_periods.c.membership_id, "ids"))
    .order_by(dataset_periods.c.membership_id, func.lower(dataset_periods.c.during).nulls_first())
)


async def load_dataset_layers(
    session: AsyncSession, membership_ids: Sequence[str]
) -> dict[str, list[DerivedPeriod]]:
    layers: dict[str, list[DerivedPeriod]] = defaultdict(list)
    for row in await session.execute(_DATASET_PERIODS, {"ids": list(membership_ids)}):
        layers[row.membership_id].append(
            DerivedPeriod(
                MembershipStatus(row.status),
                row.lower,
                row.upper,
                DatePrecision(row.valid_from_precision),
                DatePrecision(row.valid_to_precision) if row.valid_to_precision else None,
                row.evidence_event_id,
                UnknownReason(row.unknown_reason) if row.unknown_reason else None,
                row.source_id,
            )
        )
    return layers


def period_row(membership_id: str, period: DerivedPeriod) -> dict[str, Any]:
    return {
        "membership_id": membership_id,
        "status": period.status.value,
        "during": date_range(period.start, period.end),
        "valid_from_precision": period.start_precision.value,
        "valid_to_precision": period.end_precision.value if period.end_precision else None,
        "evidence_event_id": period.evidence_event_id,
        "unknown_reason": period.unknown_reason.value if period.unknown_reason else None,
        "source_id": period.source_id,
    }


_DELETE_PERIODS = delete(status_periods).where(in_param(status_periods.c.membership_id, "ids"))


async def replace_periods(session: AsyncSession, periods: dict[str, list[DerivedPeriod]]) -> None:
    """Store freshly derived periods for each membership; an overlap (impossible by
    derivation) is a 409, not a 500. No savepoint: after a Conflict every caller rolls the
    whole write back."""
    await session.execute(_DELETE_PERIODS, {"ids": list(periods)})
    rows = [period_row(m, p) for m, derived in periods.items() for p in derived]
    try:
        await insert_rows(session, status_periods, rows)
    except IntegrityError as exc:
        raise Conflict(f"The status periods would overlap: {exc.orig}") from None


_PAIRS = (
    select(
        memberships.c.id,
        memberships.c.basis,
        organizations.c.founded_on,
        organizations.c.founded_precision,
    )
    .join(organizations, organizations.c.id == memberships.c.organization_id)
    .where(in_param(memberships.c.id, "ids"))
)


async def curated_layers(
    session: AsyncSession, membership_ids: Sequence[str]
) -> dict[str, list[DerivedPeriod]]:
    """Each pair's periods from its curated events alone."""
    if not membership_ids:
        return {}
    facts: dict[str, list[EventFact]] = defaultdict(list)
    for row in await session.execute(CURATED_FACTS, {"ids": list(membership_ids)}):
        facts[row.membership_id].append(fact_of(row))
    return {
        row.id: derive_periods(
            facts[row.id],
            founded=founding_floor(row.founded_on, row.founded_precision),
            basis=MembershipBasis(row.basis),
        )
        for row in await session.execute(_PAIRS, {"ids": list(membership_ids)})
    }


async def rebuild(session: AsyncSession, membership_ids: Sequence[str] | None = None) -> int:
    """Derive and store the periods of these pairs (all pairs when None) from what is recorded:
    after a data migration, an import, or a change of the derivation rules."""
    if membership_ids is None:
        membership_ids = list(
            (await session.execute(select(memberships.c.id).order_by(memberships.c.id))).scalars()
        )
    for first in range(0, len(membership_ids), REBUILD_CHUNK):
        ids = list(membership_ids[first : first + REBUILD_CHUNK])
        curated = await curated_layers(session, ids)
        layers = await load_dataset_layers(session, ids)
        await replace_periods(
            session, {m: overlay(layer, layers[m]) for m, layer in curated.items()}
        )
    return len(membership_ids)
