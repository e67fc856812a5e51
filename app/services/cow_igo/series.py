"""From one IGO's yearly codes to dated events for each country, per the rules below. Pure.

- A state column stands for one ISO country per year (app.services.cow_igo.states); where two
  columns stand for the same country in one IGO (West Germany and Germany, the two Yemens),
  their codes are merged year by year, a tie in either winning.
- A yearly code is read as the state's status in the middle of its year (1 July). Between two
  observations with the same status that status holds; between two that differ the change
  happened on a day the data do not give: `unknown` (imprecise_date) from the day after the
  first to the day before the second. That change is an event dated to the year it is first
  observed, with year precision and those bounds; where the codebook says dates before 1965
  are accurate only "within 5 years", the bounds widen by five years each way. The row's
  `imputed` flag and the accuracy note travel with the event (`qualifiers`).
- -1 (not in the state system) is `non_member`; -9 (missing) is `unknown` (missing_data) from
  the day after the last observation to the next one; before the IGO's first year (or the
  year a state column starts standing for this country) `non_member`; before a pair's first
  observation otherwise `unknown` (no_evidence).
- After the last observation the status is `unknown` (past_coverage); where the IGO was
  dissolved or the state ceased to exist (its ISO 3166-3 end date), `non_member` from the day
  after the end of the dissolution year, or from the end date, and a tie open then ends with it.
- 0 after a tie, -1 and the state going on under another ISO code end it (`membership_ended`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Any

from app.services.cow_igo.dataset import DATASET, SOURCE_ID, Igo, Run
from app.services.status_periods import DerivedPeriod, Timeline
from app.vocabulary import DatePrecision, EventType, MembershipStatus, UnknownReason

E = EventType
S = MembershipStatus
R = UnknownReason
TIE_CODES = {1: S.member, 2: S.associate, 3: S.observer}
CLAIMED_CODES = {0: S.non_member, **TIE_CODES}
START_EVENTS = {1: E.joined, 2: E.became_associate, 3: E.became_observer}
TIE_STARTS = frozenset({*START_EVENTS.values(), E.rejoined})
HANDED_OVER = -2
"""Internal code: from this year the state column stands for another country."""
_RANK = {1: 4, 2: 4, 3: 4, 0: 3, -1: 2, HANDED_OVER: 1, -9: 0}
WIDE_ACCURACY = "Within 5 years"
WIDE_BEFORE = 1965
ONE = dt.timedelta(days=1)

Spans = Callable[[str, int, int], list[tuple[int, int, str | None]]]


@dataclass(frozen=True)
class ImportedEvent:
    type: EventType
    date: dt.date
    precision: DatePrecision
    earliest: dt.date | None
    latest: dt.date | None
    note: str
    qualifiers: dict[str, Any]


@dataclass
class PairHistory:
    """What COW says about one country in one IGO: its changes as events, and its layer of
    periods, whose `evidence_event_id` is the index of an event in `events` (as text)."""

    country: str
    events: list[ImportedEvent] = field(default_factory=list)
    periods: list[DerivedPeriod] = field(default_factory=list)

    @property
    def ties(self) -> bool:
        """Whether COW codes a tie in any year (even one whose dates are all imprecise)."""
        return any(e.type in TIE_STARTS for e in self.events)


@dataclass
class IgoHistory:
    pairs: dict[str, PairHistory]
    unmapped: dict[str, list[int]]
    """State column -> years in which it had a tie (1-3) but no ISO country to carry it."""


def igo_history(
    igo: Igo,
    spans: Spans,
    country_end: Callable[[str], dt.date | None],
    untied: Container[str] | None = None,
) -> IgoHistory:
    """Every country's history in the IGO; with `untied`, a country whose codes never show a
    tie only if it is in `untied` (the importer asks for those it already holds: deriving the
    other four fifths of the pairs only to drop them was most of this function's time)."""
    by_country: dict[str, list[tuple[str, Run]]] = {}
    successors: dict[tuple[str, int], str | None] = {}
    arrivals: set[tuple[str, int]] = set()
    unmapped: dict[str, list[int]] = {}
    for column, runs in igo.series.items():
        previous: str | None = None
        for run in runs:
            for first, last, country in spans(column, run.first, run.last):
                if previous is not None and country != previous:
                    by_country[previous].append((column, Run(first, first, HANDED_OVER, False)))
                    successors[(previous, first)] = country
                    if country is not None:
                        arrivals.add((country, first))
                previous = country
                piece = Run(first, last, run.code, run.imputed and first == run.first)
                if country is not None:
                    by_country.setdefault(country, []).append((column, piece))
                elif run.code in TIE_CODES:
                    unmapped.setdefault(column, []).extend(range(first, last + 1))
    pairs = {}
    for country, pieces in by_country.items():
        if (
            untied is not None
            and country not in untied
            and not any(run.code in TIE_CODES for _, run in pieces)
        ):
            continue
        columns = {column for column, _ in pieces}
        runs = [run for _, run in pieces] if len(columns) == 1 else _merge([r for _, r in pieces])
        pairs[country] = _pair_history(
            igo,
            country,
            sorted(runs, key=lambda r: r.first),
            country_end(country),
            successors,
            {year for c, year in arrivals if c == country},
        )
    return IgoHistory(pairs, unmapped)


def _merge(runs: list[Run]) -> list[Run]:
    """Year-by-year union of several columns' runs for one country; a tie wins over no tie."""
    best: dict[int, tuple[int, bool]] = {}
    for run in runs:
        for year in range(run.first, run.last + 1):
            imputed = run.imputed and year == run.first
            if year not in best or _RANK[run.code] > _RANK[best[year][0]]:
                best[year] = (run.code, imputed)
    merged: list[Run] = []
    for year in sorted(best):
        code, imputed = best[year]
        if merged and merged[-1].code == code and merged[-1].last == year - 1:
            merged[-1].last = year
        else:
            merged.append(Run(year, year, code, imputed))
    return merged


def observed_on(year: int) -> dt.date:
    """The day a yearly code is read as describing: the middle of its year."""
    return dt.date(year, 7, 1)


def _pair_history(
    igo: Igo,
    country: str,
    runs: list[Run],
    end: dt.date | None,
    successors: dict[tuple[str, int], str | None],
    arrivals: set[int],
) -> PairHistory:
    """`arrivals`: years from which a state column stands for this country (a sharp start)."""
    history = PairHistory(country)
    base = {"dataset": DATASET, "ionum": igo.ionum}
    line = Timeline(S.non_member, source_id=SOURCE_ID)  # before the IGO existed, no tie
    founded = dt.date(min(igo.founded_year or igo.first_year, igo.first_year), 1, 1)
    tie: int | None = None
    ended_by_zero = False
    last_day: dt.date | None = None

    def add(
        kind: EventType,
        year: int,
        window: tuple[dt.date | None, dt.date],
        imputed: bool,
        note: str,
        previous: int | None,
    ) -> str:
        extra: dict[str, Any] = {"observed_in": year, "last_observed_before": previous}
        if year < WIDE_BEFORE and igo.accuracy_pre1965:
            extra["accuracy_before_1965"] = igo.accuracy_pre1965
        history.events.append(
            ImportedEvent(
                kind,
                dt.date(year, 1, 1),
                DatePrecision.year,
                window[0],
                window[1],
                note,
                {**base, **extra, "imputed": imputed},
            )
        )
        return str(len(history.events) - 1)

    for index, run in enumerate(runs):
        if run.code == HANDED_OVER:
            if end is not None and end.year <= run.first:
                break  # the country ceased to exist: its end date ends the tie (below)
            if last_day is not None:
                evidence = None
                if tie is not None:
                    why = _why_ended(run, successors, country)
                    window = (last_day + ONE, observed_on(run.first))
                    evidence = add(E.membership_ended, run.first, window, False, why, None)
                    tie = None
                line.unknown_from(last_day + ONE, R.past_coverage, evidence)
            continue
        day = observed_on(run.first)
        if run.code == -9:
            line.unknown_from(last_day + ONE if last_day else founded, R.missing_data, None)
            last_day = observed_on(run.last)
            continue
        status = S.non_member if run.code == -1 else CLAIMED_CODES[run.code]
        previous_year = last_day.year if last_day else None
        if last_day is None:
            sharp = run.first in arrivals or run.first == igo.first_year
            lo = dt.date(run.first, 1, 1) if run.first in arrivals else founded
            if not sharp:
                line.unknown_from(founded, R.no_evidence, None)
                lo = day
        else:
            lo = dt.date(run.first, 1, 1) if run.first in arrivals else last_day + ONE
        hi = day
        tie_changes = (tie is not None or run.code in TIE_CODES) and tie != run.code
        if tie_changes and igo.accuracy_pre1965 == WIDE_ACCURACY and run.first < WIDE_BEFORE:
            # Membership dates are "accurate within 5 years": a tie's start or end, not the
            # first reading of a state without one.
            lo = max(dt.date(lo.year - 5, lo.month, lo.day), founded)
            following = next((r for r in runs[index + 1 :] if r.code != HANDED_OVER), None)
            hi = dt.date(hi.year + 5, hi.month, hi.day)
            if following is not None:
                hi = min(hi, observed_on(following.first) - ONE)
        evidence = None
        if run.code in TIE_CODES and tie != run.code:
            kind = START_EVENTS[run.code]
            if tie is None and run.code == 1 and ended_by_zero:
                kind = E.rejoined
            evidence = add(
                kind,
                run.first,
                (lo if lo < day or last_day is not None else None, hi),
                run.imputed,
                f"COW: coded {run.code} ({TIE_CODES[run.code]}).",
                previous_year,
            )
            tie = run.code
        elif run.code not in TIE_CODES and tie is not None:
            why = _why_ended(run, successors, country)
            evidence = add(E.membership_ended, run.first, (lo, hi), run.imputed, why, previous_year)
            tie = None
            ended_by_zero = run.code == 0
        if status != line.status:
            line.change(lo, hi, status, DatePrecision.year, evidence)
        last_day = observed_on(run.last)

    assert last_day is not None, "a pair is built from at least one observed run"
    stops: list[tuple[dt.date, DatePrecision, str]] = []
    if igo.dissolved_year is not None:
        year = max(igo.dissolved_year, last_day.year)
        stops.append(
            (dt.date(year + 1, 1, 1), DatePrecision.year, "COW: the IGO was dissolved (deaddate).")
        )
    if end is not None:
        stops.append(
            (end, DatePrecision.day, "The state ceased to exist (its ISO 3166-3 end date).")
        )
    if not stops:
        line.unknown_from(last_day + ONE, R.past_coverage, None)
        return _finished(history, line)
    stop, precision, note = min(stops)
    if precision == DatePrecision.year:
        stop = max(stop, last_day + ONE)  # a tie coded in the dissolution year holds then
    # A state's end date wins over a reading in its last year (a state ended in April is not
    # a member on 1 July).
    evidence = None
    if tie is not None:
        # The dissolution's own window is its year (COW's deaddate); the layer's unknown
        # stretch runs from the last observation to the year's end.
        date = dt.date(stop.year - 1, 1, 1) if precision == DatePrecision.year else stop
        window = (date, stop - ONE) if precision == DatePrecision.year else (stop, stop)
        history.events.append(
            ImportedEvent(E.membership_ended, date, precision, *window, note, {**base})
        )
        evidence = str(len(history.events) - 1)
    if stop > last_day + ONE:
        line.unknown_from(last_day + ONE, R.past_coverage, evidence)
    line.change(stop, stop, S.non_member, precision, evidence)
    return _finished(history, line)


def _finished(history: PairHistory, line: Timeline) -> PairHistory:
    history.periods = line.periods()
    return history


def _why_ended(run: Run, successors: dict[tuple[str, int], str | None], country: str) -> str:
    if run.code == 0:
        return "COW: coded 0 (no membership)."
    if run.code == -1:
        return "COW: coded -1 (the state left the state system)."
    successor = successors.get((country, run.first))
    goes_on = f"goes on as {successor}" if successor else "has no ISO 3166 code from then on"
    return f"COW: the state {goes_on}."
