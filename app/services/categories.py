"""The category tree and its organization counts."""

from __future__ import annotations

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import InvalidParameter, NotFound
from app.models.tables import categories, organization_categories, organizations
from app.pagination import PageRequest, paginate
from app.schemas.categories import Category


def _closure() -> Select[tuple[str, str]]:
    """(ancestor, descendant) for every category and everything below it, itself included."""
    base = select(categories.c.id.label("ancestor"), categories.c.id.label("descendant")).cte(
        "closure", recursive=True
    )
    step = select(base.c.ancestor, categories.c.id).join(
        categories, categories.c.parent_id == base.c.descendant
    )
    closure = base.union_all(step)
    return select(closure.c.ancestor, closure.c.descendant)


async def descendant_ids(session: AsyncSession, slug: str, parameter: str) -> list[str]:
    """Ids of the category `slug` and of all below it; an unknown slug is a bad parameter."""
    closure = _closure().subquery()
    query = (
        select(closure.c.descendant)
        .join(categories, categories.c.id == closure.c.ancestor)
        .where(categories.c.slug == slug)
    )
    ids = list((await session.execute(query)).scalars())
    if not ids:
        raise InvalidParameter(parameter, f"No category with slug '{slug}'.")
    return ids


async def _categories(
    session: AsyncSession, *, slug: str | None = None, page: PageRequest | None = None
) -> list[Category]:
    closure = _closure().subquery()
    counts = (
        select(
            closure.c.ancestor,
            func.count(func.distinct(organization_categories.c.organization_id)).label("total"),
            func.count(func.distinct(organization_categories.c.organization_id))
            .filter(organization_categories.c.is_primary)
            .label("primary"),
        )
        .join(
            organization_categories, organization_categories.c.category_id == closure.c.descendant
        )
        .join(organizations, organizations.c.id == organization_categories.c.organization_id)
        .where(organizations.c.deleted_at.is_(None), organizations.c.merged_into_id.is_(None))
        .group_by(closure.c.ancestor)
        .subquery()
    )
    parent = categories.alias("parent")
    child = categories.alias("child")
    children = func.array(
        select(child.c.slug)
        .where(child.c.parent_id == categories.c.id)
        .order_by(child.c.position)
        .scalar_subquery()
    )
    query = (
        select(
            categories.c.id,
            categories.c.slug,
            categories.c.name_en,
            categories.c.name_zh,
            categories.c.position,
            parent.c.slug.label("parent"),
            children.label("children"),
            func.coalesce(counts.c.total, 0).label("organization_count"),
            func.coalesce(counts.c.primary, 0).label("primary_organization_count"),
        )
        .outerjoin(parent, parent.c.id == categories.c.parent_id)
        .outerjoin(counts, counts.c.ancestor == categories.c.id)
        .order_by(categories.c.position, categories.c.id)
    )
    if slug is not None:
        query = query.where(categories.c.slug == slug)
    if page is not None:
        query = query.limit(page.size + 1)
        if page.after is not None:
            query = query.where(
                tuple_(categories.c.position, categories.c.id) > tuple_(*page.after)
            )
    return [Category.model_validate(dict(row)) for row in (await session.execute(query)).mappings()]


async def list_categories(
    session: AsyncSession, page: PageRequest
) -> tuple[list[Category], str | None]:
    return paginate(await _categories(session, page=page), page, lambda c: (c.position, c.id))


async def get_category(session: AsyncSession, slug: str) -> Category:
    found = await _categories(session, slug=slug)
    if not found:
        raise NotFound(f"No category with slug '{slug}'.")
    return found[0]
