"""Organizations: lookup by id or slug, filtered lists, and the full record with its sources."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    ScalarSelect,
    Select,
    String,
    Subquery,
    and_,
    any_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.errors import Gone, InvalidBody, InvalidParameter, Moved, NotFound
from app.models.tables import (
    categories,
    listing_sources,
    listings,
    memberships,
    organization_categories,
    organization_claim_sources,
    organization_claims,
    organization_identifiers,
    organization_name_sources,
    organization_names,
    organizations,
    status_periods,
)
from app.pagination import PageRequest, paginate
from app.schemas.organizations import (
    Claim,
    Dissolved,
    FacetCount,
    Facets,
    Founded,
    Identifier,
    Listing,
    Name,
    Organization,
    OrganizationCategory,
    OrganizationRef,
)
from app.services import documents
from app.services.documents import Document
from app.services.search import SearchQuery, best_matches
from app.services.sources import source_refs
from app.services.sql import TEXT_ARRAY, ids_of, in_param, text_array
from app.vocabulary import MembershipStatus, OrganizationKind, System

SORTS = ("slug", "-slug", "name", "-name")


def preferred_name(lang: str, name_type: str) -> ScalarSelect[Any]:
    return (
        select(organization_names.c.value)
        .where(
            organization_names.c.organization_id == organizations.c.id,
            organization_names.c.lang == lang,
            organization_names.c.type == name_type,
            organization_names.c.is_preferred,
        )
        .limit(1)
        .scalar_subquery()
    )


DISPLAY_NAME = func.coalesce(preferred_name("en", "official"), organizations.c.slug)
"""The English official name, or the slug when there is none."""

# Built once: SQLAlchemy expressions are immutable, and rebuilding these subqueries on every
# request stood out in the read paths' profiles.
REF_COLUMNS: tuple[ColumnElement[Any], ...] = (
    organizations.c.id,
    organizations.c.slug,
    DISPLAY_NAME.label("name"),
    preferred_name("en", "acronym").label("acronym"),
)
SUMMARY_COLUMNS: tuple[ColumnElement[Any], ...] = (
    *REF_COLUMNS,
    preferred_name("zh-Hans", "official").label("name_zh"),
    organizations.c.system,
    organizations.c.kind,
    organizations.c.parent_id,
    organizations.c.founded_on,
    organizations.c.founded_precision,
)


_REFS = select(*REF_COLUMNS).where(in_param(organizations.c.id, "ids"))

LIVE = and_(organizations.c.deleted_at.is_(None), organizations.c.merged_into_id.is_(None))
"""Organizations that are neither deleted nor merged away; every read but by-id shows only these."""


_BY_KEY = select(
    organizations.c.id, organizations.c.deleted_at, organizations.c.merged_into_id
).where(or_(organizations.c.id == bindparam("key"), organizations.c.slug == bindparam("key")))


async def resolve_organization_id(session: AsyncSession, key: str) -> str:
    """The id of the live organization named by `key` (its id or its slug). A deleted one
    raises Gone (410); a merged one raises Moved (308) naming the organization that survives."""
    row = (await session.execute(_BY_KEY, {"key": key})).first()
    if row is None:
        raise NotFound(f"No organization with id or slug '{key}'.")
    org_id, deleted_at, merged_into = row
    if merged_into is not None:
        survivor = merged_into
        for _ in range(100):  # follow merges of merges
            nxt = (
                await session.execute(
                    select(organizations.c.merged_into_id).where(organizations.c.id == survivor)
                )
            ).scalar_one_or_none()
            if nxt is None:
                break
            survivor = nxt
        raise Moved(f"Organization '{key}' was merged into '{survivor}'.", key=key, target=survivor)
    if deleted_at is not None:
        raise Gone(f"Organization '{key}' was deleted on {deleted_at:%Y-%m-%d}.")
    return str(org_id)


async def resolve_organization_field(session: AsyncSession, key: str, field: str) -> str:
    """`resolve_organization_id` for a key given in a request body: naming no live organization
    is a mistake in that field (422), while a database failure stays one (503)."""
    try:
        return await resolve_organization_id(session, key)
    except (NotFound, Gone, Moved) as exc:
        raise InvalidBody(exc.detail, field=field) from None


async def find_organization_id(session: AsyncSession, key: str) -> str:
    """The id `key` names, live or not (history stays readable after a delete or merge)."""
    query = select(organizations.c.id).where(
        or_(organizations.c.id == key, organizations.c.slug == key)
    )
    found: str | None = (await session.execute(query)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"No organization with id or slug '{key}'.")
    return found


async def resolve_organization_parameter(session: AsyncSession, name: str, key: str) -> str:
    """Like resolve_organization_id, for a query parameter: unknown is a bad parameter."""
    try:
        return await resolve_organization_id(session, key)
    except (NotFound, Gone, Moved) as exc:
        raise InvalidParameter(name, exc.detail) from None


async def organization_refs(
    session: AsyncSession, ids: Iterable[str]
) -> dict[str, OrganizationRef]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = (await session.execute(_REFS, {"ids": wanted})).mappings()
    return {row["id"]: OrganizationRef.model_validate(dict(row)) for row in rows}


@dataclass(frozen=True)
class OrganizationFilters:
    q: SearchQuery | None = None
    ids: Sequence[str] | None = None
    """Ids or slugs (batch lookup)."""
    category_ids: Sequence[str] | None = None
    system: System | None = None
    kind: OrganizationKind | None = None
    identifier: tuple[str, str] | None = None
    """(scheme, value): the organization another dataset knows under that key."""
    listed_in: str | None = None
    """Source id of an act (the memorandum): keep organizations it lists."""
    member: str | None = None
    """Alpha-2 code: keep organizations where this country has one of `statuses` on `as_of`."""
    statuses: Sequence[MembershipStatus] = ()
    as_of: dt.date | None = None


def status_on(
    country_code: str | ColumnElement[str], as_of: dt.date | ColumnElement[dt.date]
) -> ColumnElement[Any]:
    """The country's status in the organization of the outer query on `as_of`: `unknown`
    where the registry holds no record of the pair."""
    covering = (
        select(status_periods.c.status)
        .join(memberships, memberships.c.id == status_periods.c.membership_id)
        .where(
            memberships.c.organization_id == organizations.c.id,
            memberships.c.country_code == country_code,
            status_periods.c.during.contains(as_of),
        )
        .scalar_subquery()
    )
    return func.coalesce(covering, MembershipStatus.unknown.value)


def in_categories(category_ids: Sequence[str] | ColumnElement[Any]) -> ColumnElement[bool]:
    """The organization of the outer query has one of these categories (ids, or an array
    parameter)."""
    ids = category_ids if isinstance(category_ids, ColumnElement) else text_array(category_ids)
    return exists().where(
        organization_categories.c.organization_id == organizations.c.id,
        organization_categories.c.category_id == any_(ids),
    )


@dataclass(frozen=True)
class _Shape:
    """What a list statement's SQL depends on. The values travel as parameters, so one
    statement, built and compiled once, serves every request of its shape: building and
    compiling a search statement cost more than PostgreSQL took to run it."""

    search: Literal["words", "cjk"] | None
    ids: bool
    categories: bool
    system: bool
    kind: bool
    identifier: bool
    listed_in: bool
    member: bool

    @classmethod
    def of(cls, filters: OrganizationFilters) -> _Shape:
        q = filters.q
        return cls(
            search=None if q is None else "cjk" if q.cjk else "words",
            ids=filters.ids is not None,
            categories=filters.category_ids is not None,
            system=filters.system is not None,
            kind=filters.kind is not None,
            identifier=filters.identifier is not None,
            listed_in=filters.listed_in is not None,
            member=filters.member is not None,
        )


def _values(filters: OrganizationFilters) -> dict[str, Any]:
    """The parameters of the statement of the filters' shape."""
    values: dict[str, Any] = filters.q.values() if filters.q is not None else {}
    if filters.ids is not None:
        values["ids"] = list(filters.ids)
    if filters.category_ids is not None:
        values["category_ids"] = list(filters.category_ids)
    if filters.system is not None:
        values["system"] = filters.system.value
    if filters.kind is not None:
        values["kind"] = filters.kind.value
    if filters.identifier is not None:
        values["scheme"], values["identifier"] = filters.identifier
    if filters.listed_in is not None:
        values["listed_in"] = filters.listed_in
    if filters.member is not None:
        values |= {
            "member": filters.member,
            "as_of": filters.as_of,
            "statuses": [s.value for s in filters.statuses],
        }
    return values


