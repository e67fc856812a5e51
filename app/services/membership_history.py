"""How the registry's answer for one pair changed over time (`GET /v1/memberships/{id}/history`).

The moments at which anything the answer is built from changed (the membership, its events and
their sources, its periods, its organization and country) are read from `history`; the answer at
each is the very document GET /v1/memberships/{id} gives with `known_at` set to that moment, so
the two can never disagree. Consecutive identical answers are one version.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.schemas.memberships import Membership, MembershipHistory, MembershipVersion
from app.schemas.revisions import RevisionOut
from app.services import known
from app.services.memberships import membership_document
from app.services.meta import data_version

_MOMENTS = text(
    """
    WITH versions AS (
        SELECT valid FROM history.memberships WHERE id = :id
        UNION ALL SELECT valid FROM history.status_periods WHERE membership_id = :id
        UNION ALL SELECT valid FROM history.membership_events WHERE membership_id = :id
        UNION ALL SELECT s.valid FROM history.membership_event_sources s
            WHERE s.event_id IN (SELECT id FROM history.membership_events WHERE membership_id = :id)
        UNION ALL SELECT o.valid FROM history.organizations o
            WHERE o.id IN (SELECT organization_id FROM history.memberships WHERE id = :id)
        UNION ALL SELECT c.valid FROM history.countries c
            WHERE c.code IN (SELECT country_code FROM history.memberships WHERE id = :id)
    )
    SELECT DISTINCT moment
    FROM versions, LATERAL (VALUES (lower(valid)), (upper(valid))) AS m(moment)
    WHERE moment IS NOT NULL AND moment <= clock_timestamp()
    ORDER BY moment
    """
)
_REVISIONS = text(
    """
    SELECT r.* FROM revisions r
    WHERE r.occurred_at = ANY(:moments) AND (
        (r.resource_type = 'membership' AND r.resource_id = :id)
        OR (r.resource_type = 'organization' AND r.resource_id IN (
            SELECT organization_id FROM history.memberships WHERE id = :id))
        OR r.resource_type = 'registry')
    ORDER BY r.id
    """
)


async def membership_history(session: AsyncSession, membership_id: str) -> MembershipHistory:
    changed = list((await session.execute(_MOMENTS, {"id": membership_id})).scalars())
    began = await known.history_began(session)
    if not changed or began is None:
        raise NotFound(f"No membership with id '{membership_id}' in the registry's history.")
    # Versions opened before history began (by the migrations of that run) count from then.
    moments = sorted({max(moment, began) for moment in changed})
    answers: list[tuple[dt.datetime, int, bytes | None]] = []
    for moment in moments:
        async with known.as_known_at(session, moment):
            try:
                version, document = await membership_document(session, membership_id)
                body: bytes | None = document.body
            except NotFound:
                version, body = await data_version(session), None
        if not answers or answers[-1][2] != body:
            answers.append((moment, version, body))
    revisions = await _revisions_at(session, membership_id, [moment for moment, _, _ in answers])
    return MembershipHistory(
        membership_id=membership_id,
        history_began_at=began,
        versions=[
            MembershipVersion(
                known_from=moment,
                known_until=answers[n + 1][0] if n + 1 < len(answers) else None,
                data_version=version,
                membership=Membership.model_validate(json.loads(body)) if body else None,
                revisions=revisions.get(moment, []),
            )
            for n, (moment, version, body) in enumerate(answers)
        ],
    )


async def _revisions_at(
    session: AsyncSession, membership_id: str, moments: list[dt.datetime]
) -> dict[dt.datetime, list[RevisionOut]]:
    found: dict[dt.datetime, list[RevisionOut]] = {}
    rows: Any = await session.execute(_REVISIONS, {"id": membership_id, "moments": moments})
    for row in rows.mappings():
        found.setdefault(row["occurred_at"], []).append(RevisionOut.model_validate(dict(row)))
    return found
