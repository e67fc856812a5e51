"""Building small IGOs by hand, and the committed sample cut from the real file."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from pathlib import Path

import pycountry

from app.services.cow_igo.dataset import Igo, Run
from app.services.cow_igo.states import StateMapper

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "cow_igo_sample.csv"
SEED = Path(__file__).resolve().parents[3] / "seed"
FORMER: dict[str, dt.date] = {}
NO_ISO: set[str] = set()
for _name in ("historical_countries.csv", "cow_states_without_iso.csv"):
    with (SEED / _name).open(encoding="utf-8", newline="") as _handle:
        for _row in csv.DictReader(_handle):
            NO_ISO.add(_row["code"])
            if _row["valid_to"]:
                FORMER[_row["code"]] = dt.date.fromisoformat(_row["valid_to"])


@functools.cache
def mapper() -> StateMapper:
    return StateMapper({c.alpha_2 for c in pycountry.countries} | NO_ISO)


def igo(
    series: dict[str, list[tuple[int, int, int]]],
    *,
    first_year: int = 1950,
    dissolved: int | None = None,
    accuracy: str | None = None,
    imputed: frozenset[tuple[str, int]] = frozenset(),
) -> Igo:
    """series: state column -> [(first year, last year, code), ...]."""
    made = Igo(
        ionum="9999",
        ioname="TST",
        orgname="Test Organization",
        longorgname="Test Organization (TST)",
        founded_year=first_year,
        dissolved_year=dissolved,
        accuracy_pre1965=accuracy,
        political=False,
        social=False,
        economic=True,
        integrated=False,
        replaced=False,
        first_year=first_year,
    )
    for column, runs in series.items():
        made.series[column] = [Run(a, b, code, (column, a) in imputed) for a, b, code in runs]
    return made
