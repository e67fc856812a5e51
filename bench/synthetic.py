"""Synthetic registry data at scale, added beside the seed: organizations with names and
categories, memberships across all ISO countries, dated events and their status periods.

Built with INSERT ... SELECT generate_series, so a million events take seconds. Names are
ASCII, so their search keys are computed in SQL exactly as app.services.search_text folds them.
"""

from __future__ import annotations

import math

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

STEPS = [
    """INSERT INTO sources (id, publisher, kind, published_precision, title)
       VALUES ('src_synthetic', 'Synthetic data', 'other', 'unknown', 'Generated for benchmarks')""",
    """INSERT INTO organizations (id, slug, system, kind, founded_on, founded_precision)
       SELECT 'org_syn' || i, 'syn-' || i, CASE WHEN i % 3 = 0 THEN 'un' ELSE 'non_un' END,
              (ARRAY['intergovernmental_organization','forum_partnership','programme_fund',
                     'treaty_agreement'])[1 + i % 4],
              make_date(1900 + i % 120, 1, 1), 'year'
       FROM generate_series(1, CAST(:orgs AS int)) AS i""",
    """INSERT INTO organization_names (id, organization_id, lang, type, value, is_preferred,
                                     verification, search_text, search_compact, grams)
       SELECT 'nam_syn' || i || t.type, 'org_syn' || i, 'en', t.type,
              CASE t.type WHEN 'official' THEN
                     (ARRAY['International','Regional','Global','Pacific','Atlantic','Arctic'])[1 + i % 6]
                     || ' ' || (ARRAY['Council','Agency','Forum','Commission','Institute','Fund'])[1 + i % 6]
                     || ' for ' || (ARRAY['Climate','Energy','Trade','Health','Science','Culture',
                                          'Oceans','Migration'])[1 + i % 8] || ' ' || i
                   ELSE 'SYN' || i END,
              true, 'unconfirmed', '', '', '{}'
       FROM generate_series(1, CAST(:orgs AS int)) AS i, (VALUES ('official'), ('acronym')) AS t(type)""",
    """UPDATE organization_names SET search_text = lower(value),
              search_compact = replace(lower(value), ' ', '')
       WHERE organization_id LIKE 'org_syn%'""",
    """INSERT INTO organization_categories (organization_id, category_id, is_primary)
       SELECT 'org_syn' || i, c.id, true
       FROM generate_series(1, CAST(:orgs AS int)) AS i
       JOIN (SELECT id, row_number() OVER (ORDER BY slug) - 1 AS n FROM categories
             WHERE id NOT IN (SELECT parent_id FROM categories WHERE parent_id IS NOT NULL)) c
         ON c.n = i % (SELECT count(*) FROM categories
                       WHERE id NOT IN (SELECT parent_id FROM categories WHERE parent_id IS NOT NULL))""",
    """INSERT INTO memberships (id, country_code, organization_id, basis, basis_verification)
       SELECT 'mem_syn' || m, c.code, 'org_syn' || (1 + (m - 1) / CAST(:per_org AS int)), 'member_state', 'unconfirmed'
       FROM generate_series(1, CAST(:orgs AS int) * CAST(:per_org AS int)) AS m
       JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS n FROM countries) c
         ON c.n = (m * 37) % (SELECT count(*) FROM countries)
       ON CONFLICT DO NOTHING""",
    """INSERT INTO membership_events (id, membership_id, type, date, date_precision, verification)
       SELECT 'evt_syn' || substr(m.id, 8) || '_' || e,
              m.id, CASE e WHEN 0 THEN 'joined' ELSE 'elected' END,
              make_date(1950 + (e * 11 + length(m.id)) % 70, 1 + e, 1), 'day', 'unconfirmed'
       FROM memberships m, generate_series(0, CAST(:events_per AS int) - 1) AS e
       WHERE m.id LIKE 'mem_syn%'""",
    """INSERT INTO membership_event_sources (event_id, source_id)
       SELECT id, 'src_synthetic' FROM membership_events WHERE id LIKE 'evt_syn%'""",
    """INSERT INTO status_periods (membership_id, status, during, valid_from_precision, evidence_event_id)
       SELECT e.membership_id, 'member', daterange(e.date, NULL), 'day', e.id
       FROM membership_events e WHERE e.id LIKE 'evt_syn%' AND e.type = 'joined'""",
    "ANALYZE",
]


async def add_synthetic(conn: AsyncConnection, organizations: int, events: int) -> None:
    """Add `organizations` organizations and about `events` membership events."""
    per_org = 10  # 100k organizations -> 1M memberships, so the export streams 1M rows
    events_per = max(1, math.ceil(events / (organizations * per_org)))
    for step in STEPS:
        await conn.execute(
            text(step), {"orgs": organizations, "per_org": per_org, "events_per": events_per}
        )
