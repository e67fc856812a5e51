"""Creating, changing, deleting (tombstone) and merging organizations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, InvalidBody
from app.ids import new_id
from app.models.tables import (
    categories,
    listings,
    memberships,
    organization_categories,
    organization_identifiers,
    organization_name_sources,
    organization_names,
    organizations,
    sources,
)
from app.schemas.organizations import Founded, Organization
from app.schemas.writes import (
    CategoryAssignment,
    IdentifierIn,
    NameIn,
    OrganizationCreate,
    OrganizationPatch,
    parse_partial_date,
)
from app.services import revisions
from app.services.organizations import get_organization, resolve_organization_id
from app.services.search_text import compact, fold, grams
from app.services.sql import in_param
from app.services.writes.common import (
    Actor,
    finish,
    representation_etag,
    require_if_match,
)
from app.vocabulary import NameType

SCALARS = ("slug", "system", "kind", "parent_id", "founded", "headquarters", "website")


async def check_sources(
    session: AsyncSession, ids: list[str], field: str, known: set[str] | None = None
) -> None:
    """422 naming the first unknown source id; `known` saves the query when the caller
    looked up many lists at once (known_sources)."""
    if not ids:
        return
    if known is None:
        known = await known_sources(session, ids)
    for i, source_id in enumerate(ids):
        if source_id not in known:
            raise InvalidBody(f"No source with id '{source_id}'.", field=f"{field}.{i}")


_KNOWN_SOURCES = select(sources.c.id).where(in_param(sources.c.id, "ids"))


async def known_sources(session: AsyncSession, ids: Iterable[str]) -> set[str]:
    wanted = list(set(ids))
    if not wanted:
        return set()
    return set((await session.execute(_KNOWN_SOURCES, {"ids": wanted})).scalars())


async def _parent_id(session: AsyncSession, key: str | None, own_id: str | None) -> str | None:
    if key is None:
        return None
    parent = (
        await session.execute(
            select(
                organizations.c.id,
                organizations.c.parent_id,
                organizations.c.deleted_at,
                organizations.c.merged_into_id,
            ).where((organizations.c.id == key) | (organizations.c.slug == key))
        )
    ).first()
    if parent is None or parent.deleted_at is not None or parent.merged_into_id is not None:
        raise InvalidBody(f"No live organization with id or slug '{key}'.", field="parent")
    ancestor: str | None = parent.id
    while ancestor is not None:  # the parent chain must not lead back to this organization
        if ancestor == own_id:
            raise Conflict("That parent is the organization itself or below it.")
        ancestor = (
            await session.execute(
                select(organizations.c.parent_id).where(organizations.c.id == ancestor)
            )
        ).scalar_one_or_none()
    return str(parent.id)


async def _category_ids(
    session: AsyncSession, assignments: list[CategoryAssignment]
) -> dict[str, bool]:
    if assignments and sum(a.primary for a in assignments) != 1:
        raise InvalidBody("Exactly one category must be `primary`.", field="categories")
    slugs = [a.slug for a in assignments]
    found = dict(
        (
            await session.execute(
                select(categories.c.slug, categories.c.id).where(categories.c.slug.in_(slugs))
            )
        ).all()
    )
    for i, slug in enumerate(slugs):
        if slug not in found:
            raise InvalidBody(f"No category with slug '{slug}'.", field=f"categories.{i}.slug")
    return {found[a.slug]: a.primary for a in assignments}


def _check_names(names: list[NameIn]) -> None:
    if not any(n.lang == "en" and n.type == "official" and n.preferred for n in names):
        raise InvalidBody("Give a preferred English official name.", field="names")
    seen: set[tuple[str, str, str]] = set()
    preferred: set[tuple[str, str]] = set()
    for i, name in enumerate(names):
        if (name.lang, name.type, name.value) in seen:
            raise InvalidBody("The same name is given twice.", field=f"names.{i}")
        seen.add((name.lang, name.type, name.value))
        if name.preferred:
            if (name.lang, name.type) in preferred:
                raise InvalidBody(
                    f"Two preferred {name.type} names in {name.lang}.", field=f"names.{i}"
                )
            preferred.add((name.lang, name.type))


async def _write_names(session: AsyncSession, org_id: str, names: list[NameIn]) -> None:
    for i, name in enumerate(names):
        await check_sources(session, name.sources, f"names[{i}].sources")
    await session.execute(
        delete(organization_names).where(organization_names.c.organization_id == org_id)
    )
    for name in names:
        await _insert_name(session, org_id, name)


async def _insert_name(session: AsyncSession, org_id: str, name: NameIn) -> None:
    """One name with its sources, and its search keys folded as queries are."""
    folded = fold(name.value)
    name_id = new_id("nam")
    await session.execute(
        organization_names.insert().values(
            id=name_id,
            organization_id=org_id,
            lang=name.lang,
            type=name.type.value,
            value=name.value,
            is_preferred=name.preferred,
            verification=name.verification.value,
            note=name.note,
            search_text=folded,
            search_compact=compact(folded),
            grams=grams(folded),
        )
    )
    if name.sources:
        await session.execute(
            organization_name_sources.insert(),
            [{"name_id": name_id, "source_id": s} for s in dict.fromkeys(name.sources)],
        )


async def _write_categories(session: AsyncSession, org_id: str, assigned: dict[str, bool]) -> None:
    await session.execute(
        delete(organization_categories).where(organization_categories.c.organization_id == org_id)
    )
    if not assigned:
        return
    await session.execute(
        organization_categories.insert(),
        [
            {"organization_id": org_id, "category_id": c, "is_primary": p}
            for c, p in assigned.items()
        ],
    )


def _scalar_columns(values: dict[str, Any]) -> dict[str, Any]:
    columns = {k: v for k, v in values.items() if k in ("slug", "system", "kind", "headquarters")}
    if "website" in values:
        columns["website"] = str(values["website"]) if values["website"] else None
    for field in ("founded", "dissolved"):
        if field in values:
            columns[f"{field}_on"], columns[f"{field}_precision"] = (
                parse_partial_date(values[field]) if values[field] else (None, "unknown")
            )
    return columns


async def _write_identifiers(
    session: AsyncSession, org_id: str, identifiers: list[IdentifierIn]
) -> None:
    """Replace the organization's identifiers; one (scheme, value) names one organization."""
    await session.execute(
        delete(organization_identifiers).where(organization_identifiers.c.organization_id == org_id)
    )
    rows = list({(i.scheme, i.value): i for i in identifiers})
    if not rows:
        return
    taken = (
        await session.execute(
            select(
                organization_identifiers.c.scheme,
                organization_identifiers.c.value,
                organization_identifiers.c.organization_id,
            ).where(
                tuple_(organization_identifiers.c.scheme, organization_identifiers.c.value).in_(
                    rows
                )
            )
        )
    ).first()
    if taken is not None:
        raise Conflict(f"Identifier {taken[0]}:{taken[1]} already names {taken[2]}.")
    await session.execute(
        organization_identifiers.insert(),
        [{"organization_id": org_id, "scheme": sc, "value": v} for sc, v in rows],
    )


