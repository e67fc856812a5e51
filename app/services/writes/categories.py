"""Creating, changing and deleting categories (the tree stays a tree)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, InvalidBody, NotFound
from app.ids import new_id
from app.models.tables import categories, organization_categories
from app.schemas.categories import Category
from app.schemas.writes import CategoryCreate, CategoryPatch
from app.services import revisions
from app.services.categories import get_category
from app.services.writes.common import Actor, Precondition, bumped, lock_row, require_version

FIELDS = ("slug", "parent_id", "name_en", "name_zh", "position")


async def _category_id(session: AsyncSession, slug: str, field: str) -> str:
    found = (
        await session.execute(select(categories.c.id).where(categories.c.slug == slug))
    ).scalar_one_or_none()
    if found is None:
        raise InvalidBody(f"No category with slug '{slug}'.", field=field)
    return str(found)


async def _ancestors(session: AsyncSession, category_id: str) -> list[str]:
    chain: list[str] = []
    current: str | None = category_id
    while current is not None and current not in chain:
        chain.append(current)
        current = (
            await session.execute(select(categories.c.parent_id).where(categories.c.id == current))
        ).scalar_one_or_none()
    return chain


async def _record(
    session: AsyncSession,
    category_id: str,
    action: str,
    revision: int,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: Actor,
) -> None:
    await revisions.record(
        session,
        revisions.ChangeRecord(
            "category",
            category_id,
            action,
            revision,
            revisions.diff(before, after),
            [f"category.{action}"],
        ),
        actor=actor.name,
        reason=actor.reason,
    )


def _snapshot(row: Any) -> dict[str, Any]:
    return {name: row[name] for name in FIELDS}


async def create_category(session: AsyncSession, body: CategoryCreate, actor: Actor) -> Category:
    parent_id = await _category_id(session, body.parent, "parent") if body.parent else None
    category_id = new_id("cat")
    try:
        async with session.begin_nested():
            row = (
                (
                    await session.execute(
                        categories.insert()
                        .values(
                            id=category_id,
                            slug=body.slug,
                            parent_id=parent_id,
                            name_en=body.name_en,
                            name_zh=body.name_zh,
                            position=body.position,
                        )
                        .returning(*categories.c)
                    )
                )
                .mappings()
                .one()
            )
    except IntegrityError:
        raise Conflict(f"A category with slug '{body.slug}' exists.") from None
    result = await get_category(session, body.slug)
    await _record(session, category_id, "created", 1, {}, _snapshot(row), actor)
    return result


async def update_category(
    session: AsyncSession,
    slug: str,
    patch: CategoryPatch,
    expected: Precondition | None,
    actor: Actor,
) -> Category:
    before = await lock_row(
        session, categories, categories.c.slug == slug, NotFound(f"No category with slug '{slug}'.")
    )
    require_version(expected, await get_category(session, slug))
    changes: dict[str, Any] = patch.model_dump(exclude_unset=True)
    for required in ("slug", "name_en", "name_zh", "position"):
        if required in changes and changes[required] is None:
            raise InvalidBody(f"`{required}` cannot be cleared.", field=required)
    if "parent" in changes:
        parent = changes.pop("parent")
        changes["parent_id"] = await _category_id(session, parent, "parent") if parent else None
        if changes["parent_id"] and before["id"] in await _ancestors(session, changes["parent_id"]):
            raise Conflict("That parent is the category itself or below it; the tree would loop.")
    try:
        async with session.begin_nested():
            after = (
                (
                    await session.execute(
                        categories.update()
                        .where(categories.c.id == before["id"])
                        .values(**changes, **bumped(categories))
                        .returning(*categories.c)
                    )
                )
                .mappings()
                .one()
            )
    except IntegrityError:
        raise Conflict(f"A category with slug '{changes.get('slug')}' exists.") from None
    result = await get_category(session, after["slug"])
    await _record(
        session,
        before["id"],
        "updated",
        after["revision"],
        _snapshot(before),
        _snapshot(after),
        actor,
    )
    return result


async def delete_category(
    session: AsyncSession, slug: str, expected: Precondition | None, actor: Actor
) -> None:
    before = await lock_row(
        session, categories, categories.c.slug == slug, NotFound(f"No category with slug '{slug}'.")
    )
    require_version(expected, await get_category(session, slug))
    in_use = (
        await session.execute(
            select(exists().where(organization_categories.c.category_id == before["id"]))
        )
    ).scalar_one()
    has_children = (
        await session.execute(select(exists().where(categories.c.parent_id == before["id"])))
    ).scalar_one()
    if in_use or has_children:
        raise Conflict(
            "This category still has organizations or child categories; move them first."
        )
    await session.execute(categories.delete().where(categories.c.id == before["id"]))
    await _record(
        session, before["id"], "deleted", before["revision"] + 1, _snapshot(before), {}, actor
    )
