"""Creating memberships and adding dated events, under the rules of the membership life cycle.

Each event is checked against the status its date falls in, derived from the events already
recorded (app.services.status_periods); the periods are then derived again in the same
transaction, and the exclusion constraint on status_periods stays the last line of defence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, InvalidBody, NotFound
from app.ids import new_id
from app.models.tables import (
    membership_event_sources,
    membership_events,
    memberships,
    organizations,
    status_periods,
)
from app.schemas.memberships import Membership
from app.schemas.writes import EventCreate, MembershipCreate, parse_partial_date
from app.services import revisions
from app.services.countries import find_country_code
from app.services.memberships import get_membership
from app.services.organizations import resolve_organization_id
from app.services.status_periods import (
    PRESUPPOSES_TIE,
    STARTS_TIE,
    DerivedPeriod,
    EventFact,
    derive_periods,
    status_on,
)
from app.services.writes.common import Actor, finish
from app.services.writes.organizations import check_sources
from app.vocabulary import DatePrecision, EventType, MembershipStatus

S = MembershipStatus
E = EventType
UNDATED_ALLOWED = STARTS_TIE | {E.withdrawal_effective}
"""Events that may be recorded with an unknown date: a tie of unknown start, an expected effect."""


async def create_membership(
    session: AsyncSession, body: MembershipCreate, actor: Actor
) -> Membership:
    country = await find_country_code(session, body.country)
    if country is None:
        raise InvalidBody(f"'{body.country}' is not an ISO 3166-1 country code.", field="country")
    try:
        org_id = await resolve_organization_id(session, body.organization)
    except Exception as exc:  # unknown, deleted or merged
        raise InvalidBody(getattr(exc, "detail", str(exc)), field="organization") from None
    membership_id = new_id("mem")
    try:
        async with session.begin_nested():
            await session.execute(
                memberships.insert().values(
                    id=membership_id,
                    country_code=country,
                    organization_id=org_id,
                    basis=body.basis.value,
                    basis_verification=body.basis_verification.value,
                    note=body.note,
                )
            )
    except IntegrityError:
        existing = (
            await session.execute(
                select(memberships.c.id).where(
                    memberships.c.country_code == country, memberships.c.organization_id == org_id
                )
            )
        ).scalar_one()
        raise Conflict(
            f"{country} already has a membership in this organization: {existing}."
        ) from None
    result = await get_membership(session, membership_id)
    await revisions.record(
        session,
        revisions.ChangeRecord(
            "membership",
            membership_id,
            "created",
            1,
            revisions.diff(
                {}, {"country": country, "organization_id": org_id, "basis": body.basis.value}
            ),
            ["membership.created"],
            country=country,
            organization_id=org_id,
        ),
        actor=actor.name,
        reason=actor.reason,
    )
    await finish(session, actor, result)
    return result


def _event_date(body: EventCreate) -> tuple[dt.date | None, DatePrecision]:
    if body.date is None:
        if body.date_precision not in (None, DatePrecision.unknown):
            raise InvalidBody("A precision needs a date.", field="date_precision")
        if body.type not in UNDATED_ALLOWED:
            raise InvalidBody(f"A {body.type} event needs a date.", field="date")
        return None, DatePrecision.unknown
    day, written = parse_partial_date(body.date)
    if body.date_precision is not None and body.date_precision != written:
        raise InvalidBody(
            f"`date` {body.date!r} is written to the {written}, but `date_precision` says "
            f"{body.date_precision}.",
            field="date_precision",
        )
    return day, written


def check_rules(
    event_type: EventType, day: dt.date | None, existing: list[EventFact], founded: dt.date | None
) -> None:
    """Raise Conflict when the event cannot happen given the events already recorded."""
    if day is None:
        return
    if founded is not None and day < founded:
        raise Conflict(f"{day} is before the organization was founded ({founded}).")
    status = status_on(derive_periods(existing, not_before=founded), day)
    if event_type in PRESUPPOSES_TIE and status in (S.non_member, S.withdrawn):
        action = (
            "end"
            if event_type == E.membership_ended
            else "withdraw from"
            if event_type.value.startswith("withdrawal")
            else "suspend or restore"
        )
        raise Conflict(
            f"On {day} the country is {status.value}: there is nothing to {action}. "
            "Record how it joined first."
        )
    if event_type == E.withdrawal_effective and status != S.withdrawal_pending:
        raise Conflict(
            f"A withdrawal cannot take effect on {day}: no withdrawal was announced or "
            "notified before that date."
        )
    if event_type == E.withdrawal_retracted and status != S.withdrawal_pending:
        raise Conflict(f"Nothing to retract on {day}: no withdrawal is pending then.")
    if event_type in (E.reinstated, E.funding_restored) and status != S.suspended:
        raise Conflict(f"Nothing to restore on {day}: the membership is {status.value} then.")
    if event_type == E.rejoined and status in (S.member, S.associate, S.observer, S.suspended):
        raise Conflict(f"Cannot rejoin on {day}: the country is already {status.value}.")


async def _facts(session: AsyncSession, membership_id: str) -> list[EventFact]:
    rows = await session.execute(
        select(
            membership_events.c.id,
            membership_events.c.type,
            membership_events.c.date,
            membership_events.c.date_precision,
        ).where(membership_events.c.membership_id == membership_id)
    )
    return [EventFact(i, EventType(t), d, DatePrecision(p)) for i, t, d, p in rows.all()]


def _timeline(periods: list[DerivedPeriod]) -> list[tuple[Any, ...]]:
    return [(p.status.value, p.start, p.end) for p in periods]


async def add_event(
    session: AsyncSession, membership_id: str, body: EventCreate, actor: Actor
) -> Membership:
    locked = (
        (
            await session.execute(
                select(memberships, organizations.c.founded_on)
                .join(organizations, organizations.c.id == memberships.c.organization_id)
                .where(memberships.c.id == membership_id)
                .with_for_update(of=memberships)
            )
        )
        .mappings()
        .first()
    )
    if locked is None:
        raise NotFound(f"No membership with id '{membership_id}'.")
    day, precision = _event_date(body)
    await check_sources(session, body.sources, "sources")
    existing = await _facts(session, membership_id)
    founded = locked["founded_on"]
    check_rules(body.type, day, existing, founded)

    event_id = new_id("evt")
    await session.execute(
        membership_events.insert().values(
            id=event_id,
            membership_id=membership_id,
            type=body.type.value,
            date=day,
            date_precision=precision.value,
            verification=body.verification.value,
            note=body.note,
        )
    )
    await session.execute(
        membership_event_sources.insert(),
        [{"event_id": event_id, "source_id": s} for s in dict.fromkeys(body.sources)],
    )
    before = derive_periods(existing, not_before=founded)
    after = derive_periods(
        [*existing, EventFact(event_id, body.type, day, precision)], not_before=founded
    )
    await replace_periods(session, membership_id, after)
    revision = (
        await session.execute(
            update(memberships)
            .where(memberships.c.id == membership_id)
            .values(revision=memberships.c.revision + 1, updated_at=func.now())
            .returning(memberships.c.revision)
        )
    ).scalar_one()
    event_types = ["membership.event_added"]
    if _timeline(before) != _timeline(after):
        event_types.append("membership.status_changed")
    result = await get_membership(session, membership_id)
    await revisions.record(
        session,
        revisions.ChangeRecord(
            "membership",
            membership_id,
            "event_added",
            revision,
            {
                "events": {
                    "old": None,
                    "new": {
                        "id": event_id,
                        "type": body.type.value,
                        "date": day.isoformat() if day else None,
                        "date_precision": precision.value,
                        "sources": body.sources,
                    },
                },
                "periods": {"old": periods_json(before), "new": periods_json(after)},
            },
            event_types,
            country=locked["country_code"],
            organization_id=locked["organization_id"],
        ),
        actor=actor.name,
        reason=actor.reason,
    )
    await finish(session, actor, result)
    return result


def periods_json(periods: list[DerivedPeriod]) -> list[dict[str, Any]]:
    return [
        {
            "status": p.status.value,
            "from": p.start.isoformat() if p.start else None,
            "to": p.end.isoformat() if p.end else None,
        }
        for p in periods
    ]


def period_row(membership_id: str, period: DerivedPeriod) -> dict[str, Any]:
    return {
        "membership_id": membership_id,
        "status": period.status.value,
        "during": Range(period.start, period.end, bounds="[)"),
        "valid_from_precision": period.start_precision.value,
        "valid_to_precision": period.end_precision.value if period.end_precision else None,
        "evidence_event_id": period.evidence_event_id,
    }


async def replace_periods(
    session: AsyncSession, membership_id: str, periods: list[DerivedPeriod]
) -> None:
    """Store freshly derived periods; an overlap (impossible by derivation) is a 409, not a 500."""
    await session.execute(
        delete(status_periods).where(status_periods.c.membership_id == membership_id)
    )
    if not periods:
        return
    try:
        async with session.begin_nested():
            await session.execute(
                status_periods.insert(), [period_row(membership_id, p) for p in periods]
            )
    except IntegrityError as exc:
        raise Conflict(f"The status periods would overlap: {exc.orig}") from None
