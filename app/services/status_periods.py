"""Derive status periods from a membership's dated events: the one place that does it.

The rules, in short:
- Events are applied in date order (same day: the order of the contract's life cycle).
- Each event type has at most one effect on the status (`EFFECTS`); others are recorded only.
- An event that presupposes an existing tie (a withdrawal, a suspension, a funding cut) with
  no tie recorded before it implies one: a `member` period whose start is unknown, resting on
  that event as its evidence. So does a tie-starting event whose date is unknown (`joined`,
  date unknown), which is then that period's evidence.
- An unknown start is never earlier than `not_before` (the organization's founding), so a
  membership never appears to predate its organization.
- A retraction returns to the status held before the withdrawal was announced.
- `membership_ended` closes the current period and opens none: the pair is `non_member` again,
  and, as after a withdrawal, a later withdrawal or suspension implies no tie.
- Events with unknown dates cannot bound a period; an effect whose date is unknown leaves
  the period before it open (a withdrawal that is pending stays pending).
- Consecutive events with the same resulting status extend one period.
This module is pure (no I/O) so migrations, writes and tests share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.vocabulary import DatePrecision, EventType, MembershipStatus

S = MembershipStatus
E = EventType

EFFECTS: dict[EventType, MembershipStatus] = {
    E.joined: S.member,
    E.ratified: S.member,
    E.entered_into_force: S.member,
    E.rejoined: S.member,
    E.reinstated: S.member,
    E.funding_restored: S.member,
    E.became_associate: S.associate,
    E.became_observer: S.observer,
    E.suspended: S.suspended,
    E.funding_suspended: S.suspended,
    E.funding_prohibited: S.suspended,
    E.withdrawal_announced: S.withdrawal_pending,
    E.withdrawal_intent_notified: S.withdrawal_pending,
    E.withdrawal_notified: S.withdrawal_pending,
    E.withdrawal_effective: S.withdrawn,
}
"""What each event type makes the status; `withdrawal_retracted` is handled on its own."""

STARTS_TIE = frozenset(
    {E.joined, E.ratified, E.entered_into_force, E.became_associate, E.became_observer}
)

PRESUPPOSES_TIE = frozenset(
    {
        E.suspended,
        E.reinstated,
        E.funding_reduced,
        E.funding_suspended,
        E.funding_prohibited,
        E.funding_restored,
        E.withdrawal_announced,
        E.withdrawal_intent_notified,
        E.withdrawal_notified,
        E.withdrawal_effective,
        E.withdrawal_retracted,
        E.membership_ended,
    }
)
"""Event types that only make sense for a country already tied to the organization."""

_SAME_DAY_ORDER = {t: i for i, t in enumerate(EventType)}
_NO_TIE = frozenset({None, S.withdrawn})


@dataclass(frozen=True)
class EventFact:
    id: str
    type: EventType
    date: dt.date | None
    precision: DatePrecision


@dataclass(frozen=True)
class DerivedPeriod:
    status: MembershipStatus
    start: dt.date | None
    """First day; None means unbounded below (start unknown and no `not_before`)."""
    end: dt.date | None
    """First day after the period; None means still open."""
    start_precision: DatePrecision
    end_precision: DatePrecision | None
    evidence_event_id: str | None
    """The event that began the period or, for a tie of unknown start, the one that shows it."""


@dataclass
class _Open:
    status: MembershipStatus
    start: dt.date | None
    precision: DatePrecision
    event_id: str | None


def derive_periods(
    events: Iterable[EventFact], *, not_before: dt.date | None = None
) -> list[DerivedPeriod]:
    events = list(events)
    ordered = sorted(
        (e for e in events if e.date is not None),
        key=lambda e: (e.date, _SAME_DAY_ORDER[e.type], e.id),
    )
    periods: list[DerivedPeriod] = []
    current: _Open | None = None
    before_withdrawal: MembershipStatus | None = None
    ended = False  # a recorded end: later withdrawals or suspensions imply no tie

    def implied_start(evidence: EventFact, first_date: dt.date) -> _Open:
        start = not_before if not_before is not None and not_before < first_date else None
        status = EFFECTS[evidence.type] if evidence.type in STARTS_TIE else S.member
        return _Open(status, start, DatePrecision.unknown, evidence.id)

    undated = next((e for e in events if e.date is None and e.type in STARTS_TIE), None)
    if undated is not None and not (ordered and ordered[0].type in STARTS_TIE):
        current = implied_start(undated, ordered[0].date if ordered else dt.date.max)  # type: ignore[arg-type]

    for event in ordered:
        assert event.date is not None
        status_now = current.status if current else None
        if status_now is None and not ended and event.type in PRESUPPOSES_TIE:
            current = implied_start(event, event.date)
            status_now = current.status
        if event.type == E.membership_ended:
            if current is not None and current.status not in _NO_TIE:
                if current.start is None or current.start < event.date:
                    periods.append(_close(current, event))
                current = None
                ended = True
            continue
        new_status = _next_status(event.type, status_now, before_withdrawal)
        if new_status is None or new_status == status_now:
            continue
        if new_status == S.withdrawal_pending:
            before_withdrawal = status_now
        if current is not None and current.start is not None and current.start >= event.date:
            # Superseded on its first day, so it never held; the one before it may go on instead.
            last = periods[-1] if periods else None
            if last is not None and last.status == new_status and last.end == event.date:
                periods.pop()
                current = _Open(
                    last.status, last.start, last.start_precision, last.evidence_event_id
                )
                continue
        elif current is not None:
            periods.append(_close(current, event))
        current = _Open(new_status, event.date, event.precision, event.id)

    if current is not None:
        periods.append(
            DerivedPeriod(
                current.status, current.start, None, current.precision, None, current.event_id
            )
        )
    return periods


def _next_status(
    event_type: EventType,
    status_now: MembershipStatus | None,
    before_withdrawal: MembershipStatus | None,
) -> MembershipStatus | None:
    if event_type == E.withdrawal_retracted:
        if status_now == S.withdrawal_pending:
            return before_withdrawal or S.member
        return None
    effect = EFFECTS.get(event_type)
    if effect is None:
        return None
    if status_now in _NO_TIE and event_type in PRESUPPOSES_TIE:
        return None  # nothing to suspend or withdraw from once withdrawn
    return effect


def _close(current: _Open, event: EventFact) -> DerivedPeriod:
    return DerivedPeriod(
        status=current.status,
        start=current.start,
        end=event.date,
        start_precision=current.precision,
        end_precision=event.precision,
        evidence_event_id=current.event_id,
    )


def status_on(periods: Sequence[DerivedPeriod], day: dt.date) -> MembershipStatus:
    """The status on `day`; `non_member` where no period covers it."""
    for period in periods:
        if (period.start is None or period.start <= day) and (
            period.end is None or day < period.end
        ):
            return period.status
    return S.non_member
