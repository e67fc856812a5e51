"""Building small IGOs by hand, and the committed sample cut from the real file."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pycountry

from app.services.cow_igo.dataset import Igo, Run
from app.services.cow_igo.states import StateMapper

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "cow_igo_sample.csv"
FORMER = {
    "SUHH": dt.date(1991, 12, 26),
    "DDDE": dt.date(1990, 10, 3),
    "CSHH": dt.date(1993, 1, 1),
    "YUCS": dt.date(2003, 2, 4),
    "CSXX": dt.date(2006, 6, 5),
    "YDYE": dt.date(1990, 5, 22),
    "VDVN": dt.date(1976, 7, 2),
}


@functools.cache
def mapper() -> StateMapper:
    return StateMapper({c.alpha_2 for c in pycountry.countries} | set(FORMER))


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
