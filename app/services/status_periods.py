"""A pair's status on every day: the one place that turns evidence into status periods. Pure.

A pair's periods cover the whole time line, from the distant past to the open future, without
gaps, and `unknown` is a status like any other: the registry says only what its sources say.
Periods come in layers. `derive_periods` reads the curated events; an imported dataset builds
its own layer from its observations (app.services.cow_igo.series); `overlay` lays the curated
layer over the dataset's, so that curated facts win where they say something and the dataset
fills what they leave unknown.

The rules of `derive_periods`:
- An event happened on some day of its window: `date_earliest`..`date_latest` when given, else
  the span its date's precision names (a year-precision 1984 is 1984-01-01..1984-12-31). Inside
  the window the status is `unknown` (imprecise_date); the new status holds from the window's
  last day, by which the event had happened whatever day it was.
- Before an event that starts a tie (joined, ratified, ...) the country had none: `non_member`.
  Before the first evidence of a tie whose start is unknown (a withdrawal with no recorded
  join) the status is `unknown` (no_evidence): a tie is never carried back past its evidence.
- Before its organization was founded (the first day of the founding date's window) a country
  is `non_member`; an organization whose founding is unknown bounds nothing.
- A tie's status follows the basis of the pair: `member`, `participant`, `donor`, `observer`.
- Events are applied in window order (same day: the order of the contract's life cycle); each
  event type has at most one effect (`EFFECTS`); a retraction returns to the status held before
  the withdrawal was announced; `membership_ended` ends a tie without saying how; after an end
  or a withdrawal, a later withdrawal or suspension implies nothing.
- Undated events bound nothing: a withdrawal whose effective date is unknown stays pending.
- Adjacent periods with the same status are one period.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from app.vocabulary import (
    TIES,
    DatePrecision,
    EventType,
    MembershipBasis,
    MembershipStatus,
    UnknownReason,
)

S = MembershipStatus
E = EventType
R = UnknownReason

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
"""What each event type makes the status (`member` stands for the pair's kind of tie);
`withdrawal_retracted` and `membership_ended` are handled on their own."""

TIE_OF_BASIS: dict[MembershipBasis, MembershipStatus] = {
    MembershipBasis.member_state: S.member,
    MembershipBasis.participant: S.participant,
    MembershipBasis.donor: S.donor,
    MembershipBasis.observer_state: S.observer,
}

STARTS_TIE = frozenset(
    {E.joined, E.ratified, E.entered_into_force, E.became_associate, E.became_observer}
)
"""Event types after which a country is tied and before which it was not."""

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
        E.listed,
    }
)
"""Event types that only make sense for a country already tied to the organization."""

_SAME_DAY_ORDER = {t: i for i, t in enumerate(EventType)}
_NO_TIE = frozenset({S.non_member, S.withdrawn})


@dataclass(frozen=True)
class EventFact:
    id: str
    type: EventType
    date: dt.date | None
    precision: DatePrecision
    earliest: dt.date | None = None
    latest: dt.date | None = None

    def window(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the event can have happened on; None when undated."""
        if self.date is None:
            return None
        return self.earliest or self.date, self.latest or last_day(self.date, self.precision)


def last_day(day: dt.date, precision: DatePrecision) -> dt.date:
    """The last day of the span a date written to `precision` names."""
    if precision == DatePrecision.year:
        return dt.date(day.year, 12, 31)
    if precision == DatePrecision.month:
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


class DerivedPeriod(NamedTuple):
    """A tuple rather than a dataclass: an import builds hundreds of thousands and copies them
    with a field changed (`_replace`), which dataclasses.replace does several times slower."""

    status: MembershipStatus
    start: dt.date | None
    """First day; None: unbounded below."""
    end: dt.date | None
    """First day after the period; None: still open."""
    start_precision: DatePrecision
    """The precision of the evidence the start rests on; `unknown` for an unbounded start."""
    end_precision: DatePrecision | None
    evidence_event_id: str | None
    """The event the period rests on: the one that began it, or the one whose date window an
    `unknown` period is; None where no event does (before a founding, before any evidence)."""
    unknown_reason: UnknownReason | None = None
    source_id: str | None = None
    """The dataset whose layer the period comes from; None for curated events."""


class Timeline:
    """Builds a gap-free run of periods from left to right, one change at a time."""

    def __init__(
        self,
        status: MembershipStatus,
        reason: UnknownReason | None = None,
        *,
        source_id: str | None = None,
    ) -> None:
        self.closed: list[DerivedPeriod] = []
        self.source_id = source_id
        self.open = DerivedPeriod(
            status, None, None, DatePrecision.unknown, None, None, reason, source_id
        )

    @property
    def status(self) -> MembershipStatus:
        return self.open.status

    def change(
        self,
        lo: dt.date,
        hi: dt.date,
        status: MembershipStatus,
        precision: DatePrecision,
        evidence: str | None,
        reason: UnknownReason = R.imprecise_date,
    ) -> None:
        """The status becomes `status` on a day between `lo` and `hi`: unknown in between
        (for `reason`), `status` from `hi`."""
        start = self.open.start
        last = self.closed[-1] if self.closed else None
        if start is not None and lo < start and last is not None and last.status != S.unknown:
            lo = start  # a known period is never taken back
        if start is not None and lo < start and last is not None and last.end == start:
            # This change's window begins before the open period's first day, so that period
            # never held on a day of its own: the unknown stretch before it grows instead.
            self.closed.pop()
            self.open = last._replace(end=None, end_precision=None)
            lo, hi = max(hi, start), max(hi, start)
        elif self.open.status == S.unknown and self.open.unknown_reason == R.no_evidence:
            lo = hi  # the unknown stretch before the first evidence runs on into it
        if lo < hi:
            self._close_at(lo, precision)
            self._open(lo, S.unknown, precision, evidence, reason)
        self._close_at(hi, precision)
        self._open(hi, status, precision, evidence)

    def unknown_from(self, day: dt.date, reason: UnknownReason, evidence: str | None) -> None:
        if self.open.status == S.unknown and self.open.unknown_reason == reason:
            return
        self._close_at(day, DatePrecision.day)
        self._open(day, S.unknown, DatePrecision.day, evidence, reason)

    def periods(self) -> list[DerivedPeriod]:
        return merged([*self.closed, self.open])

    def _close_at(self, day: dt.date, precision: DatePrecision) -> None:
        if self.open.start is None or self.open.start < day:
            self.closed.append(self.open._replace(end=day, end_precision=precision))

    def _open(
        self,
        day: dt.date,
        status: MembershipStatus,
        precision: DatePrecision,
        evidence: str | None,
        reason: UnknownReason | None = None,
    ) -> None:
        self.open = DerivedPeriod(
            status, day, None, precision, None, evidence, reason, self.source_id
        )


def derive_periods(
    events: Iterable[EventFact],
    *,
    founded: dt.date | None = None,
    basis: MembershipBasis = MembershipBasis.member_state,
) -> list[DerivedPeriod]:
    """The curated layer: periods from the pair's own events. `founded`: the first day the
    organization may have existed (the start of its founding date's window)."""
    events = list(events)
    tie = TIE_OF_BASIS[basis]
    undated_start = next((e for e in events if e.date is None and e.type in STARTS_TIE), None)
    implied_tie = EFFECTS[undated_start.type] if undated_start else tie
    dated = sorted(
        (e for e in events if e.date is not None),
        key=lambda e: (e.window(), _SAME_DAY_ORDER[e.type], e.id),
    )
    relevant = [e for e in dated if e.type in EFFECTS or e.type in PRESUPPOSES_TIE]
    if relevant and relevant[0].type in STARTS_TIE:
        line = Timeline(S.non_member)
    else:
        line = Timeline(S.unknown, R.no_evidence)

    before_withdrawal: MembershipStatus | None = None
    for event in relevant:
        window = event.window()
        assert window is not None
        now = line.status
        if now == S.unknown and event.type in PRESUPPOSES_TIE:
            now = implied_tie  # the first evidence of a tie whose start is unknown
        if event.type == E.membership_ended:
            new: MembershipStatus | None = None if now in _NO_TIE else S.non_member
        else:
            new = _next_status(event.type, now, before_withdrawal, tie)
        if new is None and line.status == S.unknown and now != S.unknown:
            new = now  # evidence of the tie that changes nothing about it
        if new is None or new == line.status:
            continue
        if new == S.withdrawal_pending:
            before_withdrawal = now
        line.change(*window, new, event.precision, event.id)
    return bounded_by_founding(line.periods(), founded)


def _next_status(
    event_type: EventType,
    status_now: MembershipStatus,
    before_withdrawal: MembershipStatus | None,
    tie: MembershipStatus,
) -> MembershipStatus | None:
    if event_type == E.withdrawal_retracted:
        if status_now == S.withdrawal_pending:
            return before_withdrawal or tie
        return None
    effect = EFFECTS.get(event_type)
    if effect is None:
        return None
    if status_now in _NO_TIE and event_type in PRESUPPOSES_TIE:
        return None  # nothing to suspend or withdraw from once withdrawn
    return tie if effect == S.member else effect


def bounded_by_founding(
    periods: list[DerivedPeriod], founded: dt.date | None
) -> list[DerivedPeriod]:
    """Before `founded` nobody was tied to an organization that did not exist yet."""
    if founded is None:
        return periods
    kept = [
        p._replace(start=founded, start_precision=DatePrecision.day)
        if p.start is None or p.start < founded
        else p
        for p in periods
        if p.end is None or p.end > founded
    ]
    source = periods[0].source_id if periods else None
    before = DerivedPeriod(
        S.non_member, None, founded, DatePrecision.unknown, DatePrecision.day, None, None, source
    )
    return merged([before, *kept])


def merged(periods: Sequence[DerivedPeriod], *, across_sources: bool = True) -> list[DerivedPeriod]:
    """Adjacent periods with the same status as one, resting on the first one's evidence;
    with `across_sources=False`, only those resting on the same source, so that a tie a dataset
    saw in 2014 and a list confirms in 2021 reads as two periods, each citing its own."""
    out: list[DerivedPeriod] = []
    for period in periods:
        if period.start is not None and period.end is not None and period.start >= period.end:
            continue
        if (
            out
            and out[-1].status == period.status
            and (across_sources or out[-1].source_id == period.source_id)
        ):
            out[-1] = out[-1]._replace(end=period.end, end_precision=period.end_precision)
        else:
            out.append(period)
    return out


def overlay(
    primary: Sequence[DerivedPeriod], secondary: Sequence[DerivedPeriod]
) -> list[DerivedPeriod]:
    """`primary` wherever it knows the status, `secondary` where only it does. Where neither
    does, the more telling reason: a dataset's `past_coverage` over a bare `no_evidence`; and
    where neither says anything about a stretch that a tie is known on both sides of, the tie
    held across it (`bridged`)."""
    if not secondary:
        return list(primary)
    out: list[DerivedPeriod] = []
    for start, end, first, second in _segments(primary, secondary):
        pick = first
        if first.status == S.unknown and (
            second.status != S.unknown or first.unknown_reason == R.no_evidence
        ):
            pick = second
        precision = pick.start_precision if pick.start == start else DatePrecision.day
        if start is None:
            precision = DatePrecision.unknown
        out.append(pick._replace(start=start, end=end, start_precision=precision))
    for i in range(len(out) - 1):
        out[i] = out[i]._replace(end_precision=out[i + 1].start_precision)
    return merged(bridged(merged(out)), across_sources=False)


_STILL_TIED = frozenset({S.suspended, S.withdrawal_pending})
_PLAIN_TIES = TIES - _STILL_TIED
_SILENT = frozenset({R.no_evidence, R.past_coverage})


def bridged(periods: Sequence[DerivedPeriod]) -> list[DerivedPeriod]:
    """A stretch no source says anything about (`no_evidence`, or past a dataset's last
    observation), between a tie and later evidence of the same tie (the same status, or a
    suspension or pending withdrawal, which presuppose it), is that tie: COW's last reading of
    2014 and an official list of 2026 naming the same member agree, and nothing says otherwise
    in between. A change on either side (no tie before, or a different one) leaves it unknown."""
    out = list(periods)
    for i in range(1, len(out) - 1):
        before, gap, after = out[i - 1], out[i], out[i + 1]
        if (
            gap.status == S.unknown
            and gap.unknown_reason in _SILENT
            and before.status in _PLAIN_TIES
            and (after.status == before.status or after.status in _STILL_TIED)
        ):
            out[i] = gap._replace(
                status=before.status,
                unknown_reason=None,
                evidence_event_id=after.evidence_event_id,
                source_id=after.source_id,
            )
    return out


def disagreements(
    primary: Sequence[DerivedPeriod], secondary: Sequence[DerivedPeriod]
) -> list[tuple[dt.date | None, dt.date | None, MembershipStatus, MembershipStatus]]:
    """Where both layers know the status and say different things: (start, end, primary's,
    secondary's). A pending withdrawal or a suspension is still a tie; a withdrawal is none."""
    found: list[tuple[dt.date | None, dt.date | None, MembershipStatus, MembershipStatus]] = []
    for start, end, first, second in _segments(primary, secondary):
        if S.unknown in (first.status, second.status) or _agree(first.status, second.status):
            continue
        if found and found[-1][1] == start and found[-1][2:] == (first.status, second.status):
            found[-1] = (found[-1][0], end, first.status, second.status)
        else:
            found.append((start, end, first.status, second.status))
    return found


def _agree(curated: MembershipStatus, dataset: MembershipStatus) -> bool:
    if curated == dataset:
        return True
    if dataset == S.member:
        return curated in {S.suspended, S.withdrawal_pending}
    return dataset == S.non_member and curated == S.withdrawn


def _segments(
    a: Sequence[DerivedPeriod], b: Sequence[DerivedPeriod]
) -> Iterable[tuple[dt.date | None, dt.date | None, DerivedPeriod, DerivedPeriod]]:
    """The time line cut at every boundary of either layer: (start, end, a's, b's)."""
    cuts = sorted({p.start for p in (*a, *b) if p.start is not None})
    starts: list[dt.date | None] = [None, *cuts]
    ends: list[dt.date | None] = [*cuts, None]
    for start, end in zip(starts, ends, strict=True):
        yield start, end, covering(a, start), covering(b, start)


def covering(periods: Sequence[DerivedPeriod], day: dt.date | None) -> DerivedPeriod:
    """The period holding on `day` (None: the distant past); an `unknown` one if none does."""
    for period in periods:
        starts_by = period.start is None or (day is not None and period.start <= day)
        if starts_by and (period.end is None or day is None or day < period.end):
            return period
    return DerivedPeriod(S.unknown, None, None, DatePrecision.unknown, None, None, R.no_evidence)


def status_on(periods: Sequence[DerivedPeriod], day: dt.date) -> MembershipStatus:
    return covering(periods, day).status
