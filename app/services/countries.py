"""Countries by ISO code in any case: alpha-2 or alpha-3 (ISO 3166-1), or the alpha-4 of a
country that no longer exists (ISO 3166-3: SUHH for the USSR, DDDE for East Germany)."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import InvalidParameter, NotFound
from app.models.tables import countries
from app.pagination import PageRequest, paginate
from app.schemas.countries import Country
from app.services.text import contains_pattern

_CODE = re.compile(r"^[A-Za-z]{2,4}$")


async def find_country_code(session: AsyncSession, code: str) -> str | None:
    """The registry's code (alpha-2, or alpha-4 for a former country) for an alpha-2, alpha-3
    or alpha-4 code in any case, or None if unknown."""
    if not _CODE.match(code):
        return None
    column = countries.c.alpha3 if len(code) == 3 else countries.c.code
    result = await session.execute(select(countries.c.code).where(column == code.upper()))
    found: str | None = result.scalar_one_or_none()
    return found


async def resolve_country(session: AsyncSession, code: str) -> str:
    found = await find_country_code(session, code)
    if found is None:
        raise NotFound(f"No ISO 3166 country with code '{code}'.")
    return found


async def resolve_country_parameter(session: AsyncSession, name: str, code: str) -> str:
    found = await find_country_code(session, code)
    if found is None:
        raise InvalidParameter(
            name,
            f"'{code}' is not an ISO 3166 country code (alpha-2, alpha-3, or ISO 3166-3 alpha-4 "
            "for a former country).",
        )
    return found


async def get_country(session: AsyncSession, code: str) -> Country:
    alpha2 = await resolve_country(session, code)
    row = (
        (await session.execute(select(countries).where(countries.c.code == alpha2)))
        .mappings()
        .one()
    )
    return Country.model_validate(dict(row))


async def list_countries(
    session: AsyncSession, page: PageRequest, q: str | None, historical: bool | None = None
) -> tuple[list[Country], str | None]:
    query = select(countries).order_by(countries.c.code).limit(page.size + 1)
    if historical is not None:
        query = query.where(countries.c.historical.is_(historical))
    if q:
        pattern = contains_pattern(q)
        query = query.where(
            or_(
                countries.c.name_en.ilike(pattern),
                countries.c.official_name_en.ilike(pattern),
                countries.c.name_zh_hans.ilike(pattern),
                countries.c.name_zh_hant.ilike(pattern),
                countries.c.code == q.upper(),
                countries.c.alpha3 == func.upper(q),
            )
        )
    if page.after is not None:
        query = query.where(countries.c.code > page.after[0])
    rows = [Country.model_validate(dict(r)) for r in (await session.execute(query)).mappings()]
    return paginate(rows, page, lambda c: (c.code,))
