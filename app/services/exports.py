"""Bulk exports, streamed from one snapshot: memory stays flat however large the data.

PostgreSQL builds every line itself (json_build_object for NDJSON, COPY's CSV), so Python only
passes bytes on.
NDJSON carries whole records (an organization with its names and categories; a membership with
its periods and events, sources by id; a contribution with its sources); CSV is flat (one
organization, status period or contribution per row). `status` is every pair's status on one
date, with the sources behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

Resource = Literal["organizations", "memberships", "status", "contributions"]
Format = Literal["ndjson", "csv"]
MEDIA_TYPES: dict[Format, str] = {"ndjson": "application/x-ndjson", "csv": "text/csv"}
QUEUED_CHUNKS = 16


def _source_ids(link_table: str, key: str, owner: str) -> str:
    """SQL for the JSON array of source ids a link table gives one owner row."""
    return (
        f"(SELECT coalesce(json_agg(l.source_id ORDER BY l.source_id), '[]') "
        f"FROM {link_table} l WHERE l.{key} = {owner})"
    )


def _preferred(lang: str, name_type: str) -> str:
    return (
        "(SELECT value FROM organization_names n WHERE n.organization_id = o.id "
        f"AND n.lang = '{lang}' AND n.type = '{name_type}' AND n.is_preferred)"
    )


LIVE = "o.deleted_at IS NULL AND o.merged_into_id IS NULL"
VALID_FROM = "CASE WHEN p.valid_from_precision = 'unknown' THEN NULL ELSE lower(p.during) END"


@dataclass(frozen=True)
class StatusOn:
    """What the `status` export is asked for: the date, and one organization (id or slug) or
    all. Passed to COPY as its $1 and $2."""

    as_of: dt.date
    organization: str | None = None

    def args(self) -> tuple[dt.date, str | None]:
        return self.as_of, self.organization


_STATUS_FROM = f"""
        FROM memberships m JOIN organizations o ON o.id = m.organization_id
        JOIN countries c ON c.code = m.country_code
        LEFT JOIN status_periods p ON p.membership_id = m.id AND p.during @> $1::date
        LEFT JOIN membership_events e ON e.id = p.evidence_event_id
        WHERE {LIVE} AND ($2::text IS NULL OR o.id = $2::text OR o.slug = $2::text)
        ORDER BY o.slug, m.country_code"""
_CONTRIBUTIONS_FROM = """
        FROM contributions k LEFT JOIN organizations o ON o.id = k.organization_id
        WHERE k.deleted_at IS NULL ORDER BY k.country_code, k.recipient, o.slug,
          k.period_start NULLS LAST, k.id"""
_CONTRIBUTION_SOURCES = """(
          SELECT {aggregate} FROM contribution_sources ks JOIN sources s ON s.id = ks.source_id
          WHERE ks.contribution_id = k.id)"""
_STATUS_SOURCES = """(
          SELECT coalesce(array_agg(s.url ORDER BY s.url), '{}') FROM sources s
          WHERE s.url IS NOT NULL AND (s.id = p.source_id OR s.id IN (
            SELECT es.source_id FROM membership_event_sources es
            WHERE es.event_id = p.evidence_event_id)))"""

NDJSON_QUERIES: dict[Resource, str] = {
    "organizations": f"""
        SELECT json_build_object(
          'id', o.id, 'slug', o.slug, 'system', o.system, 'kind', o.kind,
          'parent_id', o.parent_id,
          'founded', json_build_object('date', o.founded_on, 'precision', o.founded_precision),
          'headquarters', o.headquarters, 'website', o.website,
          'names', (
            SELECT coalesce(json_agg(json_build_object(
                'lang', n.lang, 'type', n.type, 'value', n.value, 'preferred', n.is_preferred,
                'verification', n.verification,
                'sources', {_source_ids("organization_name_sources", "name_id", "n.id")}
              ) ORDER BY n.lang, n.type, n.value), '[]')
            FROM organization_names n WHERE n.organization_id = o.id),
          'categories', (
            SELECT coalesce(json_agg(json_build_object('slug', c.slug, 'primary', oc.is_primary)
              ORDER BY NOT oc.is_primary, c.slug), '[]')
            FROM organization_categories oc JOIN categories c ON c.id = oc.category_id
            WHERE oc.organization_id = o.id),
          'identifiers', (
            SELECT coalesce(json_agg(json_build_object(
                'scheme', i.scheme, 'value', i.value, 'verification', i.verification,
                'source', i.source_id) ORDER BY i.scheme, i.value), '[]')
            FROM organization_identifiers i WHERE i.organization_id = o.id),
          'updated_at', o.updated_at, 'revision', o.revision
        )::text
        FROM organizations o WHERE {LIVE} ORDER BY o.slug""",
    "memberships": f"""
        SELECT json_build_object(
          'id', m.id, 'country', m.country_code, 'organization_id', m.organization_id,
          'organization_slug', o.slug, 'basis', m.basis,
          'basis_verification', m.basis_verification,
          'periods', (
            SELECT coalesce(json_agg(json_build_object(
                'status', p.status, 'valid_from', {VALID_FROM},
                'valid_from_precision', p.valid_from_precision,
                'valid_to', upper(p.during), 'valid_to_precision', p.valid_to_precision,
                'evidence_event', p.evidence_event_id, 'unknown_reason', p.unknown_reason,
                'source', p.source_id
              ) ORDER BY lower(p.during) NULLS FIRST), '[]')
            FROM status_periods p WHERE p.membership_id = m.id),
          'events', (
            SELECT coalesce(json_agg(json_build_object(
                'id', e.id, 'type', e.type, 'date', e.date, 'date_precision', e.date_precision,
                'date_earliest', e.date_earliest, 'date_latest', e.date_latest,
                'verification', e.verification, 'note', e.note, 'qualifiers', e.qualifiers,
                'sources', {_source_ids("membership_event_sources", "event_id", "e.id")}
              ) ORDER BY e.date NULLS LAST, e.id), '[]')
            FROM membership_events e WHERE e.membership_id = m.id)
        )::text
        FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE {LIVE} ORDER BY m.country_code, o.slug""",
    "status": f"""
        SELECT json_build_object(
          'as_of', $1::date, 'membership_id', m.id, 'country', m.country_code,
          'country_name', c.name_en, 'organization_id', o.id, 'organization_slug', o.slug,
          'basis', m.basis, 'status', coalesce(p.status, 'unknown'),
          'valid_from', {VALID_FROM}, 'valid_from_precision', p.valid_from_precision,
          'valid_to', upper(p.during), 'valid_to_precision', p.valid_to_precision,
          'unknown_reason', p.unknown_reason,
          'evidence', CASE WHEN e.id IS NULL THEN NULL ELSE json_build_object(
            'id', e.id, 'type', e.type, 'date', e.date, 'date_precision', e.date_precision,
            'verification', e.verification) END,
          'sources', {_STATUS_SOURCES}
        )::text {_STATUS_FROM}""",
    "contributions": f"""
        SELECT json_build_object(
          'id', k.id, 'country', k.country_code, 'recipient', k.recipient,
          'organization_id', k.organization_id, 'organization_slug', o.slug, 'kind', k.kind,
          'period_start', k.period_start, 'period_end', k.period_end,
          'period_type', k.period_type, 'period_label', k.period_label,
          'amount', k.amount, 'currency', k.currency, 'amount_qualifier', k.amount_qualifier,
          'share', k.share, 'share_qualifier', k.share_qualifier,
          'verification', k.verification, 'note', k.note,
          'sources', {
        _CONTRIBUTION_SOURCES.format(
            aggregate="coalesce(json_agg(json_build_object("
            "'id', s.id, 'url', s.url) ORDER BY s.id), '[]')"
        )
    },
          'updated_at', k.updated_at, 'revision', k.revision
        )::text {_CONTRIBUTIONS_FROM}""",
}

CSV_QUERIES: dict[Resource, str] = {
    "organizations": f"""
        SELECT o.id, o.slug, {_preferred("en", "official")} AS name_en,
          {_preferred("en", "acronym")} AS acronym, {_preferred("zh-Hans", "official")} AS name_zh,
          o.system, o.kind, o.parent_id,
          (SELECT string_agg(c.slug, ';' ORDER BY NOT oc.is_primary, c.slug)
             FROM organization_categories oc JOIN categories c ON c.id = oc.category_id
             WHERE oc.organization_id = o.id) AS categories,
          (SELECT string_agg(i.scheme || ':' || i.value, ';' ORDER BY i.scheme, i.value)
             FROM organization_identifiers i
             WHERE i.organization_id = o.id) AS identifiers,
          o.founded_on, o.founded_precision, o.headquarters, o.website, o.updated_at, o.revision
        FROM organizations o WHERE {LIVE} ORDER BY o.slug""",
    "memberships": f"""
        SELECT m.id AS membership_id, m.country_code AS country, m.organization_id,
          o.slug AS organization_slug, m.basis, p.status, {VALID_FROM} AS valid_from,
          p.valid_from_precision, upper(p.during) AS valid_to, p.valid_to_precision,
          p.unknown_reason, p.source_id AS source, p.evidence_event_id,
          (SELECT string_agg(es.source_id, ';' ORDER BY es.source_id)
             FROM membership_event_sources es
             WHERE es.event_id = p.evidence_event_id) AS evidence_sources
        FROM status_periods p JOIN memberships m ON m.id = p.membership_id
        JOIN organizations o ON o.id = m.organization_id
        WHERE {LIVE} ORDER BY m.country_code, o.slug, lower(p.during) NULLS FIRST""",
    "status": f"""
        SELECT $1::date AS as_of, m.country_code AS country, c.name_en AS country_name,
          o.slug AS organization_slug, m.basis, coalesce(p.status, 'unknown') AS status,
          {VALID_FROM} AS valid_from, p.valid_from_precision, upper(p.during) AS valid_to,
          p.valid_to_precision, p.unknown_reason, e.type AS evidence_type,
          e.date AS evidence_date, e.date_precision AS evidence_date_precision,
          e.verification AS evidence_verification,
          array_to_string({_STATUS_SOURCES}, ' ') AS source_urls {_STATUS_FROM}""",
    "contributions": f"""
        SELECT k.id, k.country_code AS country, k.recipient, k.organization_id,
          o.slug AS organization_slug, k.kind, k.period_start, k.period_end, k.period_type,
          k.period_label, k.amount, k.currency, k.amount_qualifier, k.share, k.share_qualifier,
          k.verification, k.note,
          {_CONTRIBUTION_SOURCES.format(aggregate="string_agg(s.id, ';' ORDER BY s.id)")}
            AS sources,
          {_CONTRIBUTION_SOURCES.format(aggregate="string_agg(s.url, ' ' ORDER BY s.id)")}
            AS source_urls,
          k.updated_at, k.revision {_CONTRIBUTIONS_FROM}""",
}


def _args(resource: Resource, status_on: StatusOn | None) -> tuple[Any, ...]:
    if resource != "status":
        return ()
    if status_on is None:
        raise ValueError("The status export needs a date (StatusOn).")
    return status_on.args()


async def export_lines(
    connection: AsyncConnection,
    resource: Resource,
    fmt: Format,
    status_on: StatusOn | None = None,
) -> AsyncIterator[bytes]:
    """The export as PostgreSQL's own COPY output, passed on chunk by chunk: Python neither
    parses nor formats a row. At most QUEUED_CHUNKS wait for a slow client (flat memory)."""
    # One COPY statement streams the whole export, however long the client takes to read it:
    # the per-statement limit meant for queries (ORGREG_DB_STATEMENT_TIMEOUT_MS) is lifted for
    # this transaction. This also begins the snapshot's transaction before COPY runs in it.
    await connection.execute(text("SET LOCAL statement_timeout = 0"))
    raw: Any = (await connection.get_raw_connection()).driver_connection
    options: dict[str, Any]
    if fmt == "ndjson":
        # One JSON text per row. PostgreSQL's JSON escapes every control character, so with a
        # delimiter and quote that are control characters no value is ever quoted.
        query, options = NDJSON_QUERIES[resource], {"delimiter": "\x02", "quote": "\x01"}
    else:
        query, options = CSV_QUERIES[resource], {"header": True}
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=QUEUED_CHUNKS)

    async def pass_on(chunk: bytes) -> None:
        await chunks.put(bytes(chunk))

    async def copy() -> None:
        try:
            await raw.copy_from_query(
                query, *_args(resource, status_on), output=pass_on, format="csv", **options
            )
        finally:
            await chunks.put(None)

    copying = asyncio.create_task(copy())
    try:
        while (chunk := await chunks.get()) is not None:
            yield chunk
        await copying
    finally:
        if not copying.done():
            copying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await copying


async def row_count(
    connection: AsyncConnection,
    resource: Resource,
    fmt: Format,
    status_on: StatusOn | None = None,
) -> int:
    """How many lines of data an export will have (for progress bars)."""
    query = NDJSON_QUERIES[resource] if fmt == "ndjson" else CSV_QUERIES[resource]
    raw: Any = (await connection.get_raw_connection()).driver_connection
    counted = await raw.fetchval(
        f"SELECT count(*) FROM ({query}) AS export", *_args(resource, status_on)
    )
    return int(counted)
