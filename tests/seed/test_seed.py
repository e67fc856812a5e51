"""The seed data as the migrations load it: the 66 of the memorandum, their sources, the US ties."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession


async def scalar(session: AsyncSession, sql: str, **params: object) -> Any:
    return (await session.execute(text(sql), params=params)).scalar_one()


async def rows(session: AsyncSession, sql: str, **params: object) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in (await session.execute(text(sql), params=params)).all()]


MEMO = "SELECT source_id FROM listings GROUP BY source_id ORDER BY count(*) DESC LIMIT 1"


async def test_memorandum_lists_66_organizations_31_un_and_35_non_un(session: AsyncSession) -> None:
    by_section = dict(
        await rows(
            session,
            f"""
        SELECT l.section || ':' || o.system, count(*)
        FROM listings l JOIN organizations o ON o.id = l.organization_id
        WHERE l.source_id = ({MEMO}) GROUP BY 1""",
        )
    )
    assert by_section == {"2(a):non_un": 35, "2(b):un": 31}
    positions = await rows(
        session,
        f"""
        SELECT section, min(position), max(position), count(DISTINCT position) FROM listings
        WHERE source_id = ({MEMO}) GROUP BY section ORDER BY section""",
    )
    assert positions == [("2(a)", 1, 35, 35), ("2(b)", 1, 31, 31)]


async def test_memorandum_source_says_it_is_a_republication(session: AsyncSession) -> None:
    kind, title, published = (
        await rows(session, f"SELECT kind, title, published_on FROM sources WHERE id = ({MEMO})")
    )[0]
    assert kind == "other"  # a third party's copy, not the official text
    assert "Withdrawing the United States from International Organizations" in str(title)
    assert published == dt.date(2026, 1, 7)


async def test_every_organization_has_exactly_one_primary_category(session: AsyncSession) -> None:
    assert (
        await rows(
            session,
            """
        SELECT o.slug FROM organizations o
        WHERE (SELECT count(*) FROM organization_categories c
               WHERE c.organization_id = o.id AND c.is_primary) <> 1
    """,
        )
        == []
    )


async def test_every_organization_has_english_and_chinese_official_names(
    session: AsyncSession,
) -> None:
    assert (
        await rows(
            session,
            """
        SELECT o.slug FROM organizations o WHERE NOT EXISTS (
          SELECT 1 FROM organization_names n WHERE n.organization_id = o.id AND n.lang = 'en'
            AND n.type = 'official' AND n.is_preferred)
        OR NOT EXISTS (SELECT 1 FROM organization_names n
            WHERE n.organization_id = o.id AND n.lang = 'zh-Hans'
            AND n.type = 'official' AND n.is_preferred)""",
        )
        == []
    )


async def test_every_event_cites_at_least_one_source(session: AsyncSession) -> None:
    assert (
        await scalar(
            session,
            """
        SELECT count(*) FROM membership_events e
        WHERE NOT EXISTS (SELECT 1 FROM membership_event_sources s WHERE s.event_id = e.id)""",
        )
        == 0
    )


async def test_names_claimed_confirmed_cite_a_source(session: AsyncSession) -> None:
    assert (
        await scalar(
            session,
            """
        SELECT count(*) FROM organization_names n WHERE n.verification = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM organization_name_sources s WHERE s.name_id = n.id)""",
        )
        == 0
    )
    assert (
        await scalar(
            session,
            """
        SELECT count(*) FROM organization_claims c WHERE c.verification = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM organization_claim_sources s
                          WHERE s.organization_id = c.organization_id AND s.field = c.field)""",
        )
        == 0
    )


async def test_unconfirmed_facts_are_marked(session: AsyncSession) -> None:
    # The reference checks leave several founding years, seats and Chinese names unconfirmed.
    assert (
        await scalar(
            session, "SELECT count(*) FROM organization_claims WHERE verification = 'unconfirmed'"
        )
        > 10
    )
    assert (
        await scalar(
            session, "SELECT count(*) FROM organization_claims WHERE verification = 'disputed'"
        )
        > 0
    )
    assert (
        await scalar(
            session,
            """
        SELECT count(*) FROM organization_names
        WHERE lang = 'zh-Hans' AND verification <> 'confirmed'""",
        )
        > 10
    )


async def test_no_membership_where_the_us_never_had_one(session: AsyncSession) -> None:
    for slug in ("eca", "escwa", "un-desa", "osaa", "ceb", "un-water"):
        assert (
            await scalar(
                session,
                """
            SELECT count(*) FROM memberships m JOIN organizations o ON o.id = m.organization_id
            WHERE o.slug = :slug""",
                slug=slug,
            )
            == 0
        ), slug
        note = await scalar(
            session,
            """
            SELECT l.note FROM listings l JOIN organizations o ON o.id = l.organization_id
            WHERE o.slug = :slug""",
            slug=slug,
        )
        assert "No membership recorded" in str(note)


async def test_every_us_tie_to_a_listed_organization_has_the_memorandum_event(
    session: AsyncSession,
) -> None:
    missing = await rows(
        session,
        f"""
        SELECT o.slug FROM memberships m JOIN organizations o ON o.id = m.organization_id
        JOIN listings l ON l.organization_id = o.id AND l.source_id = ({MEMO})
        WHERE m.country_code = 'US' AND NOT EXISTS (
          SELECT 1 FROM membership_events e JOIN membership_event_sources s ON s.event_id = e.id
          WHERE e.membership_id = m.id AND e.type = 'withdrawal_announced' AND e.date = '2026-01-07'
            AND s.source_id = ({MEMO}))""",
    )
    assert missing == []


async def test_us_status_changes_on_the_memorandum_date(session: AsyncSession) -> None:
    statuses = dict(
        await rows(
            session,
            f"""
        SELECT d.day::text, array_agg(DISTINCT p.status ORDER BY p.status)
        FROM (VALUES (date '2026-01-06'), (date '2026-01-07')) d(day)
        JOIN memberships m ON m.country_code = 'US'
        JOIN listings l ON l.organization_id = m.organization_id AND l.source_id = ({MEMO})
        JOIN status_periods p ON p.membership_id = m.id AND p.during @> d.day
        GROUP BY d.day""",
        )
    )
    assert "member" in statuses["2026-01-06"]
    ties = {"member", "associate", "observer", "participant", "donor", "unknown"}
    assert set(statuses["2026-01-06"]) <= ties
    assert statuses["2026-01-07"] == ["withdrawal_pending"]


async def test_periods_of_a_pair_never_overlap(session: AsyncSession) -> None:
    # The exclusion constraint makes this impossible; the test shows the constraint is there.
    membership = await scalar(session, "SELECT id FROM memberships LIMIT 1")
    nested = await session.begin_nested()
    with pytest.raises(IntegrityError, match="ex_status_periods_no_overlap"):
        await session.execute(
            text("""
            INSERT INTO status_periods (membership_id, status, during, valid_from_precision)
            VALUES (:m, 'member', daterange('2000-01-01', '2030-01-01'), 'day')"""),
            params={"m": membership},
        )
    await nested.rollback()