def snapshot(org: Organization) -> dict[str, Any]:
    """The writable state of an organization, for revision diffs."""
    return {
        "slug": org.slug,
        "system": org.system.value,
        "kind": org.kind.value,
        "parent_id": org.parent_id,
        "founded": _dated(org.founded),
        "dissolved": _dated(org.dissolved),
        "identifiers": [f"{i.scheme}:{i.value}" for i in org.identifiers],
        "headquarters": org.headquarters,
        "website": org.website,
        "names": sorted(
            (
                {
                    "lang": n.lang,
                    "type": n.type.value,
                    "value": n.value,
                    "preferred": n.preferred,
                    "verification": n.verification.value,
                    "sources": [s.id for s in n.sources],
                }
                for n in org.names
            ),
            key=lambda n: (n["lang"], n["type"], n["value"]),
        ),
        "categories": [{"slug": c.slug, "primary": c.primary} for c in org.categories],
    }


def _dated(fact: Founded) -> dict[str, str] | None:
    if fact.date is None:
        return None
    return {"date": fact.date.isoformat(), "precision": fact.precision.value}


async def _record(
    session: AsyncSession,
    org_id: str,
    action: str,
    revision: int,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: Actor,
    extra: dict[str, Any] | None = None,
) -> None:
    await revisions.record(
        session,
        revisions.ChangeRecord(
            "organization",
            org_id,
            action,
            revision,
            revisions.diff(before, after),
            [f"organization.{action}"],
            organization_id=org_id,
            extra=extra or {},
        ),
        actor=actor.name,
        reason=actor.reason,
    )


