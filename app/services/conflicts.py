"""Reading the conflicts imports found with curated data (written by app.services.cow_igo)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.tables import countries, import_conflicts, memberships
from app.pagination import PageRequest, paginate
from app.schemas.conflicts import Conflict
from app.schemas.countries import CountryRef
from app.services.organizations import organization_refs
from app.services.sources import source_refs


async def list_conflicts(
    session: AsyncSession,
    page: PageRequest,
    country: str | None,
    organization_id: str | None,
) -> tuple[list[Conflict], str | None]:
    query = (
        select(
            import_conflicts,
            func.lower(import_conflicts.c.during).label("valid_from"),
            func.upper(import_conflicts.c.during).label("valid_to"),
            memberships.c.country_code,
            memberships.c.organization_id,
            countries.c.alpha3,
            countries.c.name_en,
        )
        .join(memberships, memberships.c.id == import_conflicts.c.membership_id)
        .join(countries, countries.c.code == memberships.c.country_code)
        .order_by(import_conflicts.c.id)
        .limit(page.size + 1)
    )
    if country is not None:
        query = query.where(memberships.c.country_code == country)
    if organization_id is not None:
        query = query.where(memberships.c.organization_id == organization_id)
    if page.after is not None:
        query = query.where(import_conflicts.c.id > page.after[0])
    rows = list((await session.execute(query)).mappings())
    orgs = await organization_refs(session, {r["organization_id"] for r in rows})
    cited = await source_refs(session, {r["source_id"] for r in rows})
    items = [
        Conflict(
            id=r["id"],
            membership_id=r["membership_id"],
            country=CountryRef(code=r["country_code"], alpha3=r["alpha3"], name_en=r["name_en"]),
            organization=orgs[r["organization_id"]],
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            dataset=cited[r["source_id"]],
            dataset_says=r["dataset_says"],
            registry_says=r["registry_says"],
            followed=r["followed"],
            detected_at=r["detected_at"],
        )
        for r in rows
    ]
    return paginate(items, page, lambda c: (c.id,))
