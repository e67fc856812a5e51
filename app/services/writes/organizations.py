"""Creating, changing, deleting (tombstone) and merging organizations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, InvalidBody, NotFound
from app.ids import new_id
from app.models.tables import (
    categories,
    contributions,
    listings,
    memberships,
    organization_categories,
    organization_claims,
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
from app.services.documents import Document
from app.services.organizations import (
    get_organization,
    organization_document,
    resolve_organization_field,
    resolve_organization_id,
)
from app.services.search_text import compact, fold, grams
from app.services.sql import in_param, insert_rows
from app.services.writes.common import Actor, Precondition, bumped, lock_row, require_version
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
    return _assigned(assignments, await _categories_by_slug(session, assignments))


async def _categories_by_slug(
    session: AsyncSession, assignments: Iterable[CategoryAssignment]
) -> dict[str, tuple[str, int]]:
    """slug -> (id, position) for the categories named."""
    slugs = list({a.slug for a in assignments})
    found = await session.execute(
        select(categories.c.slug, categories.c.id, categories.c.position).where(
            categories.c.slug.in_(slugs)
        )
    )
    return {slug: (category_id, position) for slug, category_id, position in found}


def _assigned(
    assignments: list[CategoryAssignment], known: dict[str, tuple[str, int]]
) -> dict[str, bool]:
    """category id -> primary; exactly one primary, every slug known."""
    if assignments and sum(a.primary for a in assignments) != 1:
        raise InvalidBody("Exactly one category must be `primary`.", field="categories")
    for i, assignment in enumerate(assignments):
        if assignment.slug not in known:
            raise InvalidBody(
                f"No category with slug '{assignment.slug}'.", field=f"categories.{i}.slug"
            )
    return {known[a.slug][0]: a.primary for a in assignments}


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
    row, cited = _name_rows(org_id, name)
    await session.execute(organization_names.insert().values(**row))
    if cited:
        await session.execute(organization_name_sources.insert(), cited)


def _name_rows(org_id: str, name: NameIn) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """One name's row, with its search keys folded as queries are, and its source links."""
    folded = fold(name.value)
    name_id = new_id("nam")
    row = {
        "id": name_id,
        "organization_id": org_id,
        "lang": name.lang,
        "type": name.type.value,
        "value": name.value,
        "is_preferred": name.preferred,
        "verification": name.verification.value,
        "note": name.note,
        "search_text": folded,
        "search_compact": compact(folded),
        "grams": grams(folded),
    }
    return row, [{"name_id": name_id, "source_id": s} for s in dict.fromkeys(name.sources)]


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
    await _check_identifier_sources(session, identifiers)
    await session.execute(
        delete(organization_identifiers).where(organization_identifiers.c.organization_id == org_id)
    )
    await _claim_identifiers(session, _identifier_rows(org_id, identifiers))


def _identifier_rows(org_id: str, identifiers: list[IdentifierIn]) -> list[dict[str, Any]]:
    """One row per (scheme, value), in that order; the last one given wins."""
    by_key = {(i.scheme, i.value): i for i in identifiers}
    return [
        {
            "organization_id": org_id,
            "scheme": scheme,
            "value": value,
            "verification": given.verification.value,
            "note": given.note,
            "source_id": given.source,
        }
        for (scheme, value), given in sorted(by_key.items())
    ]


async def _check_identifier_sources(
    session: AsyncSession, identifiers: list[IdentifierIn], known: set[str] | None = None
) -> None:
    for i, identifier in enumerate(identifiers):
        if identifier.source:
            await check_sources(session, [identifier.source], f"identifiers.{i}.source", known)


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
        "names": _names_state(org.names, lambda n: [source.id for source in n.sources]),
        "categories": [{"slug": c.slug, "primary": c.primary} for c in org.categories],
    }


def _names_state(names: Iterable[Any], sources_of: Callable[[Any], list[str]]) -> list[Any]:
    """Names as revisions record them (written or read back, the same shape and order)."""
    return sorted(
        (
            {
                "lang": n.lang,
                "type": n.type.value,
                "value": n.value,
                "preferred": n.preferred,
                "verification": n.verification.value,
                "sources": sources_of(n),
            }
            for n in names
        ),
        key=lambda n: (n["lang"], n["type"], n["value"]),
    )


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
    change = _change(org_id, action, revision, before, after, extra)
    await revisions.record(session, change, actor=actor.name, reason=actor.reason)