async def _insert_or_conflict(session: AsyncSession, statement: Any, slug: str | None) -> Any:
    try:
        async with session.begin_nested():
            return await session.execute(statement)
    except IntegrityError:
        raise Conflict(
            f"An organization with slug '{slug}' exists (deleted ones keep theirs)."
        ) from None


async def create_organization(
    session: AsyncSession, body: OrganizationCreate, actor: Actor
) -> Organization:
    _check_names(body.names)
    assigned = await _category_ids(session, body.categories)
    org_id = new_id("org")
    parent_id = await _parent_id(session, body.parent, org_id)
    await _insert_or_conflict(
        session,
        organizations.insert().values(
            id=org_id, parent_id=parent_id, **_scalar_columns(body.model_dump())
        ),
        body.slug,
    )
    await _write_names(session, org_id, body.names)
    await _write_categories(session, org_id, assigned)
    await _write_identifiers(session, org_id, body.identifiers)
    created = await get_organization(session, org_id)
    await _record(session, org_id, "created", 1, {}, snapshot(created), actor)
    await finish(session, actor, created)
    return created


async def _lock(session: AsyncSession, key: str) -> tuple[str, Organization]:
    org_id = await resolve_organization_id(session, key)
    await session.execute(
        select(organizations.c.id).where(organizations.c.id == org_id).with_for_update()
    )
    return org_id, await get_organization(session, org_id)


async def update_organization(
    session: AsyncSession, key: str, patch: OrganizationPatch, if_match: str | None, actor: Actor
) -> Organization:
    org_id, current = await _lock(session, key)
    require_if_match(if_match, representation_etag(current))
    values = patch.model_dump(exclude_unset=True)
    for required in ("slug", "system", "kind", "names", "categories"):
        if required in values and values[required] is None:
            raise InvalidBody(f"`{required}` cannot be cleared.", field=required)
    columns = _scalar_columns(values)
    if "parent" in values:
        columns["parent_id"] = await _parent_id(session, values["parent"], org_id)
    await _insert_or_conflict(
        session,
        update(organizations)
        .where(organizations.c.id == org_id)
        .values(**columns, revision=organizations.c.revision + 1, updated_at=func.now()),
        values.get("slug"),
    )
    if patch.names is not None:
        _check_names(patch.names)
        await _write_names(session, org_id, patch.names)
    if patch.categories is not None:
        await _write_categories(session, org_id, await _category_ids(session, patch.categories))
    if patch.identifiers is not None:
        await _write_identifiers(session, org_id, patch.identifiers)
    updated = await get_organization(session, org_id)
    await _record(
        session, org_id, "updated", updated.revision, snapshot(current), snapshot(updated), actor
    )
    await finish(session, actor, updated)
    return updated


async def delete_organization(
    session: AsyncSession, key: str, if_match: str | None, actor: Actor
) -> None:
    org_id, current = await _lock(session, key)
    require_if_match(if_match, representation_etag(current))
    await session.execute(
        update(organizations)
        .where(organizations.c.id == org_id)
        .values(deleted_at=func.now(), revision=organizations.c.revision + 1, updated_at=func.now())
    )
    await _record(session, org_id, "deleted", current.revision + 1, snapshot(current), {}, actor)
    await finish(session, actor, None)


