"""The API's JSON shapes, built by PostgreSQL: one SQL fragment per shape of app.schemas.

A read that answers with one statement has PostgreSQL build the whole document
(`json_build_object`), and Python passes the text on: no rows to convert, no models to build
and serialize. The pydantic schemas stay the contract (OpenAPI is generated from them, and
tests/api/test_documents.py validates these documents against them); the fragments here are
the one place that says how each shape is spelled in SQL, so every read that shows an event, a
source or a period shows it the same way.

Each fragment is a function of the SQL aliases it reads from; the values come from bound
parameters of the statement that uses it, never from the fragment's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.pagination import PageRequest, encode_cursor


@dataclass(frozen=True)
class Document:
    """A representation as PostgreSQL built it: the bytes a GET answers (and its ETag hashes)."""

    id: str
    body: bytes


@dataclass(frozen=True)
class JsonPage:
    """A page as PostgreSQL built it, read with the data version in the same statement."""

    data_version: int
    found: bool
    """Whether what the page belongs to (a country, an organization) exists and is live."""
    items_json: str
    next_cursor: str | None


def country_key(parameter: str) -> str:
    """The registry's code of the country a parameter names (alpha-2, -3 or -4, any case)."""
    return (
        f"SELECT code FROM countries WHERE code = upper({parameter}) OR alpha3 = upper({parameter})"
    )


def live_organization_key(parameter: str) -> str:
    """The id of the live organization a parameter names (its id or its slug)."""
    return (
        f"SELECT id FROM organizations WHERE (id = {parameter} OR slug = {parameter}) "
        "AND deleted_at IS NULL AND merged_into_id IS NULL"
    )


def page_of_documents(ctes: str, document: str, found: str) -> str:
    """One statement, one row, for a page of documents: the data version, whether `found`
    holds, the items as one JSON array, and the sort key to continue from. `ctes` defines
    `page` (a `sort_key`, an `organization_id` and a `country_code` per row, ordered by
    `sort_key`, at most `:size + 1` rows); `document` builds an item from a `page` row
    aliased `page` and its organization `o` and country `c`."""
    return f"""
        WITH {ctes},
        numbered AS (SELECT page.*, row_number() OVER (ORDER BY page.sort_key) AS n FROM page),
        docs AS (
            SELECT page.n, page.sort_key, {document} AS doc
            FROM numbered page
            JOIN organizations o ON o.id = page.organization_id
            JOIN countries c ON c.code = page.country_code
            WHERE page.n <= :size
        )
        SELECT (SELECT version FROM data_version),
               {found},
               (SELECT coalesce(json_agg(doc ORDER BY n), '[]')::text FROM docs),
               (SELECT max(sort_key) FROM docs
                WHERE EXISTS (SELECT 1 FROM numbered WHERE n > :size))
        """


async def read_page(
    session: AsyncSession | AsyncConnection,
    statement: TextClause,
    values: dict[str, Any],
    page: PageRequest,
) -> JsonPage:
    """Run a `page_of_documents` statement with the values it names (`size` and `after` come
    from `page`)."""
    given = {**values, "size": page.size, "after": page.after[0] if page.after else None}
    used = {k: v for k, v in given.items() if f":{k}" in statement.text}
    version, found, items, last_key = (await session.execute(statement, used)).one()
    next_cursor = encode_cursor(page.order, (last_key,)) if last_key is not None else None
    return JsonPage(version, found, items, next_cursor)


def source_ref(s: str) -> str:
    """SourceRef of a `sources` row aliased `s`."""
    return f"""json_build_object(
        'id', {s}.id, 'title', {s}.title, 'publisher', {s}.publisher, 'url', {s}.url,
        'published_on', {s}.published_on, 'kind', {s}.kind)"""


def event_of(e: str) -> str:
    """Event of a `membership_events` row aliased `e`, its sources ordered by id."""
    return f"""json_build_object(
        'id', {e}.id, 'type', {e}.type, 'date', {e}.date, 'date_precision', {e}.date_precision,
        'date_earliest', {e}.date_earliest, 'date_latest', {e}.date_latest,
        'verification', {e}.verification, 'note', {e}.note, 'qualifiers', {e}.qualifiers,
        'sources', {cited_sources("membership_event_sources", f"l.event_id = {e}.id")})"""