def _where(shape: _Shape) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [LIVE]
    if shape.ids:
        clauses.append(
            or_(in_param(organizations.c.id, "ids"), in_param(organizations.c.slug, "ids"))
        )
    if shape.categories:
        clauses.append(in_categories(bindparam("category_ids", type_=TEXT_ARRAY)))
    if shape.system:
        clauses.append(organizations.c.system == bindparam("system", type_=String))
    if shape.kind:
        clauses.append(organizations.c.kind == bindparam("kind", type_=String))
    if shape.identifier:
        clauses.append(
            exists().where(
                organization_identifiers.c.organization_id == organizations.c.id,
                organization_identifiers.c.scheme == bindparam("scheme", type_=String),
                organization_identifiers.c.value == bindparam("identifier", type_=String),
            )
        )
    if shape.listed_in:
        clauses.append(
            exists().where(
                listings.c.organization_id == organizations.c.id,
                listings.c.source_id == bindparam("listed_in", type_=String),
            )
        )
    if shape.member:
        status = status_on(bindparam("member", type_=String), bindparam("as_of", type_=Date))
        clauses.append(status == any_(bindparam("statuses", type_=TEXT_ARRAY)))
    return clauses


def _filtered(shape: _Shape, *columns: ColumnElement[Any]) -> tuple[Select[Any], Subquery | None]:
    """SELECT columns FROM organizations, joined to the search matches when there is a query."""
    query = select(*columns).where(*_where(shape))
    if shape.search is None:
        return query, None
    matches = best_matches(shape.search == "cjk")
    return query.join(matches, matches.c.organization_id == organizations.c.id), matches


