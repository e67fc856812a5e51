"""Plain functions that build test inputs."""

from __future__ import annotations

import datetime as dt
import itertools

from app.services.status_periods import EventFact
from app.vocabulary import DatePrecision, EventType

_ids = itertools.count(1)


def event(kind: str, when: str | None = None, precision: str | None = None) -> EventFact:
    """An event on `when` (YYYY, YYYY-MM or YYYY-MM-DD; None for an unknown date)."""
    if when is None:
        return EventFact(f"e{next(_ids)}", EventType(kind), None, DatePrecision.unknown)
    parts = when.split("-")
    inferred = {1: "year", 2: "month", 3: "day"}[len(parts)]
    day = dt.date(
        int(parts[0]),
        int(parts[1]) if len(parts) > 1 else 1,
        int(parts[2]) if len(parts) > 2 else 1,
    )
    return EventFact(f"e{next(_ids)}", EventType(kind), day, DatePrecision(precision or inferred))


def d(value: str) -> dt.date:
    return dt.date.fromisoformat(value)
