"""Reading the published wide file (`igo_year_formatv3.csv`): one row per IGO and year, one
column per state. It is read one IGO at a time, so memory does not grow with the file."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

DATASET = "cow-igo-v3"
IGOS_IN_V3 = 534
BUNDLED = Path(__file__).resolve().parents[3] / "seed" / "cow-igo-v3" / "igo_year_formatv3.csv.gz"
"""The whole dataset as this repository keeps it (see seed/cow-igo-v3/README.md)."""
SOURCE_ID = "src_cow_igo_v3"

META_COLUMNS = frozenset(
    {
        "ioname", "orgname", "year", "sdate", "deaddate", "dead", "integrated", "replaced",
        "longorgname", "ionum", "igocode", "version", "accuracyofpre1965membershipdates",
        "sourcesandnotes", "imputed", "political", "social", "economic",
    }
)  # fmt: skip
REQUIRED_COLUMNS = frozenset({"ioname", "orgname", "year", "ionum", "sdate", "deaddate"})


class DatasetError(ValueError):
    """The file is not the published COW IGO v3 wide format."""


@dataclass(slots=True)
class Run:
    """Consecutive years with the same code for one state in one IGO."""

    first: int
    last: int
    code: int
    """1 full, 2 associate, 3 observer, 0 none, -9 missing, -1 not in the state system (empty
    cells, not coded, are left out: they end a run)."""
    imputed: bool
    """Whether the run's first year is imputed in the file."""


@dataclass
class Igo:
    ionum: str
    ioname: str
    orgname: str
    longorgname: str
    founded_year: int | None
    dissolved_year: int | None
    accuracy_pre1965: str | None
    political: bool
    social: bool
    economic: bool
    integrated: bool
    replaced: bool
    first_year: int
    series: dict[str, list[Run]] = field(default_factory=dict)
    """State column -> its coded years as runs, in year order."""

    @property
    def aliases(self) -> list[str]:
        """Other names from `longorgname` (`/`-separated, often ending in the acronym in
        parentheses), except the one already used as the name."""
        parts = [_drop_acronym(p.strip(), self.ioname) for p in self.longorgname.split("/")]
        return [p for p in dict.fromkeys(parts) if p and p != self.orgname and p != self.ioname]


def _drop_acronym(name: str, acronym: str) -> str:
    suffix = f"({acronym})"
    return name[: -len(suffix)].strip() if name.endswith(suffix) else name


_KNOWN_CODES = (-9, -1, 0, 1, 2, 3)
_CODES: dict[str, int | None] = {"": None, **{str(c): c for c in _KNOWN_CODES}}


def _int(value: str) -> int | None:
    if value in _CODES:
        return _CODES[value]
    value = value.strip()
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        raise DatasetError(f"expected a number, found {value!r}") from None


def _flag(value: str) -> bool:
    return (_int(value) or 0) == 1


def read_igos(path: Path) -> Iterator[Igo]:
    """Yield each IGO with its states' yearly codes, from the CSV or from it gzipped
    (`.csv.gz`, as this repository keeps it). The published file keeps an IGO's rows together;
    a file that does not is refused rather than read into memory whole."""
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        columns = set(header)
        missing = REQUIRED_COLUMNS - columns
        if missing:
            raise DatasetError(
                f"{path.name} is not the COW IGO wide file: missing {', '.join(sorted(missing))}"
            )
        states = [(i, c) for i, c in enumerate(header) if c not in META_COLUMNS]
        seen: set[str] = set()
        current: Igo | None = None
        for line, values in enumerate(reader, start=2):
            if len(values) != len(header):
                raise DatasetError(
                    f"{path.name}, line {line}: {len(values)} fields, not {len(header)}"
                )
            row = dict(zip(header, values, strict=True))
            try:
                ionum = row["ionum"].strip()
                if current is None or ionum != current.ionum:
                    if current is not None:
                        yield current
                    if ionum in seen:
                        raise DatasetError(f"the rows of IGO {ionum} are not together")
                    seen.add(ionum)
                    current = _igo(row)
                _add_year(current, row, values, states)
            except DatasetError as exc:
                raise DatasetError(f"{path.name}, line {line}: {exc}") from None
        if current is not None:
            yield current


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        try:
            with gzip.open(path) as probe:
                probe.read(1)
        except OSError as exc:  # not gzip, or truncated
            raise DatasetError(f"{path.name}: {exc}") from None
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def _igo(row: dict[str, str]) -> Igo:
    year = _int(row["year"])
    if year is None:
        raise DatasetError("a row without a year")
    return Igo(
        ionum=row["ionum"].strip(),
        ioname=row["ioname"].strip(),
        orgname=row["orgname"].strip(),
        longorgname=(row.get("longorgname") or "").strip(),
        founded_year=_int(row["sdate"]),
        dissolved_year=_int(row["deaddate"]),
        accuracy_pre1965=(row.get("accuracyofpre1965membershipdates") or "").strip() or None,
        political=_flag(row.get("political") or ""),
        social=_flag(row.get("social") or ""),
        economic=_flag(row.get("economic") or ""),
        integrated=_flag(row.get("integrated") or ""),
        replaced=_flag(row.get("replaced") or ""),
        first_year=year,
    )


def _add_year(
    igo: Igo, row: dict[str, str], values: list[str], states: list[tuple[int, str]]
) -> None:
    """The inner loop of the import (four million cells): the codes the file uses are looked
    up, anything else is parsed and checked."""
    year = _int(row["year"])
    assert year is not None
    imputed = _flag(row.get("imputed") or "")
    series = igo.series
    for index, state in states:
        raw = values[index]
        code = _CODES[raw] if raw in _CODES else _checked_code(raw, state, year)
        if code is None:
            continue
        runs = series.get(state)
        if runs is None:
            series[state] = [Run(year, year, code, imputed)]
            continue
        last = runs[-1]
        if last.code == code and last.last == year - 1:
            last.last = year
        else:
            runs.append(Run(year, year, code, imputed))


def _checked_code(raw: str, state: str, year: int) -> int | None:
    code = _int(raw)
    if code is not None and code not in _KNOWN_CODES:
        raise DatasetError(f"unknown status code {code} for {state} in {year}")
    return code