def sort_key_types(order: str) -> tuple[type, ...]:
    return {"relevance": (int, int, str), "name": (str, str), "-name": (str, str)}.get(
        order, (str,)
    )


def _sort_key(order: str, matches: Subquery | None) -> list[ColumnElement[Any]]:
    if order == "relevance":
        assert matches is not None
        return [matches.c.tier, matches.c.neg_score, organizations.c.slug]
    if order.endswith("slug"):
        return [organizations.c.slug]
    return [func.lower(DISPLAY_NAME), organizations.c.id]


def _documents_of(page: Subquery, document: str, keys: int, descending: bool) -> Select[Any]:
    """The page's documents, built for its rows only (after the sort and the limit), in the
    page's order. `document` reads the organization as `o` and the page's row as `page`."""
    order = [page.c[f"k{i}"] for i in range(keys)]
    return (
        select(literal_column(f"({document})::text").label("doc"), *order)
        .select_from(page.join(organizations.alias("o"), literal_column("o.id") == page.c.id))
        .order_by(*(c.desc() if descending else c.asc() for c in order))
    )


@lru_cache(maxsize=512)
def _list_statement(shape: _Shape, order: str, after: bool) -> Select[Any]:
    """A page of summaries: parameters `limit` and, after a cursor, `after0`, `after1`..."""
    descending = order.startswith("-")
    query, matches = _filtered(shape, organizations.c.id)
    sort_key = _sort_key(order, matches)
    query = query.add_columns(*(column.label(f"k{i}") for i, column in enumerate(sort_key)))
    if matches is not None:
        query = query.add_columns(matches.c.matched_name)
    query = query.order_by(*(c.desc() if descending else c.asc() for c in sort_key)).limit(
        bindparam("limit", type_=Integer)
    )
    if after:
        types = [Integer if t is int else String for t in sort_key_types(order)]
        bound = tuple_(*(bindparam(f"after{i}", type_=t) for i, t in enumerate(types)))
        query = query.where(tuple_(*sort_key) < bound if descending else tuple_(*sort_key) > bound)
    found = query.subquery("page")
    matched = "page.matched_name" if matches is not None else "NULL"
    return _documents_of(
        found, documents.organization_summary("o", matched), len(sort_key), descending
    )


async def list_organizations(
    session: AsyncSession | AsyncConnection, filters: OrganizationFilters, page: PageRequest
) -> tuple[str, str | None]:
    """A page of organizations (OrganizationSummary), each built by PostgreSQL: the items as
    a JSON array, and the next page's cursor."""
    statement = _list_statement(_Shape.of(filters), page.order, page.after is not None)
    values = _values(filters) | {"limit": page.size + 1}
    if page.after is not None:
        values |= {f"after{i}": value for i, value in enumerate(page.after)}
    rows = list((await session.execute(statement, values)).mappings())
    keys = len(sort_key_types(page.order))
    page_rows, next_cursor = paginate(rows, page, lambda r: tuple(r[f"k{i}"] for i in range(keys)))
    return "[" + ",".join(r["doc"] for r in page_rows) + "]", next_cursor


