"""Revisions: every write's who, when, why and field diff. Their ids order the change feed.

Appends take a transaction-scoped advisory lock, so ids are handed out in commit order: a
client reading the feed after cursor N can never miss a change that commits later with a
smaller id. Writers therefore record their revision last, just before they commit, to hold the
lock as briefly as possible. Each append also queues the webhook deliveries the change calls
for, in the same transaction (the outbox), so a crash after commit loses nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import CursorExpired, InvalidParameter
from app.models.tables import revisions
from app.pagination import PageRequest, paginate
from app.schemas.revisions import Change, RevisionOut
from app.services import webhooks

FEED_LOCK = 7_421_001
"""pg_advisory_xact_lock key serializing feed appends."""
_APPEND = text(
    """
    WITH feed_lock AS (SELECT pg_advisory_xact_lock(:lock))
    INSERT INTO revisions (resource_type, resource_id, action, revision, actor, reason, diff)
    SELECT c.resource_type, c.resource_id, c.action, c.revision, :actor, :reason, c.diff
    FROM feed_lock, ROWS FROM (jsonb_to_recordset(CAST(:changes AS jsonb)) AS (
        resource_type text, resource_id text, action text, revision int, diff jsonb
    )) WITH ORDINALITY AS c(resource_type, resource_id, action, revision, diff, n)
    ORDER BY c.n
    RETURNING id
    """
)
"""One round trip: the lock is taken before the first row is made, so before its id."""


@dataclass(frozen=True)
class ChangeRecord:
    resource_type: str
    resource_id: str
    action: str
    revision: int
    diff: dict[str, Any]
    event_types: list[str]
    """Webhook event types this change raises, e.g. ["membership.event_added"]."""
    country: str | None = None
    organization_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Field-level differences: {field: {"old": ..., "new": ...}} for each field that changed."""
    return {
        name: {"old": before.get(name), "new": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


async def record(
    session: AsyncSession, change: ChangeRecord, *, actor: str, reason: str | None
) -> int:
    return (await record_many(session, [change], actor=actor, reason=reason))[0]


async def record_many(
    session: AsyncSession, changes: list[ChangeRecord], *, actor: str, reason: str | None
) -> list[int]:
    """Append changes to the feed in the given order (an import records thousands at once)."""
    if not changes:
        return []
    rows = [
        {
            "resource_type": change.resource_type,
            "resource_id": change.resource_id,
            "action": change.action,
            "revision": change.revision,
            "diff": change.diff,
        }
        for change in changes
    ]
    inserted = await session.execute(
        _APPEND,
        {"lock": FEED_LOCK, "actor": actor, "reason": reason, "changes": json.dumps(rows)},
    )
    ids: list[int] = sorted(inserted.scalars().all())  # made in the changes' order
    await webhooks.enqueue(session, list(zip(ids, changes, strict=True)))
    return ids


async def history(
    session: AsyncSession, resource_type: str, resource_ids: list[str], page: PageRequest
) -> tuple[list[RevisionOut], str | None]:
    query = (
        select(revisions)
        .where(
            revisions.c.resource_type == resource_type, revisions.c.resource_id.in_(resource_ids)
        )
        .order_by(revisions.c.id)
        .limit(page.size + 1)
    )
    if page.after is not None:
        query = query.where(revisions.c.id > page.after[0])
    rows = [RevisionOut.model_validate(dict(r)) for r in (await session.execute(query)).mappings()]
    return paginate(rows, page, lambda r: (r.id,))


async def feed(
    session: AsyncSession, page: PageRequest, retention: dt.timedelta
) -> tuple[list[Change], str | None]:
    """Changes after the cursor, oldest first; a cursor older than the retention window is
    refused so the client knows it must re-export instead of silently missing changes."""
    if page.after is not None:
        horizon = dt.datetime.now(dt.UTC) - retention
        oldest_kept = (
            await session.execute(
                select(func.min(revisions.c.id)).where(revisions.c.occurred_at >= horizon)
            )
        ).scalar_one()
        newest = (await session.execute(select(func.max(revisions.c.id)))).scalar_one() or 0
        after = page.after[0]
        if after > newest:
            raise InvalidParameter(
                "cursor", "The cursor is ahead of the feed; it is not one this API issued."
            )
        # Everything after the cursor must still be inside the window.
        first_needed = after + 1
        expired = first_needed < oldest_kept if oldest_kept is not None else after < newest
        if expired:
            raise CursorExpired(
                f"The cursor is older than the change feed's {retention.days}-day window. "
                "Re-export (/v1/export/...), then follow /v1/changes from a fresh cursor."
            )
    query = select(revisions).order_by(revisions.c.id).limit(page.size + 1)
    if page.after is not None:
        query = query.where(revisions.c.id > page.after[0])
    else:
        query = query.where(revisions.c.occurred_at >= dt.datetime.now(dt.UTC) - retention)
    rows = [Change.model_validate(dict(r)) for r in (await session.execute(query)).mappings()]
    return paginate(rows, page, lambda c: (c.id,))
