"""Reading sources, and resolving the sources cited next to facts in one query."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import InvalidParameter, NotFound
from app.models.tables import sources
from app.pagination import PageRequest, paginate
from app.schemas.sources import Source, SourceRef
from app.services.sql import in_param
from app.vocabulary import SourceKind

_REF_COLUMNS = (
    sources.c.id,
    sources.c.title,
    sources.c.publisher,
    sources.c.url,
    sources.c.published_on,
    sources.c.kind,
)


_REFS = select(*_REF_COLUMNS).where(in_param(sources.c.id, "ids"))


async def source_refs(session: AsyncSession, ids: Iterable[str]) -> dict[str, SourceRef]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = (await session.execute(_REFS, {"ids": wanted})).mappings()
    return {row["id"]: SourceRef.model_validate(dict(row)) for row in rows}


async def list_sources(
    session: AsyncSession, page: PageRequest, kind: SourceKind | None
) -> tuple[list[Source], str | None]:
    query = select(sources).order_by(sources.c.id).limit(page.size + 1)
    if kind is not None:
        query = query.where(sources.c.kind == kind.value)
    if page.after is not None:
        query = query.where(sources.c.id > page.after[0])
    rows = [Source.model_validate(dict(r)) for r in (await session.execute(query)).mappings()]
    return paginate(rows, page, lambda s: (s.id,))


async def get_source(session: AsyncSession, source_id: str) -> Source:
    row = (
        (await session.execute(select(sources).where(sources.c.id == source_id))).mappings().first()
    )
    if row is None:
        raise NotFound(f"No source with id '{source_id}'.")
    return Source.model_validate(dict(row))


async def resolve_source_parameter(session: AsyncSession, name: str, source_id: str) -> str:
    found = await session.execute(select(sources.c.id).where(sources.c.id == source_id))
    if found.scalar_one_or_none() is None:
        raise InvalidParameter(name, f"No source with id '{source_id}'.")
    return source_id