@lru_cache(maxsize=2)
def _autocomplete_statement(cjk: bool) -> Select[Any]:
    shape = _Shape(
        search="cjk" if cjk else "words",
        ids=False,
        categories=False,
        system=False,
        kind=False,
        identifier=False,
        listed_in=False,
        member=False,
    )
    filtered, matches = _filtered(shape, organizations.c.id)
    assert matches is not None
    sort_key = _sort_key("relevance", matches)
    found = (
        filtered.add_columns(
            matches.c.matched_name, *(c.label(f"k{i}") for i, c in enumerate(sort_key))
        )
        .order_by(*sort_key)
        .limit(bindparam("limit", type_=Integer))
        .subquery("page")
    )
    return _documents_of(
        found, documents.suggestion("o", "page.matched_name"), len(sort_key), False
    )


async def autocomplete(
    session: AsyncSession | AsyncConnection, query: SearchQuery, limit: int
) -> str:
    """The best-ranked suggestions (Suggestion) as a JSON array built by PostgreSQL."""
    statement = _autocomplete_statement(query.cjk)
    rows = await session.execute(statement, query.values() | {"limit": limit})
    return "[" + ",".join(row[0] for row in rows) + "]"


async def missing_keys(session: AsyncSession, keys: Sequence[str]) -> list[str]:
    """The ids or slugs in `keys` that name no organization."""
    found = await session.execute(
        select(organizations.c.id, organizations.c.slug).where(
            or_(organizations.c.id.in_(keys), organizations.c.slug.in_(keys))
        )
    )
    known = {value for row in found.all() for value in row}
    return [key for key in keys if key not in known]


async def facet_counts(
    session: AsyncSession, filters: OrganizationFilters, wanted: Sequence[str]
) -> Facets:
    """Counts per category, system and status over every organization the filters keep."""
    selected, _ = _filtered(_Shape.of(filters), organizations.c.id)
    kept = selected.subquery("kept")
    values = _values(filters)
    counts: dict[str, list[FacetCount]] = {}
    if "category" in wanted:
        query = (
            select(categories.c.slug, func.count())
            .select_from(organization_categories)
            .join(categories, categories.c.id == organization_categories.c.category_id)
            .where(organization_categories.c.organization_id.in_(select(kept.c.id)))
            .group_by(categories.c.slug)
        )
        counts["category"] = _facet(await session.execute(query, values))
    if "system" in wanted:
        query = (
            select(organizations.c.system, func.count())
            .where(organizations.c.id.in_(select(kept.c.id)))
            .group_by(organizations.c.system)
        )
        counts["system"] = _facet(await session.execute(query, values))
    if "status" in wanted:
        assert filters.member is not None and filters.as_of is not None
        status = status_on(filters.member, filters.as_of)
        query = (
            select(status, func.count())
            .where(organizations.c.id.in_(select(kept.c.id)))
            .group_by(status)
        )
        counts["status"] = _facet(await session.execute(query, values))
    return Facets.model_validate(counts)


def _facet(result: Any) -> list[FacetCount]:
    facet = [FacetCount(value=value, count=count) for value, count in result.all()]
    return sorted(facet, key=lambda f: (-f.count, f.value))


def _summary_fields(
    row: Any, org_categories: list[OrganizationCategory], matched_name: str | None
) -> dict[str, Any]:
    return {
        **{
            k: row[k]
            for k in ("id", "slug", "name", "acronym", "name_zh", "system", "kind", "parent_id")
        },
        "matched_name": matched_name,
        "categories": org_categories,
        "founded": Founded(date=row["founded_on"], precision=row["founded_precision"]),
    }


_CATEGORIES = (
    select(
        organization_categories.c.organization_id,
        organization_categories.c.is_primary.label("primary"),
        categories.c.slug,
        categories.c.name_en,
        categories.c.name_zh,
    )
    .join(categories, categories.c.id == organization_categories.c.category_id)
    .where(in_param(organization_categories.c.organization_id, "ids"))
    .order_by(organization_categories.c.is_primary.desc(), categories.c.position)
)


async def _categories_of(
    session: AsyncSession, org_ids: Sequence[str]
) -> dict[str, list[OrganizationCategory]]:
    result: dict[str, list[OrganizationCategory]] = defaultdict(list)
    for row in (await session.execute(_CATEGORIES, {"ids": list(org_ids)})).mappings():
        result[row["organization_id"]].append(OrganizationCategory.model_validate(dict(row)))
    return result