def event(event_id: str) -> str:
    """Event (or null) for an event id expression."""
    return f"(SELECT {event_of('e')} FROM membership_events e WHERE e.id = {event_id})"


def events(membership_id: str, where: str = "true") -> str:
    """Event[] of a membership, oldest first, undated last (the order of every event list)."""
    return f"""(
        SELECT coalesce(json_agg({event_of("e")} ORDER BY e.date NULLS LAST, e.id), '[]')
        FROM membership_events e WHERE e.membership_id = {membership_id} AND {where})"""


def status_period(p: str, *more: str) -> str:
    """StatusPeriod of a `status_periods` row aliased `p` (null when there is none); `more`:
    further `'key', value` pairs (a TimelinePeriod's events)."""
    extra = "".join(f", {pair}" for pair in more)
    return f"""CASE WHEN {p}.membership_id IS NULL THEN NULL ELSE json_build_object(
        'status', {p}.status,
        'valid_from', CASE WHEN {p}.valid_from_precision = 'unknown' THEN NULL
                           ELSE lower({p}.during) END,
        'valid_from_precision', {p}.valid_from_precision,
        'valid_to', upper({p}.during), 'valid_to_precision', {p}.valid_to_precision,
        'evidence_event', {p}.evidence_event_id, 'unknown_reason', {p}.unknown_reason,
        'source', {p}.source_id{extra}) END"""


def known_status(p: str) -> str:
    """KnownStatus of a `status_periods` row aliased `p`."""
    return f"""json_build_object(
        'status', {p}.status, 'valid_from', lower({p}.during), 'valid_to', upper({p}.during),
        'source', {p}.source_id, 'evidence', {event(f"{p}.evidence_event_id")})"""


def membership(m: str) -> str:
    """Membership of a `memberships` row aliased `m`; `status_today` on the `:today` parameter."""
    return f"""json_build_object(
        'id', {m}.id,
        'country', (SELECT {country_ref("c")} FROM countries c WHERE c.code = {m}.country_code),
        'organization', (
            SELECT {organization_ref("o")} FROM organizations o WHERE o.id = {m}.organization_id),
        'basis', {m}.basis, 'basis_verification', {m}.basis_verification, 'note', {m}.note,
        'status_today', coalesce((
            SELECT p.status FROM status_periods p
            WHERE p.membership_id = {m}.id AND p.during @> CAST(:today AS date)), 'unknown'),
        'periods', (
            SELECT coalesce(json_agg({status_period("p")}
                ORDER BY NOT lower_inf(p.during), lower(p.during)), '[]')
            FROM status_periods p WHERE p.membership_id = {m}.id),
        'events', {events(f"{m}.id")})"""


def country_ref(c: str) -> str:
    """CountryRef of a `countries` row aliased `c`."""
    return f"json_build_object('code', {c}.code, 'alpha3', {c}.alpha3, 'name_en', {c}.name_en)"


def preferred_name(o: str, lang: str, name_type: str) -> str:
    """The preferred name of one language and type of the organization aliased `o`."""
    return f"""(SELECT n.value FROM organization_names n WHERE n.organization_id = {o}.id
        AND n.lang = '{lang}' AND n.type = '{name_type}' AND n.is_preferred LIMIT 1)"""


def organization_ref(o: str) -> str:
    """OrganizationRef of an `organizations` row aliased `o`."""
    return f"""json_build_object(
        'id', {o}.id, 'slug', {o}.slug,
        'name', coalesce({preferred_name(o, "en", "official")}, {o}.slug),
        'acronym', {preferred_name(o, "en", "acronym")})"""


def cited_sources(link_table: str, where: str) -> str:
    """SourceRef[] of the sources a link table cites for one owner row, ordered by id."""
    return f"""(
        SELECT coalesce(json_agg({source_ref("s")} ORDER BY s.id), '[]')
        FROM {link_table} l JOIN sources s ON s.id = l.source_id WHERE {where})"""


