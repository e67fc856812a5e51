"""Memberships: the status of a pair on a date, and a pair's full history with its sources."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    TextClause,
    bindparam,
    nulls_last,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.clock import today
from app.errors import NotFound
from app.models.tables import (
    membership_event_sources,
    membership_events,
    status_periods,
)
from app.pagination import PageRequest
from app.schemas.memberships import Event, StatusPeriod
from app.services import documents
from app.services.documents import Document, JsonPage
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
    """The country's code as asked (alpha-2, alpha-3 or alpha-4, any case)."""
    organization: str | None = None
    """The organization's id or slug as asked."""
    statuses: Sequence[MembershipStatus] = ()
    category_ids: Sequence[str] | None = None
    system: System | None = None


def _known_side(before: bool) -> str:
    """For an `unknown` item: the nearest period on one side whose status is known."""
    side, order = (
        ("upper(k.during) <= :as_of", "lower(k.during) DESC NULLS LAST")
        if before
        else ("lower(k.during) > :as_of", "lower(k.during)")
    )
    return f"""CASE WHEN page.status IS NULL OR page.status = 'unknown' THEN (
        SELECT {documents.known_status("k")} FROM status_periods k
        WHERE k.membership_id = page.id AND k.status <> 'unknown' AND {side}
        ORDER BY {order} LIMIT 1) END"""


@cache
def _as_of_statement(
    by_country: bool, statuses: bool, categories: bool, system: bool, after: bool
) -> TextClause:
    """One statement, one row: the data version, whether the country or organization exists,
    the page's items as one JSON array built by PostgreSQL, and the sort key to continue from.
    Its text depends only on which filters are given: each variant is built once here and
    prepared once by the driver. The period covering the day is looked up per pair (LATERAL),
    which PostgreSQL plans the same way for every country, organization and date."""
    if by_country:
        target = documents.country_key(":key")
        sort_key, tied = "o.slug", "m.country_code"
    else:
        target = documents.live_organization_key(":key")
        sort_key, tied = "m.country_code", "m.organization_id"
    where = [
        f"{tied} = (SELECT * FROM target)",
        "o.deleted_at IS NULL",
        "o.merged_into_id IS NULL",
    ]
    if categories:
        where.append(
            "EXISTS (SELECT 1 FROM organization_categories oc WHERE oc.organization_id = o.id "
            "AND oc.category_id = ANY(:categories))"
        )
    if system:
        where.append("o.system = :system")
    if after:
        where.append(f"{sort_key} > :after")
    # Without a status filter, the page is cut before the periods are looked up.
    status_filter = "WHERE coalesce(p.status, 'unknown') = ANY(:statuses)" if statuses else ""
    ctes = f"""
        target AS ({target}),
        mine AS MATERIALIZED (
            SELECT m.id, m.basis, m.country_code, m.organization_id, {sort_key} AS sort_key
            FROM memberships m JOIN organizations o ON o.id = m.organization_id
            WHERE {" AND ".join(where)}
        ), ordered AS (
            SELECT * FROM mine ORDER BY sort_key {"" if statuses else "LIMIT :size + 1"}
        ), page AS (
            SELECT ordered.*, p.membership_id, p.status, p.during, p.valid_from_precision,
                   p.valid_to_precision, p.evidence_event_id, p.unknown_reason, p.source_id
            FROM ordered LEFT JOIN LATERAL (
                SELECT * FROM status_periods sp
                WHERE sp.membership_id = ordered.id AND sp.during @> :as_of LIMIT 1
            ) p ON true
            {status_filter}
            ORDER BY ordered.sort_key
            LIMIT :size + 1
        )"""
    document = f"""json_build_object(
        'id', page.id,
        'country', {documents.country_ref("c")},
        'organization', {documents.organization_ref("o")},
        'basis', page.basis,
        'as_of', CAST(:as_of AS date),
        'status', coalesce(page.status, 'unknown'),
        'period', {documents.status_period("page")},
        'evidence', {documents.event("page.evidence_event_id")},
        'last_known', {_known_side(before=True)},
        'next_known', {_known_side(before=False)})"""
    return text(
        documents.page_of_documents(ctes, document, "EXISTS (SELECT 1 FROM target)")
    ).bindparams(bindparam("as_of", type_=Date))


async def memberships_as_of(
    session: AsyncSession | AsyncConnection, filters: MembershipFilters, page: PageRequest
) -> JsonPage:
    """One country's memberships (ordered by organization slug) or one organization's
    (ordered by country code), each with its status on `as_of` (MembershipAsOf), in one
    statement."""
    statement = _as_of_statement(
        filters.country is not None,
        bool(filters.statuses),
        filters.category_ids is not None,
        filters.system is not None,
        page.after is not None,
    )
    values: dict[str, Any] = {
        "key": filters.country if filters.country is not None else filters.organization,
        "as_of": filters.as_of,
        "statuses": [s.value for s in filters.statuses],
        "categories": list(filters.category_ids or ()),
        "system": filters.system.value if filters.system else None,
    }
    return await documents.read_page(session, statement, values, page)


def _events(where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(membership_events, CITED_SOURCES)
        .where(where)
        .order_by(nulls_last(membership_events.c.date.asc()), membership_events.c.id)
    )


_EVENTS_OF = _events(in_param(membership_events.c.membership_id, "ids"))


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


_DOCUMENT = text(
    f"""
    SELECT (SELECT version FROM data_version), m.id, {documents.membership("m")}::text
    FROM (SELECT 1) AS one LEFT JOIN memberships m ON m.id = :membership_id
    """
)


async def membership_document(
    session: AsyncSession | AsyncConnection, membership_id: str
) -> tuple[int, Document]:
    """The data version, and the membership as the document a GET answers, built by
    PostgreSQL in the same statement."""
    version, found, body = (
        await session.execute(_DOCUMENT, {"membership_id": membership_id, "today": today()})
    ).one()
    if found is None:
        raise NotFound(f"No membership with id '{membership_id}'.")
    return version, Document(found, body.encode())