async def merge_organizations(
    session: AsyncSession, key: str, into: str, actor: Actor
) -> Organization:
    """Fold `key` into `into`: its memberships, listings, names (as aliases) and categories move
    to the survivor, and `key` answers 308 from then on."""
    old_id = await resolve_organization_id(session, key)
    try:
        survivor_id = await resolve_organization_id(session, into)
    except Exception as exc:  # unknown, deleted or merged target: the body is wrong
        raise InvalidBody(getattr(exc, "detail", str(exc)), field="into") from None
    if old_id == survivor_id:
        raise InvalidBody("An organization cannot be merged into itself.", field="into")
    for org_id in sorted((old_id, survivor_id)):  # fixed lock order: no deadlock between merges
        await session.execute(
            select(organizations.c.id).where(organizations.c.id == org_id).with_for_update()
        )
    old, survivor = (
        await get_organization(session, old_id),
        await get_organization(session, survivor_id),
    )

    clash = (
        (
            await session.execute(
                select(memberships.c.country_code)
                .where(memberships.c.organization_id == old_id)
                .where(
                    memberships.c.country_code.in_(
                        select(memberships.c.country_code).where(
                            memberships.c.organization_id == survivor_id
                        )
                    )
                )
            )
        )
        .scalars()
        .all()
    )
    if clash:
        raise Conflict(
            f"Both organizations have memberships for {', '.join(sorted(clash))}; "
            "reconcile those first."
        )
    await session.execute(
        update(memberships)
        .where(memberships.c.organization_id == old_id)
        .values(organization_id=survivor_id, updated_at=func.now())
    )
    await session.execute(
        update(listings)
        .where(listings.c.organization_id == old_id)
        .values(organization_id=survivor_id)
    )
    await session.execute(
        update(organizations)
        .where(organizations.c.parent_id == old_id)
        .values(parent_id=survivor_id)
    )
    kept = {(n.lang, n.type.value, n.value) for n in survivor.names}
    moved = [
        n
        for n in old.names
        if (n.lang, "alias", n.value) not in kept and (n.lang, n.type.value, n.value) not in kept
    ]
    for name in moved:
        alias = NameIn(
            lang=name.lang,
            type=NameType.alias,
            value=name.value,
            preferred=False,
            verification=name.verification,
            note=f"Name of the organization merged into this one ({old.slug}).",
            sources=[source.id for source in name.sources],
        )
        await _insert_name(session, survivor_id, alias)
    have = {c.slug for c in survivor.categories}
    extra_categories = [c.slug for c in old.categories if c.slug not in have]
    if extra_categories:
        ids = dict(
            (
                await session.execute(
                    select(categories.c.slug, categories.c.id).where(
                        categories.c.slug.in_(extra_categories)
                    )
                )
            ).all()
        )
        await session.execute(
            organization_categories.insert(),
            [
                {"organization_id": survivor_id, "category_id": ids[s], "is_primary": False}
                for s in extra_categories
            ],
        )
    await session.execute(
        update(organizations)
        .where(organizations.c.id == old_id)
        .values(
            merged_into_id=survivor_id, revision=organizations.c.revision + 1, updated_at=func.now()
        )
    )
    await session.execute(
        update(organizations)
        .where(organizations.c.id == survivor_id)
        .values(revision=organizations.c.revision + 1, updated_at=func.now())
    )
    merged = await get_organization(session, survivor_id)
    await _record(
        session,
        old_id,
        "merged",
        old.revision + 1,
        snapshot(old),
        {},
        actor,
        extra={"merged_into": survivor_id},
    )
    await _record(
        session,
        survivor_id,
        "updated",
        merged.revision,
        snapshot(survivor),
        snapshot(merged),
        actor,
        extra={"absorbed": old_id},
    )
    await finish(session, actor, merged)
    return merged