def categories_of(o: str) -> str:
    """OrganizationCategory[] of the organization aliased `o`, primary first."""
    return f"""(
        SELECT coalesce(json_agg(json_build_object(
            'slug', c.slug, 'name_en', c.name_en, 'name_zh', c.name_zh,
            'primary', oc.is_primary) ORDER BY oc.is_primary DESC, c.position), '[]')
        FROM organization_categories oc JOIN categories c ON c.id = oc.category_id
        WHERE oc.organization_id = {o}.id)"""


def _summary_pairs(o: str, matched_name: str) -> str:
    return f"""
        'id', {o}.id, 'slug', {o}.slug,
        'name', coalesce({preferred_name(o, "en", "official")}, {o}.slug),
        'acronym', {preferred_name(o, "en", "acronym")},
        'name_zh', {preferred_name(o, "zh-Hans", "official")},
        'matched_name', {matched_name},
        'system', {o}.system, 'kind', {o}.kind, 'parent_id', {o}.parent_id,
        'categories', {categories_of(o)},
        'founded', json_build_object('date', {o}.founded_on, 'precision', {o}.founded_precision)"""


def organization_summary(o: str, matched_name: str = "NULL") -> str:
    """OrganizationSummary of an `organizations` row aliased `o`."""
    return f"json_build_object({_summary_pairs(o, matched_name)})"


def suggestion(o: str, matched_name: str) -> str:
    """Suggestion of an `organizations` row aliased `o`."""
    return f"""json_build_object(
        'id', {o}.id, 'slug', {o}.slug,
        'name', coalesce({preferred_name(o, "en", "official")}, {o}.slug),
        'acronym', {preferred_name(o, "en", "acronym")},
        'matched_name', {matched_name})"""


def organization(o: str) -> str:
    """Organization of an `organizations` row aliased `o`, in the schema's field order."""
    return f"""json_build_object({_summary_pairs(o, "NULL")},
        'parent', (SELECT {organization_ref("p")} FROM organizations p WHERE p.id = {o}.parent_id),
        'names', (
            SELECT coalesce(json_agg(json_build_object(
                'lang', n.lang, 'type', n.type, 'value', n.value, 'preferred', n.is_preferred,
                'verification', n.verification, 'note', n.note,
                'sources', {cited_sources("organization_name_sources", "l.name_id = n.id")})
                ORDER BY n.lang, n.type, n.is_preferred DESC, n.value), '[]')
            FROM organization_names n WHERE n.organization_id = {o}.id),
        'dissolved', json_build_object(
            'date', {o}.dissolved_on, 'precision', {o}.dissolved_precision),
        'headquarters', {o}.headquarters, 'website', {o}.website,
        'identifiers', (
            SELECT coalesce(json_agg(json_build_object('scheme', i.scheme, 'value', i.value,
                'verification', i.verification, 'note', i.note,
                'source', (SELECT {source_ref("si")} FROM sources si WHERE si.id = i.source_id))
                ORDER BY i.scheme, i.value), '[]')
            FROM organization_identifiers i WHERE i.organization_id = {o}.id),
        'claims', (
            SELECT coalesce(json_object_agg(cl.field, json_build_object(
                'verification', cl.verification, 'note', cl.note,
                'sources', {
        cited_sources(
            "organization_claim_sources",
            f"l.organization_id = {o}.id AND l.field = cl.field",
        )
    }) ORDER BY cl.field), '{{}}')
            FROM organization_claims cl WHERE cl.organization_id = {o}.id),
        'listings', (
            SELECT coalesce(json_agg(json_build_object(
                'act', (SELECT {source_ref("a")} FROM sources a WHERE a.id = li.source_id),
                'section', li.section, 'position', li.position, 'note', li.note,
                'sources', {cited_sources("listing_sources", "l.listing_id = li.id")})
                ORDER BY li.source_id, li.position), '[]')
            FROM listings li WHERE li.organization_id = {o}.id),
        'created_at', {o}.created_at, 'updated_at', {o}.updated_at, 'revision', {o}.revision)"""
