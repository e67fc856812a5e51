"""From one IGO's yearly codes to dated events for each country, per the rules below. Pure.

- A state column stands for one ISO country per year (app.services.cow_igo.states); where two
  columns stand for the same country in one IGO (West Germany and Germany, the two Yemens),
  their codes are merged year by year, a tie in either winning.
- Only codes 0-3 and -1 say something; -9 (missing) and empty cells claim nothing, so a tie seen
  on both sides of a gap in the data continues through it.
- A change of code is an event dated to the year it is first observed, with year precision.
  Its bounds: it happened after the last year observed before it (`date_earliest`), and by the
  end of that year (`date_latest`); where the codebook says dates before 1965 are accurate only
  "within 5 years", the bounds widen by five years each way. The row's `imputed` flag and the
  accuracy note travel with the event (`qualifiers`), so no date claims more than the data has.
- 0 after a tie, -1 (the state left the state system) and the state going on under another ISO
  code end it (`membership_ended`); for a country that no longer exists the end is its ISO
  3166-3 end date. A tie still open when the IGO was dissolved ends with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.services.cow_igo.dataset import DATASET, Igo, Run
from app.vocabulary import DatePrecision, EventType, MembershipStatus

E = EventType
S = MembershipStatus
TIE_CODES = {1: S.member, 2: S.associate, 3: S.observer}
CLAIMED_CODES = {0: S.non_member, **TIE_CODES}
START_EVENTS = {1: E.joined, 2: E.became_associate, 3: E.became_observer}
HANDED_OVER = -2
"""Internal code: from this year the state column stands for another country."""
_RANK = {1: 4, 2: 4, 3: 4, 0: 3, -1: 2, HANDED_OVER: 1, -9: 0}
WIDE_ACCURACY = "Within 5 years"
WIDE_BEFORE = 1965

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
    """What COW says about one country in one IGO."""

    country: str
    events: list[ImportedEvent] = field(default_factory=list)
    claims: list[tuple[int, int, MembershipStatus]] = field(default_factory=list)
    """(first year, last year, status) for the years coded 0-3, in order."""


@dataclass
class IgoHistory:
    pairs: dict[str, PairHistory]
    unmapped: dict[str, list[int]]
    """State column -> years in which it had a tie (1-3) but no ISO country to carry it."""


def igo_history(igo: Igo, spans: Spans, country_end: Callable[[str], dt.date | None]) -> IgoHistory:
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
    tie: int | None = None
    ended_by_zero = False
    last_known: int | None = None
    base = {"dataset": DATASET, "ionum": igo.ionum}

    def add(kind: EventType, year: int, imputed: bool, note: str) -> None:
        earliest = last_known + 1 if last_known is not None else None
        if earliest is None and (year == igo.first_year or year in arrivals):
            earliest = year
        latest = year
        extra: dict[str, Any] = {"observed_in": year, "last_observed_before": last_known}
        if year < WIDE_BEFORE and igo.accuracy_pre1965:
            extra["accuracy_before_1965"] = igo.accuracy_pre1965
            if igo.accuracy_pre1965 == WIDE_ACCURACY:
                earliest = max(min(earliest or year, year - 5), igo.first_year)
                latest = year + 5
        history.events.append(
            ImportedEvent(
                kind,
                dt.date(year, 1, 1),
                DatePrecision.year,
                dt.date(earliest, 1, 1) if earliest is not None else None,
                dt.date(latest, 12, 31),
                note,
                {**base, **extra, "imputed": imputed},
            )
        )

    def ceased() -> None:
        """A country that no longer exists: its tie ends on its ISO 3166-3 end date."""
        assert end is not None
        history.events.append(
            ImportedEvent(
                E.membership_ended,
                end,
                DatePrecision.day,
                None,
                None,
                "The state ceased to exist (its ISO 3166-3 end date).",
                {**base},
            )
        )

    for run in runs:
        if run.code == -9:
            continue
        if run.code in CLAIMED_CODES:
            history.claims.append((run.first, run.last, CLAIMED_CODES[run.code]))
        if run.code in TIE_CODES and tie != run.code:
            kind = START_EVENTS[run.code]
            if tie is None and run.code == 1 and ended_by_zero:
                kind = E.rejoined
            add(kind, run.first, run.imputed, f"COW: coded {run.code} ({TIE_CODES[run.code]}).")
            tie = run.code
        elif run.code not in TIE_CODES and tie is not None:
            if end is not None and end.year <= run.first:
                ceased()
            else:
                why = _why_ended(run, successors, country)
                add(E.membership_ended, run.first, run.imputed, why)
            tie = None
            ended_by_zero = run.code == 0
        if run.code != HANDED_OVER:
            last_known = run.last

    dissolved = dt.date(igo.dissolved_year, 1, 1) if igo.dissolved_year else None
    if tie is not None and end is not None and (dissolved is None or end < dissolved):
        ceased()
    elif tie is not None and dissolved is not None:
        history.events.append(
            ImportedEvent(
                E.membership_ended,
                dissolved,
                DatePrecision.year,
                None,
                None,
                "COW: the IGO was dissolved (deaddate).",
                {**base},
            )
        )
    return history


def _why_ended(run: Run, successors: dict[tuple[str, int], str | None], country: str) -> str:
    if run.code == 0:
        return "COW: coded 0 (no membership)."
    if run.code == -1:
        return "COW: coded -1 (the state left the state system)."
    successor = successors.get((country, run.first))
    goes_on = f"goes on as {successor}" if successor else "has no ISO 3166 code from then on"
    return f"COW: the state {goes_on}."
