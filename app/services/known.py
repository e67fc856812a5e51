"""Reads of the past: the registry as it stood at a moment (`known_at`).

Migration 0024 keeps every version of the answered tables in `history` and shows the versions
valid at the transaction's `orgreg.known_at` as views in `known`, named like the tables. A read
of the past runs the very statement a read of the present runs, with `known` first on the
search path, inside one transaction: no query is written twice, and a read without `known_at`
does not change at all.

A moment is a transaction's start (`now()`): a write counts from when it began.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator

from pydantic import AwareDatetime, TypeAdapter, ValidationError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.errors import InvalidParameter

PARAMETER = "known_at"
_MOMENT = TypeAdapter(AwareDatetime)
_ENTER = text(
    """
    WITH before AS MATERIALIZED (
        SELECT current_setting('search_path') AS search_path,
               (SELECT occurred_at FROM revisions WHERE resource_type = 'registry'
                AND action = 'history_started') AS history_began,
               clock_timestamp() AS now
    )
    SELECT before.*, set_config('search_path', 'known, public', true),
           set_config('orgreg.known_at', :moment, true)
    FROM before
    """
)
_LEAVE = text(
    "SELECT set_config('search_path', :search_path, true), set_config('orgreg.known_at', '', true)"
)
_HISTORY_BEGAN = text(
    "SELECT occurred_at FROM revisions "
    "WHERE resource_type = 'registry' AND action = 'history_started'"
)


def parse_moment(raw: str) -> dt.datetime:
    """A `known_at` value: an ISO 8601 date-time with its UTC offset (`Z` or `+08:00`)."""
    try:
        return _MOMENT.validate_strings(raw)
    except ValidationError:
        raise InvalidParameter(
            PARAMETER,
            f"'{raw}' is not a date-time with a UTC offset; write e.g. 2026-12-02T09:30:00Z.",
        ) from None


@contextlib.asynccontextmanager
async def as_known_at(
    db: AsyncSession | AsyncConnection, moment: dt.datetime
) -> AsyncIterator[None]:
    """Within this block, `db`'s statements read the registry as it stood at `moment`. 400
    for a moment in the future (the answer could still change) or before history began."""
    search_path, history_began, now = (
        await db.execute(_ENTER, {"moment": moment.isoformat()})
    ).one()[:3]
    try:
        if moment > now:
            raise InvalidParameter(
                PARAMETER,
                f"{moment.isoformat()} is in the future; the registry's answer for it could "
                "still change.",
            )
        if history_began is None:
            raise InvalidParameter(PARAMETER, "The registry has kept no history yet.")
        if moment < history_began:
            raise InvalidParameter(
                PARAMETER,
                f"The registry keeps what it held since {history_began.isoformat()}; ask "
                "about a moment since then.",
            )
        yield
    finally:
        # A failed statement aborted the transaction, and its end resets the settings anyway.
        with contextlib.suppress(DBAPIError):
            await db.execute(_LEAVE, {"search_path": search_path})


async def history_began(db: AsyncSession | AsyncConnection) -> dt.datetime | None:
    """The earliest moment `known_at` can ask about (marked by a revision when migrations/env.py
    started history); None before that."""
    began: dt.datetime | None = (await db.execute(_HISTORY_BEGAN)).scalar_one_or_none()
    return began