def _change(
    org_id: str,
    action: str,
    revision: int,
    before: dict[str, Any],
    after: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> revisions.ChangeRecord:
    return revisions.ChangeRecord(
        "organization",
        org_id,
        action,
        revision,
        revisions.diff(before, after),
        [f"organization.{action}"],
        organization_id=org_id,
        extra=extra or {},
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
    org_id = new_id("org")
    await create_organizations(session, {org_id: body}, actor)
    created = await get_organization(session, org_id)
    return created


async def create_organizations(
    session: AsyncSession, bodies: dict[str, OrganizationCreate], actor: Actor
) -> None:
    """Create organizations under ids the caller chose, without committing: one (POST
    /v1/organizations) or hundreds (the COW import, which refers to them before they are
    written) get the same checks and rows, in a few set-based statements."""
    for body in bodies.values():
        _check_names(body.names)
    placed = await _categories_by_slug(session, (a for b in bodies.values() for a in b.categories))
    known = await known_sources(
        session,
        [
            *(s for b in bodies.values() for n in b.names for s in n.sources),
            *(i.source for b in bodies.values() for i in b.identifiers if i.source),
        ],
    )
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    changes = []
    for org_id, body in bodies.items():
        assigned = _assigned(body.categories, placed)
        for i, name in enumerate(body.names):
            await check_sources(session, name.sources, f"names[{i}].sources", known)
        parent_id = await _parent_id(session, body.parent, org_id)
        rows["organizations"].append(
            {"id": org_id, "parent_id": parent_id, **_scalar_columns(body.model_dump())}
        )
        for name in body.names:
            row, cited = _name_rows(org_id, name)
            rows["names"].append(row)
            rows["cited"] += cited
        rows["categories"] += [
            {"organization_id": org_id, "category_id": c, "is_primary": p}
            for c, p in assigned.items()
        ]
        await _check_identifier_sources(session, body.identifiers, known)
        given = _identifier_rows(org_id, body.identifiers)
        rows["identifiers"] += given
        identifiers = [(row["scheme"], row["value"]) for row in given]
        created = _created_snapshot(body, parent_id, identifiers, placed)
        changes.append(_change(org_id, "created", 1, {}, created))
    await _insert_organizations(session, rows["organizations"])
    await _claim_identifiers(session, rows["identifiers"])
    await insert_rows(session, organization_names, rows["names"])
    await insert_rows(session, organization_name_sources, rows["cited"])
    await insert_rows(session, organization_categories, rows["categories"])
    await revisions.record_many(session, changes, actor=actor.name, reason=actor.reason)


async def _insert_organizations(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Slugs are unique, those of deleted organizations included."""
    if not rows:
        return
    inserted = set(
        (
            await session.execute(
                insert(organizations)
                .values(rows)
                .on_conflict_do_nothing(index_elements=[organizations.c.slug])
                .returning(organizations.c.slug)
            )
        ).scalars()
    )
    for row in rows:
        if row["slug"] not in inserted:
            raise Conflict(
                f"An organization with slug '{row['slug']}' exists (deleted ones keep theirs)."
            )
        inserted.discard(row["slug"])  # the same slug twice in one batch


async def _claim_identifiers(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """One (scheme, value) names one organization."""
    if not rows:
        return
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row["scheme"], row["value"])
        if key in seen and seen[key] != row["organization_id"]:
            raise Conflict(f"Identifier {key[0]}:{key[1]} is given to two organizations.")
        seen[key] = row["organization_id"]
    taken = (
        await session.execute(
            select(
                organization_identifiers.c.scheme,
                organization_identifiers.c.value,
                organization_identifiers.c.organization_id,
            ).where(
                tuple_(organization_identifiers.c.scheme, organization_identifiers.c.value).in_(
                    list(seen)
                )
            )
        )
    ).first()
    if taken is not None:
        raise Conflict(f"Identifier {taken[0]}:{taken[1]} already names {taken[2]}.")
    await insert_rows(session, organization_identifiers, rows)


def _created_snapshot(
    body: OrganizationCreate,
    parent_id: str | None,
    identifiers: list[tuple[str, str]],
    placed: dict[str, tuple[str, int]],
) -> dict[str, Any]:
    """What `snapshot` reads back from a just-created organization, built from what was
    written (reading hundreds back one by one was most of an import's time)."""
    columns = _scalar_columns(body.model_dump())
    founded, dissolved = columns["founded_on"], columns["dissolved_on"]
    return {
        "slug": body.slug,
        "system": body.system.value,
        "kind": body.kind.value,
        "parent_id": parent_id,
        "founded": founded
        and {"date": founded.isoformat(), "precision": columns["founded_precision"]},
        "dissolved": dissolved
        and {"date": dissolved.isoformat(), "precision": columns["dissolved_precision"]},
        "identifiers": [f"{scheme}:{value}" for scheme, value in identifiers],
        "headquarters": body.headquarters,
        "website": columns.get("website"),
        "names": _names_state(body.names, lambda n: sorted(set(n.sources))),
        "categories": [
            {"slug": a.slug, "primary": a.primary}
            for a in sorted(body.categories, key=lambda a: (not a.primary, placed[a.slug][1]))
        ],
    }


async def _lock(session: AsyncSession, key: str) -> tuple[str, Organization]:
    org_id = await resolve_organization_id(session, key)
    missing = NotFound(f"No organization with id '{org_id}'.")
    await lock_row(session, organizations, organizations.c.id == org_id, missing)
    return org_id, await get_organization(session, org_id)


async def _as_served(session: AsyncSession, org_id: str) -> Document:
    """The organization as a GET answers it now: what If-Match's ETag was taken from."""
    _, document = await organization_document(session, org_id)
    assert document is not None  # locked and live
    return document


async def update_organization(
    session: AsyncSession,
    key: str,
    patch: OrganizationPatch,
    expected: Precondition | None,
    actor: Actor,
) -> Organization:
    org_id, current = await _lock(session, key)
    require_version(expected, await _as_served(session, org_id))
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
        .values(**columns, **bumped(organizations)),
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
    if await _unsource_changed_claims(session, org_id, snapshot(current), snapshot(updated)):
        updated = await get_organization(session, org_id)
    await _record(
        session, org_id, "updated", updated.revision, snapshot(current), snapshot(updated), actor
    )
    return updated


CLAIMED_FIELDS = ("founded", "dissolved", "headquarters", "website")
UNSOURCED_NOTE = (
    "Changed through the API without a source; the earlier claim's sources no longer apply."
)


async def _unsource_changed_claims(
    session: AsyncSession, org_id: str, before: dict[str, Any], after: dict[str, Any]
) -> bool:
    """A claim's sources back the value they state, not a new one: a changed field's claim
    becomes `unconfirmed` and cites nothing until a source is given for the new value."""
    changed = [field for field in CLAIMED_FIELDS if before[field] != after[field]]
    if not changed:
        return False
    rows = [
        {
            "organization_id": org_id,
            "field": field,
            "verification": "unconfirmed",
            "note": UNSOURCED_NOTE,
        }
        for field in changed
    ]
    await session.execute(
        delete(organization_claims).where(
            organization_claims.c.organization_id == org_id,
            organization_claims.c.field.in_(changed),
        )
    )
    await session.execute(insert(organization_claims).values(rows))
    return True


async def delete_organization(
    session: AsyncSession, key: str, expected: Precondition | None, actor: Actor
) -> None:
    org_id, current = await _lock(session, key)
    require_version(expected, await _as_served(session, org_id))
    await session.execute(
        update(organizations)
        .where(organizations.c.id == org_id)
        .values(deleted_at=func.now(), **bumped(organizations))
    )
    await _record(session, org_id, "deleted", current.revision + 1, snapshot(current), {}, actor)


async def merge_organizations(
    session: AsyncSession, key: str, into: str, actor: Actor
) -> Organization:
    """Fold `key` into `into`: its memberships, listings, contributions, names (as aliases) and
    categories move to the survivor, and `key` answers 308 from then on."""
    old_id = await resolve_organization_id(session, key)
    survivor_id = await resolve_organization_field(session, into, "into")
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
        update(contributions)
        .where(contributions.c.organization_id == old_id)
        .values(organization_id=survivor_id, **bumped(contributions))
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
        .values(merged_into_id=survivor_id, **bumped(organizations))
    )
    await session.execute(
        update(organizations)
        .where(organizations.c.id == survivor_id)
        .values(**bumped(organizations))
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
    return merged
