"""A pair's history over time: timelines, the changes between two dates, what is coming up,
and counts by status on a date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, TextClause, and_, func, literal, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.clock import today
from app.errors import InvalidParameter
from app.models.tables import (
    categories,
    countries,
    listings,
    memberships,
    organization_categories,
    organizations,
    status_periods,
)
from app.pagination import PageRequest, paginate
from app.schemas.countries import CountryRef
from app.schemas.timelines import (
    MembershipStats,
    PendingWithoutDate,
    StatsCell,
    StatusChange,
    Upcoming,
)
from app.services import documents
from app.services.documents import JsonPage
from app.services.memberships import PERIOD_COLUMNS, load_events, period_from_row
from app.services.organizations import LIVE, in_categories, organization_refs, status_on
from app.vocabulary import DatePrecision, EventType, MembershipStatus, System

UNKNOWN = MembershipStatus.unknown.value


def _country(row: Any) -> CountryRef:
    return CountryRef(code=row["country_code"], alpha3=row["alpha3"], name_en=row["name_en"])


def _pair_columns() -> tuple[ColumnElement[Any], ...]:
    return (
        memberships.c.id,
        memberships.c.basis,
        memberships.c.basis_verification,
        memberships.c.country_code,
        memberships.c.organization_id,
        countries.c.alpha3,
        countries.c.name_en,
    )


@cache
def _timeline_statement(by_country: bool, filtered: bool, after: bool) -> TextClause:
    """A page of timelines in one statement: each pair's gap-free periods with the dated events
    each contains (`during @> date`: the periods tile the line), and its undated events."""
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
    found = "EXISTS (SELECT 1 FROM target)"
    if filtered:
        organization = documents.live_organization_key(":organization")
        where.append(f"m.organization_id = ({organization})")
        found += f" AND EXISTS ({organization})"
    if after:
        where.append(f"{sort_key} > :after")
    ctes = f"""
        target AS ({target}),
        page AS (
            SELECT m.id, m.basis, m.basis_verification, m.country_code, m.organization_id,
                   {sort_key} AS sort_key
            FROM memberships m JOIN organizations o ON o.id = m.organization_id
            WHERE {" AND ".join(where)}
            ORDER BY sort_key
            LIMIT :size + 1
        )"""
    contained = documents.events("page.id", "e.date IS NOT NULL AND p.during @> e.date")
    periods = f"""(
        SELECT coalesce(json_agg({documents.status_period("p", f"'events', {contained}")}
                                 ORDER BY lower(p.during) NULLS FIRST), '[]')
        FROM status_periods p WHERE p.membership_id = page.id)"""
    document = f"""json_build_object(
        'membership_id', page.id,
        'country', {documents.country_ref("c")},
        'organization', {documents.organization_ref("o")},
        'basis', page.basis,
        'basis_verification', page.basis_verification,
        'periods', {periods},
        'undated_events', {documents.events("page.id", "e.date IS NULL")})"""
    return text(documents.page_of_documents(ctes, document, found))


async def timelines(
    session: AsyncSession | AsyncConnection,
    page: PageRequest,
    *,
    country: str | None = None,
    organization: str | None = None,
) -> JsonPage:
    """A country's timelines ordered by organization slug (`country`: its code as asked;
    `organization`: only that one, id or slug), or an organization's by country (`country`
    None, `organization` its id or slug)."""
    by_country = country is not None
    statement = _timeline_statement(
        by_country, by_country and organization is not None, page.after is not None
    )
    values = {"key": country if by_country else organization, "organization": organization}
    return await documents.read_page(session, statement, values, page)


def _changes_query(*where: ColumnElement[bool]) -> Any:
    previous = status_periods.alias("previous")
    start = func.lower(status_periods.c.during)
    return (
        select(
            *_pair_columns(),
            organizations.c.slug,
            start.label("date"),
            status_periods.c.valid_from_precision.label("date_precision"),
            status_periods.c.status.label("to_status"),
            status_periods.c.evidence_event_id,
            func.coalesce(previous.c.status, UNKNOWN).label("from_status"),
        )
        .select_from(status_periods)
        .join(memberships, memberships.c.id == status_periods.c.membership_id)
        .join(organizations, organizations.c.id == memberships.c.organization_id)
        .join(countries, countries.c.code == memberships.c.country_code)
        .outerjoin(
            previous,
            and_(
                previous.c.membership_id == status_periods.c.membership_id,
                func.upper(previous.c.during) == start,
            ),
        )
        .where(
            LIVE,
            status_periods.c.valid_from_precision != DatePrecision.unknown.value,
            status_periods.c.status != MembershipStatus.unknown.value,
            *where,
        )
        .order_by(start, organizations.c.slug, countries.c.code)
    )


async def _changes(session: AsyncSession, rows: Sequence[Any]) -> list[StatusChange]:
    by_membership = await load_events(session, [r["id"] for r in rows])
    orgs = await organization_refs(session, [r["organization_id"] for r in rows])
    return [
        StatusChange(
            date=r["date"],
            date_precision=r["date_precision"],
            membership_id=r["id"],
            country=_country(r),
            organization=orgs[r["organization_id"]],
            from_status=r["from_status"],
            to_status=r["to_status"],
            # the events of that day, and the one the new period rests on (whose window, for a
            # date known to the year, ends on the day the change is certain)
            events=[
                e
                for e in by_membership[r["id"]]
                if e.date == r["date"] or e.id == r["evidence_event_id"]
            ],
        )
        for r in rows
    ]


async def changes(
    session: AsyncSession, country: str, start: dt.date, end: dt.date, page: PageRequest
) -> tuple[list[StatusChange], str | None]:
    """Status changes of `country` that took effect between `start` and `end` (inclusive)."""
    begins = func.lower(status_periods.c.during)
    query = _changes_query(
        memberships.c.country_code == country, begins >= start, begins <= end
    ).limit(page.size + 1)
    if page.after is not None:
        try:
            after_date = dt.date.fromisoformat(page.after[0])
        except ValueError:
            raise InvalidParameter("cursor", "The cursor is not one this API issued.") from None
        query = query.where(
            tuple_(begins, organizations.c.slug)
            > tuple_(literal(after_date), literal(page.after[1]))
        )
    rows, next_cursor = paginate(
        list((await session.execute(query)).mappings()),
        page,
        lambda r: (r["date"].isoformat(), r["slug"]),
    )
    return await _changes(session, rows), next_cursor


async def upcoming(session: AsyncSession, within_days: int, country: str | None) -> Upcoming:
    now = today()
    until = now + dt.timedelta(days=within_days)
    begins = func.lower(status_periods.c.during)
    scope = [memberships.c.country_code == country] if country else []
    scheduled = (
        await session.execute(_changes_query(begins > now, begins <= until, *scope))
    ).mappings()
    open_pending = (
        await session.execute(
            select(*_pair_columns(), *PERIOD_COLUMNS)
            .select_from(status_periods)
            .join(memberships, memberships.c.id == status_periods.c.membership_id)
            .join(organizations, organizations.c.id == memberships.c.organization_id)
            .join(countries, countries.c.code == memberships.c.country_code)
            .where(
                status_periods.c.during.contains(now),
                func.upper_inf(status_periods.c.during),
                status_periods.c.status == MembershipStatus.withdrawal_pending.value,
                LIVE,
                *scope,
            )
            .order_by(organizations.c.slug, countries.c.code)
        )
    ).mappings()
    pending_rows = list(open_pending)
    events = await load_events(session, [r["id"] for r in pending_rows])
    orgs = await organization_refs(session, [r["organization_id"] for r in pending_rows])
    unscheduled = []
    for r in pending_rows:
        period = period_from_row(r)
        evidence = next((e for e in events[r["id"]] if e.id == period.evidence_event), None)
        unscheduled.append(
            PendingWithoutDate(
                membership_id=r["id"],
                country=_country(r),
                organization=orgs[r["organization_id"]],
                status=period.status,
                since=period.valid_from,
                since_precision=period.valid_from_precision,
                evidence=evidence,
                # an undated listing is an observation, not a change to come
                expected=[
                    e for e in events[r["id"]] if e.date is None and e.type != EventType.listed
                ],
            )
        )
    return Upcoming(
        today=now,
        until=until,
        scheduled=await _changes(session, list(scheduled)),
        unscheduled=unscheduled,
    )


async def membership_stats(
    session: AsyncSession,
    country: CountryRef,
    as_of: dt.date,
    *,
    listed_in: str | None = None,
    system: System | None = None,
    category_ids: Sequence[str] | None = None,
) -> MembershipStats:
    """Counts of organizations by the country's status on `as_of`, by system and category."""
    where: list[ColumnElement[bool]] = [LIVE]
    if listed_in is not None:
        where.append(
            organizations.c.id.in_(
                select(listings.c.organization_id).where(listings.c.source_id == listed_in)
            )
        )
    if system is not None:
        where.append(organizations.c.system == system.value)
    if category_ids is not None:
        where.append(in_categories(category_ids))
    status = status_on(country.code, as_of).label("status")
    kept = select(organizations.c.id, organizations.c.system, status).where(*where).subquery("kept")
    cells_query = (
        select(kept.c.status, kept.c.system, categories.c.slug, func.count())
        .select_from(kept)
        .join(
            organization_categories,
            and_(
                organization_categories.c.organization_id == kept.c.id,
                organization_categories.c.is_primary,
            ),
        )
        .join(categories, categories.c.id == organization_categories.c.category_id)
        .group_by(kept.c.status, kept.c.system, categories.c.slug)
        .order_by(kept.c.status, kept.c.system, categories.c.slug)
    )
    cells = [
        StatsCell(status=s, system=sys, category=cat, count=n)
        for s, sys, cat, n in (await session.execute(cells_query)).all()
    ]
    by_category_query = (
        select(categories.c.slug, func.count(func.distinct(kept.c.id)))
        .select_from(kept)
        .join(organization_categories, organization_categories.c.organization_id == kept.c.id)
        .join(categories, categories.c.id == organization_categories.c.category_id)
        .group_by(categories.c.slug)
    )
    by_status: dict[str, int] = defaultdict(int)
    by_system: dict[str, int] = defaultdict(int)
    for cell in cells:
        by_status[cell.status.value] += cell.count
        by_system[cell.system] += cell.count
    return MembershipStats(
        country=country,
        as_of=as_of,
        listed_in=listed_in,
        total=sum(c.count for c in cells),
        by_status=dict(by_status),
        by_system=dict(by_system),
        by_category=dict((await session.execute(by_category_query)).all()),
        cells=cells,
    )
