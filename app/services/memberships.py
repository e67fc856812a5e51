"""Memberships: the status of a pair on a date, and a pair's full history with its sources."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, and_, bindparam, case, func, nulls_last, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.clock import today
from app.errors import NotFound
from app.models.tables import (
    countries,
    membership_event_sources,
    membership_events,
    memberships,
    organizations,
    status_periods,
)
from app.pagination import PageRequest, paginate
from app.schemas.countries import CountryRef
from app.schemas.memberships import Event, KnownStatus, Membership, MembershipAsOf, StatusPeriod
from app.services.organizations import LIVE, in_categories, organization_refs
from app.services.periods import period_columns
from app.services.sources import source_refs
from app.services.sql import ids_of, in_param
from app.vocabulary import DatePrecision, MembershipStatus, System

PERIOD_COLUMNS = period_columns(status_periods)


CITED_SOURCES = ids_of(
    membership_event_sources.c.source_id,
    membership_event_sources.c.event_id == membership_events.c.id,
).label("cited")


def period_from_row(row: Any) -> StatusPeriod:
    unknown_start = row["valid_from_precision"] == DatePrecision.unknown
    return StatusPeriod(
        status=row["status"],
        valid_from=None if unknown_start else row["lower"],
        valid_from_precision=row["valid_from_precision"],
        valid_to=row["upper"],
        valid_to_precision=row["valid_to_precision"],
        evidence_event=row["evidence_event_id"],
        unknown_reason=row["unknown_reason"],
        source=row["source_id"],
    )


@dataclass(frozen=True)
class MembershipFilters:
    as_of: dt.date
    country: str | None = None
    organization_id: str | None = None
    statuses: Sequence[MembershipStatus] = ()
    category_ids: Sequence[str] | None = None
    system: System | None = None


async def memberships_as_of(
    session: AsyncSession, filters: MembershipFilters, page: PageRequest
) -> tuple[list[MembershipAsOf], str | None]:
    """One country's memberships (ordered by organization slug) or one organization's
    (ordered by country code), each with its status on `as_of`."""
    by_country = filters.country is not None
    sort_column = organizations.c.slug if by_country else memberships.c.country_code
    period = status_periods.alias("period")
    status = func.coalesce(period.c.status, MembershipStatus.unknown.value)
    query = (
        select(
            memberships.c.id,
            memberships.c.basis,
            memberships.c.country_code,
            memberships.c.organization_id,
            countries.c.alpha3,
            countries.c.name_en,
            status.label("status"),
            func.lower(period.c.during).label("lower"),
            func.upper(period.c.during).label("upper"),
            period.c.valid_from_precision,
            period.c.valid_to_precision,
            period.c.evidence_event_id,
            period.c.unknown_reason,
            period.c.source_id,
            sort_column.label("sort_key"),
        )
        .join(organizations, organizations.c.id == memberships.c.organization_id)
        .join(countries, countries.c.code == memberships.c.country_code)
        .outerjoin(
            period,
            and_(
                period.c.membership_id == memberships.c.id, period.c.during.contains(filters.as_of)
            ),
        )
        .order_by(sort_column)
        .limit(page.size + 1)
    )
    query = query.where(*_membership_where(filters, status))
    if page.after is not None:
        query = query.where(sort_column > page.after[0])
    rows = list((await session.execute(query)).mappings())
    page_rows, next_cursor = paginate(rows, page, lambda r: (r["sort_key"],))

    orgs = await organization_refs(session, [r["organization_id"] for r in page_rows])
    unknown = [r["id"] for r in page_rows if r["status"] == MembershipStatus.unknown]
    sides = await _known_sides(session, unknown, filters.as_of)
    evidence = await events_by_id(
        session,
        [r["evidence_event_id"] for r in page_rows if r["evidence_event_id"]]
        + [p["evidence_event_id"] for pair in sides.values() for p in pair if p is not None],
    )

    def known(row: Any) -> KnownStatus | None:
        if row is None:
            return None
        return KnownStatus(
            status=row["status"],
            valid_from=row["lower"],
            valid_to=row["upper"],
            source=row["source_id"],
            evidence=evidence.get(row["evidence_event_id"]),
        )

    items = [
        MembershipAsOf(
            id=r["id"],
            country=CountryRef(code=r["country_code"], alpha3=r["alpha3"], name_en=r["name_en"]),
            organization=orgs[r["organization_id"]],
            basis=r["basis"],
            as_of=filters.as_of,
            status=r["status"],
            period=period_from_row(r) if r["valid_from_precision"] else None,
            evidence=evidence.get(r["evidence_event_id"]),
            last_known=known(sides.get(r["id"], (None, None))[0]),
            next_known=known(sides.get(r["id"], (None, None))[1]),
        )
        for r in page_rows
    ]
    return items, next_cursor


_KNOWN_PERIODS = (
    select(status_periods.c.membership_id, *PERIOD_COLUMNS)
    .where(
        in_param(status_periods.c.membership_id, "ids"),
        status_periods.c.status != MembershipStatus.unknown.value,
    )
    .order_by(status_periods.c.membership_id, func.lower(status_periods.c.during).nulls_first())
)


async def _known_sides(
    session: AsyncSession, membership_ids: list[str], day: dt.date
) -> dict[str, tuple[Any, Any]]:
    """For pairs whose status on `day` is unknown: the nearest known period before and after."""
    if not membership_ids:
        return {}
    sides: dict[str, tuple[Any, Any]] = {m: (None, None) for m in membership_ids}
    for row in (await session.execute(_KNOWN_PERIODS, {"ids": membership_ids})).mappings():
        before, after = sides[row["membership_id"]]
        if row["upper"] is not None and row["upper"] <= day:
            before = row
        elif after is None and row["lower"] is not None and row["lower"] > day:
            after = row
        sides[row["membership_id"]] = (before, after)
    return sides


def _membership_where(
    filters: MembershipFilters, status: ColumnElement[Any]
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [LIVE]
    if filters.country is not None:
        clauses.append(memberships.c.country_code == filters.country)
    if filters.organization_id is not None:
        clauses.append(memberships.c.organization_id == filters.organization_id)
    if filters.statuses:
        clauses.append(status.in_([s.value for s in filters.statuses]))
    if filters.category_ids is not None:
        clauses.append(in_categories(filters.category_ids))
    if filters.system is not None:
        clauses.append(organizations.c.system == filters.system.value)
    return clauses


def _events(where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(membership_events, CITED_SOURCES)
        .where(where)
        .order_by(nulls_last(membership_events.c.date.asc()), membership_events.c.id)
    )


_EVENTS_OF = _events(in_param(membership_events.c.membership_id, "ids"))
_EVENTS_BY_ID = _events(in_param(membership_events.c.id, "ids"))


async def events_by_id(session: AsyncSession, event_ids: Sequence[str]) -> dict[str, Event]:
    return {e.id: e for _, e in await _load_events(session, _EVENTS_BY_ID, event_ids)}


async def load_events(
    session: AsyncSession, membership_ids: Sequence[str]
) -> dict[str, list[Event]]:
    """Each membership's events, oldest first (undated last), with their sources."""
    grouped: dict[str, list[Event]] = defaultdict(list)
    for membership_id, event in await _load_events(session, _EVENTS_OF, membership_ids):
        grouped[membership_id].append(event)
    return grouped