_ORG_ID = bindparam("org_id", type_=String)
_ORGANIZATION = select(
    *SUMMARY_COLUMNS,
    organizations.c.headquarters,
    organizations.c.website,
    organizations.c.dissolved_on,
    organizations.c.dissolved_precision,
    organizations.c.created_at,
    organizations.c.updated_at,
    organizations.c.revision,
).where(organizations.c.id == _ORG_ID)
_NAMES = (
    select(
        organization_names,
        ids_of(
            organization_name_sources.c.source_id,
            organization_name_sources.c.name_id == organization_names.c.id,
        ).label("cited"),
    )
    .where(organization_names.c.organization_id == _ORG_ID)
    .order_by(
        organization_names.c.lang,
        organization_names.c.type,
        organization_names.c.is_preferred.desc(),
        organization_names.c.value,
    )
)
_CLAIMS = select(
    organization_claims,
    ids_of(
        organization_claim_sources.c.source_id,
        organization_claim_sources.c.organization_id == _ORG_ID,
        organization_claim_sources.c.field == organization_claims.c.field,
    ).label("cited"),
).where(organization_claims.c.organization_id == _ORG_ID)
_LISTINGS = (
    select(
        listings,
        ids_of(listing_sources.c.source_id, listing_sources.c.listing_id == listings.c.id).label(
            "cited"
        ),
    )
    .where(listings.c.organization_id == _ORG_ID)
    .order_by(listings.c.source_id, listings.c.position)
)
_IDENTIFIERS = (
    select(
        organization_identifiers.c.scheme,
        organization_identifiers.c.value,
        organization_identifiers.c.verification,
        organization_identifiers.c.note,
        organization_identifiers.c.source_id,
    )
    .where(organization_identifiers.c.organization_id == _ORG_ID)
    .order_by(organization_identifiers.c.scheme, organization_identifiers.c.value)
)


_DOCUMENT = text(
    f"""
    SELECT (SELECT version FROM data_version), o.id, {documents.organization("o")}::text
    FROM (SELECT 1) AS one
    LEFT JOIN organizations o ON o.id = ({documents.live_organization_key(":key")})
    """
)


async def organization_document(
    session: AsyncSession | AsyncConnection, key: str
) -> tuple[int, Document | None]:
    """The data version, and the live organization `key` names (id or slug) as the document a
    GET answers, built by PostgreSQL in the same statement; None when no live one has that
    key (`resolve_organization_id` says why)."""
    version, org_id, body = (await session.execute(_DOCUMENT, {"key": key})).one()
    return version, Document(org_id, body.encode()) if org_id is not None else None


async def get_organization(session: AsyncSession, key: str) -> Organization:
    org_id = await resolve_organization_id(session, key)
    given = {"org_id": org_id}
    row = (await session.execute(_ORGANIZATION, given)).mappings().one()
    names = list((await session.execute(_NAMES, given)).mappings())
    claims = list((await session.execute(_CLAIMS, given)).mappings())
    org_listings = list((await session.execute(_LISTINGS, given)).mappings())

    identifiers = list((await session.execute(_IDENTIFIERS, given)).mappings())
    cited = [s for rows in (names, claims, org_listings) for r in rows for s in r["cited"]]
    stated = [i["source_id"] for i in identifiers if i["source_id"]]
    refs = await source_refs(
        session, [*cited, *stated, *(item["source_id"] for item in org_listings)]
    )
    parents = await organization_refs(session, [row["parent_id"]] if row["parent_id"] else [])
    org_categories = (await _categories_of(session, [org_id]))[org_id]

    return Organization.model_validate(
        {
            **_summary_fields(row, org_categories, None),
            "parent": parents.get(row["parent_id"]),
            "names": [
                Name(
                    lang=n["lang"],
                    type=n["type"],
                    value=n["value"],
                    preferred=n["is_preferred"],
                    verification=n["verification"],
                    note=n["note"],
                    sources=[refs[s] for s in n["cited"]],
                )
                for n in names
            ],
            "dissolved": Dissolved(date=row["dissolved_on"], precision=row["dissolved_precision"]),
            "headquarters": row["headquarters"],
            "website": row["website"],
            "identifiers": [
                Identifier(
                    scheme=i["scheme"],
                    value=i["value"],
                    verification=i["verification"],
                    note=i["note"],
                    source=refs[i["source_id"]] if i["source_id"] else None,
                )
                for i in identifiers
            ],
            "claims": {
                c["field"]: Claim(
                    verification=c["verification"],
                    note=c["note"],
                    sources=[refs[s] for s in c["cited"]],
                )
                for c in claims
            },
            "listings": [
                Listing(
                    act=refs[item["source_id"]],
                    section=item["section"],
                    position=item["position"],
                    note=item["note"],
                    sources=[refs[s] for s in item["cited"]],
                )
                for item in org_listings
            ],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "revision": row["revision"],
        }
    )
