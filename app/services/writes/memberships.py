"""Creating memberships and adding dated events, under the rules of the membership life cycle.

Each event is checked against the status its date falls in, derived from the events already
recorded (app.services.status_periods); the periods are then derived again in the same
transaction, and the exclusion constraint on status_periods stays the last line of defence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, InvalidBody, NotFound
from app.ids import new_id
from app.models.tables import (
    membership_event_sources,
    membership_events,
    memberships,
    organizations,
)
from app.schemas.writes import EventCreate, MembershipCreate, parse_partial_date
from app.services import revisions
from app.services.countries import find_country_code
from app.services.documents import Document
from app.services.memberships import membership_document
from app.services.organizations import resolve_organization_field
from app.services.periods import (
    CURATED_FACTS,
    fact_of,
    founding_floor,
    layered,
    load_dataset_layers,
    replace_periods,
)
from app.services.sql import in_param
from app.services.status_periods import (
    PRESUPPOSES_TIE,
    STARTS_TIE,
    DerivedPeriod,
    EventFact,
    derive_periods,
    status_on,
)
from app.services.writes.common import Actor
from app.services.writes.organizations import check_sources, known_sources
from app.vocabulary import DatePrecision, EventType, MembershipBasis, MembershipStatus

S = MembershipStatus
E = EventType
UNDATED_ALLOWED = STARTS_TIE | {E.withdrawal_effective}
"""Events that may be recorded with an unknown date: a tie of unknown start, an expected effect."""


async def create_membership(
    session: AsyncSession, body: MembershipCreate, actor: Actor
) -> Document:
    country = await find_country_code(session, body.country)
    if country is None:
        raise InvalidBody(f"'{body.country}' is not an ISO 3166-1 country code.", field="country")
    org_id = await resolve_organization_field(session, body.organization, "organization")
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
    _, result = await membership_document(session, membership_id)
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
    """Raise Conflict when the event cannot happen given the curated events already recorded
    (an imported dataset's say does not stop a curator)."""
    if day is None:
        return
    if founded is not None and day < founded:
        raise Conflict(f"{day} is before the organization was founded ({founded}).")
    status = status_on(derive_periods(existing, founded=founded), day)
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


@dataclass(frozen=True)
class NewEvent:
    membership_id: str
    body: EventCreate


@dataclass(frozen=True)
class AddedEvent:
    membership_id: str
    event_id: str
    revision: int
    status_changed: bool


@dataclass
class _Pair:
    revision: int
    country: str
    organization_id: str
    founded: dt.date | None
    basis: MembershipBasis
    facts: list[EventFact] = field(default_factory=list)
    dataset: list[DerivedPeriod] = field(default_factory=list)

    def periods(self) -> list[DerivedPeriod]:
        return layered(self.facts, founded=self.founded, basis=self.basis, dataset=self.dataset)


async def add_event(
    session: AsyncSession, membership_id: str, body: EventCreate, actor: Actor
) -> Document:
    _, changes = await apply_events(session, [NewEvent(membership_id, body)], batch=False)
    _, result = await membership_document(session, membership_id)
    await revisions.record_many(session, changes, actor=actor.name, reason=actor.reason)
    return result


async def add_events(
    session: AsyncSession, items: list[NewEvent], actor: Actor
) -> list[AddedEvent]:
    """Many events, to one membership or many, all or none: each is checked against the ones
    recorded before it (in the request's order too)."""
    added, changes = await apply_events(session, items, batch=True)
    await revisions.record_many(session, changes, actor=actor.name, reason=actor.reason)
    return added


async def apply_events(
    session: AsyncSession, items: list[NewEvent], *, batch: bool
) -> tuple[list[AddedEvent], list[revisions.ChangeRecord]]:
    """Write the events and the periods derived again; return the revisions to record (last,
    just before commit, so the feed lock is held briefly)."""
    pairs = await _lock_pairs(session, items, batch)
    dated = []
    for index, item in enumerate(items):
        with _naming(index, batch):
            dated.append(_event_date(item.body))
    await _check_cited(session, items, batch)

    added: list[AddedEvent] = []
    changes: list[revisions.ChangeRecord] = []
    event_rows: list[dict[str, Any]] = []
    for index, (item, (day, precision)) in enumerate(zip(items, dated, strict=True)):
        pair = pairs[item.membership_id]
        with _naming(index, batch):
            check_rules(item.body.type, day, pair.facts, pair.founded)
        event_id = new_id("evt")
        before = pair.periods()
        pair.facts.append(EventFact(event_id, item.body.type, day, precision))
        after = pair.periods()
        pair.revision += 1
        event_rows.append(
            {
                "id": event_id,
                "membership_id": item.membership_id,
                "type": item.body.type.value,
                "date": day,
                "date_precision": precision.value,
                "verification": item.body.verification.value,
                "note": item.body.note,
            }
        )
        change = _event_change(item, pair, event_id, (day, precision), (before, after))
        changed = "membership.status_changed" in change.event_types
        added.append(AddedEvent(item.membership_id, event_id, pair.revision, changed))
        changes.append(change)

    await session.execute(membership_events.insert(), event_rows)
    await session.execute(
        membership_event_sources.insert(),
        [
            {"event_id": row["id"], "source_id": source}
            for row, item in zip(event_rows, items, strict=True)
            for source in dict.fromkeys(item.body.sources)
        ],
    )
    await replace_periods(
        session, {membership_id: pair.periods() for membership_id, pair in pairs.items()}
    )
    await session.execute(
        _BUMP_REVISIONS,
        [{"membership_id": m, "new_revision": pair.revision} for m, pair in pairs.items()],
    )
    return added, changes


_LOCK_PAIRS = (
    select(
        memberships.c.id,
        memberships.c.revision,
        memberships.c.country_code,
        memberships.c.organization_id,
        memberships.c.basis,
        organizations.c.founded_on,
        organizations.c.founded_precision,
    )
    .join(organizations, organizations.c.id == memberships.c.organization_id)
    .where(in_param(memberships.c.id, "ids"))
    .order_by(memberships.c.id)
    .with_for_update(of=memberships)
)


_BUMP_REVISIONS = (
    update(memberships)
    .where(memberships.c.id == bindparam("membership_id"))
    .values(revision=bindparam("new_revision"), updated_at=func.now())
)


async def _lock_pairs(
    session: AsyncSession, items: list[NewEvent], batch: bool
) -> dict[str, _Pair]:
    """Lock the memberships (in id order, so concurrent batches cannot deadlock) and read the
    events each already has."""
    ids = sorted({item.membership_id for item in items})
    rows = await session.execute(_LOCK_PAIRS, {"ids": ids})
    pairs = {
        r.id: _Pair(
            r.revision,
            r.country_code,
            r.organization_id,
            founding_floor(r.founded_on, r.founded_precision),
            MembershipBasis(r.basis),
        )
        for r in rows
    }
    for index, item in enumerate(items):
        if item.membership_id not in pairs:
            message = f"No membership with id '{item.membership_id}'."
            if batch:
                raise InvalidBody(message, field=f"events.{index}.membership")
            raise NotFound(message)
    for row in await session.execute(CURATED_FACTS, {"ids": ids}):
        pairs[row.membership_id].facts.append(fact_of(row))
    for membership_id, layer in (await load_dataset_layers(session, ids)).items():
        pairs[membership_id].dataset = layer
    return pairs


async def _check_cited(session: AsyncSession, items: list[NewEvent], batch: bool) -> None:
    known = await known_sources(session, (s for item in items for s in item.body.sources))
    for index, item in enumerate(items):
        field = f"events.{index}.sources" if batch else "sources"
        await check_sources(session, item.body.sources, field, known)


@contextmanager
def _naming(index: int, batch: bool) -> Iterator[None]:
    """In a batch, an error names the item it is about."""
    try:
        yield
    except InvalidBody as exc:
        if not batch:
            raise
        name = exc.errors[0]["name"] if exc.errors else None
        raise InvalidBody(
            exc.detail, field=f"events.{index}.{name}" if name else f"events.{index}"
        ) from None
    except Conflict as exc:
        if not batch:
            raise
        raise Conflict(f"events.{index}: {exc.detail}") from None


def _event_change(
    item: NewEvent,
    pair: _Pair,
    event_id: str,
    dated: tuple[dt.date | None, DatePrecision],
    periods: tuple[list[DerivedPeriod], list[DerivedPeriod]],
) -> revisions.ChangeRecord:
    (day, precision), (before, after) = dated, periods
    event_types = ["membership.event_added"]
    if _timeline(before) != _timeline(after):
        event_types.append("membership.status_changed")
    return revisions.ChangeRecord(
        "membership",
        item.membership_id,
        "event_added",
        pair.revision,
        {
            "events": {
                "old": None,
                "new": {
                    "id": event_id,
                    "type": item.body.type.value,
                    "date": day.isoformat() if day else None,
                    "date_precision": precision.value,
                    "sources": item.body.sources,
                },
            },
            "periods": {"old": periods_json(before), "new": periods_json(after)},
        },
        event_types,
        country=pair.country,
        organization_id=pair.organization_id,
    )


def _timeline(periods: list[DerivedPeriod]) -> list[tuple[Any, ...]]:
    return [(p.status.value, p.start, p.end) for p in periods]


def periods_json(periods: list[DerivedPeriod]) -> list[dict[str, Any]]:
    return [
        {
            "status": p.status.value,
            "from": p.start.isoformat() if p.start else None,
            "to": p.end.isoformat() if p.end else None,
        }
        for p in periods
    ]
