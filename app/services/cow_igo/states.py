"""COW states to ISO 3166 countries, year by year.

The maintained `countrycode` tables (the R package's, ported to Python) convert a COW state
number to ISO 3166-1 alpha-2. Where COW keeps one state number across what ISO counts as
different countries (Russia and the USSR, Yugoslavia and its successors, North and unified
Vietnam) or the library has no code (East Germany, Czechoslovakia, South Yemen), the project's
own table `seed/cow_state_overrides.csv` says which code applies in which years; the historical
codes are ISO 3166-3 (SUHH, YUCS, CSHH, ...). A state that neither maps is reported, never
dropped silently.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from countrycode import countrycode

SEED = Path(__file__).resolve().parents[3] / "seed"


@dataclass(frozen=True)
class CowState:
    column: str
    ccode: int
    abbreviation: str
    name: str


@dataclass(frozen=True)
class _Override:
    from_year: int
    to_year: int
    country: str


@cache
def cow_states() -> dict[str, CowState]:
    with (SEED / "cow_state_codes.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["state"]: CowState(
                row["state"], int(row["ccode"]), row["stateabb"], row["statenme"]
            )
            for row in csv.DictReader(handle)
        }


@cache
def _overrides() -> dict[str, tuple[_Override, ...]]:
    table: dict[str, list[_Override]] = {}
    with (SEED / "cow_state_overrides.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["state"], []).append(
                _Override(int(row["from_year"]), int(row["to_year"]), row["country"])
            )
    return {state: tuple(rules) for state, rules in table.items()}


@cache
def _library_codes() -> dict[int, str]:
    """COW number -> alpha-2 for every state the library maps (one call: each call loads its
    tables)."""
    numbers = sorted({state.ccode for state in cow_states().values()})
    codes = countrycode(numbers, origin="cown", destination="iso2c")
    return {n: c for n, c in zip(numbers, codes, strict=True) if isinstance(c, str) and c}


class StateMapper:
    """Which country a state column stands for in a given year, for countries the registry
    knows (`known`: the codes in its countries table)."""

    def __init__(self, known: set[str]) -> None:
        self._known = known
        self._states = cow_states()
        self._overrides = _overrides()

    def country(self, column: str, year: int) -> str | None:
        rules = self._overrides.get(column)
        if rules is not None:
            code = next((r.country for r in rules if r.from_year <= year <= r.to_year), None)
        else:
            state = self._states.get(column)
            code = _library_codes().get(state.ccode) if state else None
        return code if code in self._known else None

    def spans(self, column: str, first: int, last: int) -> list[tuple[int, int, str | None]]:
        """The years first..last cut where the country the state stands for changes."""
        cuts = sorted(
            {first}
            | {r.from_year for r in self._overrides.get(column, ()) if first < r.from_year <= last}
            | {r.to_year + 1 for r in self._overrides.get(column, ()) if first < r.to_year < last}
        )
        ends = [*(c - 1 for c in cuts[1:]), last]
        return [
            (start, end, self.country(column, start)) for start, end in zip(cuts, ends, strict=True)
        ]

    def describe(self, column: str) -> str:
        state = self._states.get(column)
        if state is None:
            return f"{column} (not in the COW state list)"
        return f"{state.name} ({state.abbreviation}, COW {state.ccode}, column {column})"
