"""Reading contributions, and the statistics that join them with membership.

Every read runs a fixed number of statements whatever the page size: the contributions with
their country and source ids in one, then the organizations and sources they cite in one each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Gone, NotFound
from app.models.tables import (
    contribution_sources,
    contributions,
    countries,
    listings,
    organizations,
)
from app.pagination import PageRequest, paginate
from app.schemas.contributions import (
    AmountTotal,
    Contribution,
    ContributionStats,
    OrganizationContributions,
)
from app.schemas.countries import CountryRef
from app.services.organizations import LIVE, organization_refs, status_on
from app.services.sources import source_refs
from app.services.sql import ids_of, one_of
from app.vocabulary import ContributionKind, MembershipStatus, Qualifier, Recipient

_ROWS = select(
    contributions,
    countries.c.alpha3,
    countries.c.name_en,
    ids_of(
        contribution_sources.c.source_id,
        contribution_sources.c.contribution_id == contributions.c.id,
    ).label("source_ids"),
).join(countries, countries.c.code == contributions.c.country_code)
CURRENT = contributions.c.deleted_at.is_(None)


@dataclass(frozen=True)
class ContributionFilters:
    country: str | None = None
    """The registry's country code."""
    organization_id: str | None = None
    year: int | None = None
    """Periods that overlap this calendar year (a figure with no period overlaps none)."""
    kind: ContributionKind | None = None
    recipient: Recipient | None = None

    def where(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [CURRENT]
        if self.country is not None:
            where.append(contributions.c.country_code == self.country)
        if self.organization_id is not None:
            where.append(contributions.c.organization_id == self.organization_id)
        if self.year is not None:
            where.append(contributions.c.period_start <= dt.date(self.year, 12, 31))
            where.append(contributions.c.period_end >= dt.date(self.year, 1, 1))
        if self.kind is not None:
            where.append(contributions.c.kind == self.kind.value)
        if self.recipient is not None:
            where.append(contributions.c.recipient == self.recipient.value)
        return where


async def _contributions(session: AsyncSession, query: Select[Any]) -> list[Contribution]:
    rows = [dict(r) for r in (await session.execute(query)).mappings()]
    orgs = await organization_refs(
        session, [r["organization_id"] for r in rows if r["organization_id"]]
    )
    cited = await source_refs(session, [s for r in rows for s in r["source_ids"]])
    return [
        Contribution.model_validate(
            {
                **row,
                "country": CountryRef(
                    code=row["country_code"], alpha3=row["alpha3"], name_en=row["name_en"]
                ),
                "organization": orgs.get(row["organization_id"] or ""),
                "sources": [cited[s] for s in row["source_ids"]],
            }
        )
        for row in rows
    ]


async def list_contributions(
    session: AsyncSession, page: PageRequest, filters: ContributionFilters
) -> tuple[list[Contribution], str | None]:
    query = _ROWS.where(*filters.where()).order_by(contributions.c.id).limit(page.size + 1)
    if page.after is not None:
        query = query.where(contributions.c.id > page.after[0])
    return paginate(await _contributions(session, query), page, lambda c: (c.id,))


async def get_contribution(session: AsyncSession, contribution_id: str) -> Contribution:
    """One contribution; a deleted one is Gone (410)."""
    found = await _contributions(session, _ROWS.where(contributions.c.id == contribution_id))
    if not found:
        raise NotFound(f"No contribution with id '{contribution_id}'.")
    deleted = await session.execute(
        select(contributions.c.deleted_at).where(contributions.c.id == contribution_id)
    )
    if deleted.scalar_one() is not None:
        raise Gone(f"Contribution '{contribution_id}' was deleted.")
    return found[0]


async def require_contribution(session: AsyncSession, contribution_id: str) -> None:
    """404 unless the id was ever a contribution (deleted ones keep their history)."""
    found = await session.execute(
        select(contributions.c.id).where(contributions.c.id == contribution_id)
    )
    if found.scalar_one_or_none() is None:
        raise NotFound(f"No contribution with id '{contribution_id}'.")


async def contribution_stats(
    session: AsyncSession,
    country: CountryRef,
    as_of: dt.date,
    *,
    listed_in: str | None = None,
    statuses: Sequence[MembershipStatus] | None = None,
) -> ContributionStats:
    """The organizations where the country has one of `statuses` on `as_of` (or that the act
    `listed_in` lists, or both), each with the country's figures for it."""
    status = status_on(country.code, as_of).label("status")
    where: list[ColumnElement[bool]] = [LIVE]
    if listed_in is not None:
        where.append(
            organizations.c.id.in_(
                select(listings.c.organization_id).where(listings.c.source_id == listed_in)
            )
        )
    kept = select(organizations.c.id, organizations.c.slug, status).where(*where).subquery()
    query = select(kept.c.id, kept.c.status).order_by(kept.c.slug)
    if statuses:
        query = query.where(kept.c.status.in_([s.value for s in statuses]))
    orgs = [(r.id, MembershipStatus(r.status)) for r in await session.execute(query)]
    org_ids = [org_id for org_id, _ in orgs]
    refs = await organization_refs(session, org_ids)
    figures = await _contributions(
        session,
        _ROWS.where(
            CURRENT,
            contributions.c.country_code == country.code,
            one_of(contributions.c.organization_id, org_ids),
        ).order_by(contributions.c.period_start.nulls_last(), contributions.c.id),
    )
    by_org: dict[str, list[Contribution]] = defaultdict(list)
    for figure in figures:
        if figure.organization is not None:
            by_org[figure.organization.id].append(figure)
    others = await _contributions(
        session,
        _ROWS.where(
            CURRENT,
            contributions.c.country_code == country.code,
            contributions.c.recipient != Recipient.organization.value,
        ).order_by(contributions.c.period_start.nulls_last(), contributions.c.id),
    )
    with_figures = sum(1 for org_id in org_ids if by_org[org_id])
    return ContributionStats(
        country=country,
        as_of=as_of,
        listed_in=listed_in,
        statuses=list(statuses) if statuses else None,
        organizations=[
            OrganizationContributions(
                organization=refs[org_id], status=org_status, contributions=by_org[org_id]
            )
            for org_id, org_status in orgs
        ],
        organizations_total=len(orgs),
        with_figures=with_figures,
        without_figures=len(orgs) - with_figures,
        amount_totals=amount_totals(figures),
        other_recipients=others,
    )


def amount_totals(figures: Sequence[Contribution]) -> list[AmountTotal]:
    """Amounts summed per currency and kind, carrying their qualifiers and periods along."""
    sums: dict[tuple[str, ContributionKind], dict[str, Any]] = {}
    for figure in figures:
        if figure.amount is None or figure.currency is None:
            continue
        entry = sums.setdefault(
            (figure.currency, figure.kind),
            {"amount": Decimal(0), "figures": 0, "qualifiers": set(), "periods": set()},
        )
        entry["amount"] += Decimal(str(figure.amount))
        entry["figures"] += 1
        entry["qualifiers"].add(figure.amount_qualifier or Qualifier.exact)
        entry["periods"].add(
            f"{figure.period_start}..{figure.period_end}" if figure.period_start else "unknown"
        )
    return [
        AmountTotal(
            currency=currency,
            kind=kind,
            amount=float(entry["amount"]),
            figures=entry["figures"],
            qualifiers=sorted(entry["qualifiers"]),
            periods=sorted(entry["periods"]),
        )
        for (currency, kind), entry in sorted(sums.items())
    ]
