"""The registry's today: the date in UTC, so that every server and client agrees on it."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
