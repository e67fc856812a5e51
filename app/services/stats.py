"""Counts over many pairs: each organization's members on a date, and exits per year and state.

Both read the stored status periods, the same answer every other read gives."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.clock import today
from app.models.tables import (
    countries,
    member_lists,
    membership_events,
    memberships,
    organizations,
    status_periods,
)
from app.pagination import PageRequest, paginate
from app.schemas.countries import CountryRef
from app.schemas.stats import (
    CountryExits,
    ExitStats,
    ExitYear,
    MemberListRef,
    OrganizationStats,
)
from app.services.organizations import LIVE, in_categories, organization_refs
from app.services.sources import source_refs
from app.services.sql import in_param, one_of
from app.vocabulary import DatePrecision, MembershipStatus, System

S = MembershipStatus
COUNTED_AS_MEMBERS = (S.member, S.withdrawal_pending, S.suspended)


async def organization_stats(
    session: AsyncSession,
    as_of: dt.date,
    page: PageRequest,
    *,
    keys: Sequence[str] | None = None,
    system: System | None = None,
    category_ids: Sequence[str] | None = None,
) -> tuple[list[OrganizationStats], str | None]:
    """Organizations by slug, each with its states counted by status on `as_of`."""
    where: list[ColumnElement[bool]] = [LIVE]
    if keys:
        where.append(or_(one_of(organizations.c.id, keys), one_of(organizations.c.slug, keys)))
    if system is not None:
        where.append(organizations.c.system == system.value)
    if category_ids is not None:
        where.append(in_categories(category_ids))
    if page.after is not None:
        where.append(organizations.c.slug > page.after[0])
    query = (
        select(organizations.c.id, organizations.c.slug)
        .where(*where)
        .order_by(organizations.c.slug)
        .limit(page.size + 1)
    )
    rows = (await session.execute(query)).all()
    page_rows, next_cursor = paginate(rows, page, lambda r: (r.slug,))
    ids = [r.id for r in page_rows]
    counts = await _status_counts(session, ids, as_of)
    lists = await member_lists_of(session, ids)
    refs = await organization_refs(session, ids)
    items = [
        OrganizationStats(
            organization=refs[org_id],
            as_of=as_of,
            members=sum(counts[org_id].get(s.value, 0) for s in COUNTED_AS_MEMBERS),
            by_status=dict(sorted(counts[org_id].items())),
            member_lists=lists.get(org_id, []),
        )
        for org_id in ids
    ]
    return items, next_cursor


async def _status_counts(
    session: AsyncSession, org_ids: list[str], as_of: dt.date
) -> dict[str, dict[str, int]]:
    period = status_periods.alias("period")
    status = func.coalesce(period.c.status, S.unknown.value)
    query = (
        select(memberships.c.organization_id, status, func.count())
        .select_from(memberships)
        .outerjoin(
            period,
            and_(period.c.membership_id == memberships.c.id, period.c.during.contains(as_of)),
        )
        .where(in_param(memberships.c.organization_id, "ids"))
        .group_by(memberships.c.organization_id, status)
    )
    counts: dict[str, dict[str, int]] = {org_id: {} for org_id in org_ids}
    for org_id, status_value, n in await session.execute(query, {"ids": org_ids}):
        counts[org_id][status_value] = n
    return counts


_LISTS = (
    select(
        member_lists.c.id,
        member_lists.c.organization_id,
        member_lists.c.source_id,
        member_lists.c.observed_on,
        member_lists.c.observed_precision,
        select(func.count())
        .where(membership_events.c.member_list_id == member_lists.c.id)
        .scalar_subquery()
        .label("states"),
    )
    .where(in_param(member_lists.c.organization_id, "ids"))
    .order_by(member_lists.c.observed_on, member_lists.c.id)
)


async def member_lists_of(
    session: AsyncSession, org_ids: Sequence[str]
) -> dict[str, list[MemberListRef]]:
    rows = list(await session.execute(_LISTS, {"ids": list(org_ids)}))
    cited = await source_refs(session, [r.source_id for r in rows])
    found: dict[str, list[MemberListRef]] = defaultdict(list)
    for r in rows:
        found[r.organization_id].append(
            MemberListRef(
                id=r.id,
                observed_on=r.observed_on,
                observed_precision=DatePrecision(r.observed_precision),
                source=cited[r.source_id],
                states=r.states,
            )
        )
    return found


async def exit_stats(
    session: AsyncSession,
    from_year: int,
    to_year: int,
    *,
    country: str | None = None,
    organization_id: str | None = None,
    system: System | None = None,
) -> ExitStats:
    """Withdrawals begun (`withdrawal_pending`) and taking effect (`withdrawn`) per year and per
    state, each dated by the event behind its period; undated ones fall in no year."""
    now = today()
    year = extract("year", membership_events.c.date).label("year")
    where: list[ColumnElement[bool]] = [
        LIVE,
        status_periods.c.status.in_([S.withdrawal_pending.value, S.withdrawn.value]),
        membership_events.c.date_precision != DatePrecision.unknown.value,
        year.between(from_year, to_year),
    ]
    if country is not None:
        where.append(memberships.c.country_code == country)
    if organization_id is not None:
        where.append(organizations.c.id == organization_id)
    if system is not None:
        where.append(organizations.c.system == system.value)
    query = (
        select(
            status_periods.c.status,
            year,
            membership_events.c.date,
            memberships.c.country_code,
            countries.c.alpha3,
            countries.c.name_en,
            organizations.c.slug,
        )
        .join(memberships, memberships.c.id == status_periods.c.membership_id)
        .join(organizations, organizations.c.id == memberships.c.organization_id)
        .join(countries, countries.c.code == memberships.c.country_code)
        .join(membership_events, membership_events.c.id == status_periods.c.evidence_event_id)
        .where(*where)
    )
    by_year: dict[int, dict[str, int]] = {
        y: {"begun": 0, "effective": 0, "scheduled": 0} for y in range(from_year, to_year + 1)
    }
    by_country: dict[str, dict[str, Any]] = {}
    for status, when, day, code, alpha3, name_en, slug in await session.execute(query):
        kind = "begun"
        if status == S.withdrawn.value:
            kind = "effective" if day <= now else "scheduled"
        by_year[int(when)][kind] += 1
        entry = by_country.setdefault(
            code,
            {
                "country": CountryRef(code=code, alpha3=alpha3, name_en=name_en),
                "effective": 0,
                "scheduled": 0,
                "begun": 0,
                "organizations": set(),
            },
        )
        entry[kind] += 1
        entry["organizations"].add(slug)
    ranked = sorted(
        by_country.values(),
        key=lambda e: (-e["effective"], -e["scheduled"], -e["begun"], e["country"].code),
    )
    return ExitStats(
        from_year=from_year,
        to_year=to_year,
        today=now,
        years=[ExitYear(year=y, **counts) for y, counts in by_year.items()],
        countries=[
            CountryExits(**{**e, "organizations": sorted(e["organizations"])}) for e in ranked
        ],
    )