async def _load_events(
    session: AsyncSession, statement: Select[Any], ids: Sequence[str]
) -> list[tuple[str, Event]]:
    """(membership id, event) in the statement's order."""
    if not ids:
        return []
    rows = list((await session.execute(statement, {"ids": list(ids)})).mappings())
    refs = await source_refs(session, (s for r in rows for s in r["cited"]))
    return [
        (
            r["membership_id"],
            Event(
                id=r["id"],
                type=r["type"],
                date=r["date"],
                date_precision=r["date_precision"],
                date_earliest=r["date_earliest"],
                date_latest=r["date_latest"],
                verification=r["verification"],
                note=r["note"],
                qualifiers=r["qualifiers"],
                sources=[refs[s] for s in r["cited"]],
            ),
        )
        for r in rows
    ]


_MEMBERSHIP = (
    select(
        memberships,
        countries.c.alpha3,
        countries.c.name_en,
        select(status_periods.c.status)
        .where(
            status_periods.c.membership_id == memberships.c.id,
            status_periods.c.during.contains(bindparam("today", type_=Date)),
        )
        .scalar_subquery()
        .label("status_today"),
    )
    .join(countries, countries.c.code == memberships.c.country_code)
    .where(memberships.c.id == bindparam("membership_id"))
)
_PERIODS = (
    select(*PERIOD_COLUMNS)
    .where(status_periods.c.membership_id == bindparam("membership_id"))
    .order_by(
        case((func.lower_inf(status_periods.c.during), 0), else_=1),
        func.lower(status_periods.c.during),
    )
)


async def get_membership(session: AsyncSession, membership_id: str) -> Membership:
    key = {"membership_id": membership_id}
    row = (await session.execute(_MEMBERSHIP, {**key, "today": today()})).mappings().first()
    if row is None:
        raise NotFound(f"No membership with id '{membership_id}'.")
    periods = [period_from_row(p) for p in (await session.execute(_PERIODS, key)).mappings()]
    orgs = await organization_refs(session, [row["organization_id"]])
    return Membership(
        id=row["id"],
        country=CountryRef(code=row["country_code"], alpha3=row["alpha3"], name_en=row["name_en"]),
        organization=orgs[row["organization_id"]],
        basis=row["basis"],
        basis_verification=row["basis_verification"],
        note=row["note"],
        status_today=row["status_today"] or MembershipStatus.unknown,
        periods=periods,
        events=(await load_events(session, [membership_id]))[membership_id],
    )
