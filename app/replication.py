"""A streaming replica for anonymous reads: PostgreSQL's own replication, watched from here.

Reads that may go to the replica are GETs and HEADs without an Authorization header: a key
holder reads its own writes on the primary. They go there while the replica answers, is still
a standby, and lags less than `replica_max_lag_seconds`; otherwise to the primary.

Lag is measured against the primary. Each check notes the primary's WAL position and when,
then the replica's replayed position. The lag is the age of the newest noted primary position
the replica has replayed: zero when it has replayed all the primary had at this check, and
never more than one check interval off. Timestamps of replayed transactions would call an idle
replica late.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("orgreg.replica")

_PRIMARY_POSITION = text("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
_REPLICA_STATE = text(
    """
    SELECT pg_is_in_recovery(),
           pg_last_wal_replay_lsn() - '0/0'::pg_lsn,
           (SELECT version FROM data_version)
    """
)


@dataclass(frozen=True)
class ReplicaState:
    status: str
    """`ok`, `lagging` (too far behind to read from), `unreachable`, `not a standby`, or
    `unknown` before the first check."""
    lag_seconds: float | None = None
    lag_bytes: int | None = None
    data_version: int | None = None
    checked_at: float | None = None
    """time.monotonic() of the check."""


class ReplicaMonitor:
    def __init__(self, max_lag_seconds: float, check_seconds: float) -> None:
        self.max_lag_seconds = max_lag_seconds
        self.check_seconds = check_seconds
        self.state = ReplicaState("unknown")
        self._primary_positions: deque[tuple[float, int]] = deque(maxlen=512)

    def usable(self) -> bool:
        """Read from the replica now? Only on a recent check that found it close enough."""
        state = self.state
        return (
            state.status == "ok"
            and state.checked_at is not None
            and time.monotonic() - state.checked_at < 3 * self.check_seconds + 1
        )

    def report(self) -> dict[str, object]:
        """For /readyz."""
        state = self.state
        return {
            "status": state.status,
            "usable": self.usable(),
            "lag_seconds": None if state.lag_seconds is None else round(state.lag_seconds, 3),
            "lag_bytes": state.lag_bytes,
            "data_version": state.data_version,
            "checked_seconds_ago": None
            if state.checked_at is None
            else round(time.monotonic() - state.checked_at, 3),
        }

    async def check(self, primary: AsyncEngine, replica: AsyncEngine) -> ReplicaState:
        try:
            async with primary.connect() as connection:
                position = int((await connection.execute(_PRIMARY_POSITION)).scalar_one())
            now = time.monotonic()
            self._primary_positions.append((now, position))
            async with replica.connect() as connection:
                standby, replayed, version = (await connection.execute(_REPLICA_STATE)).one()
        except Exception as exc:  # any failure means: do not read from it until a check passes
            self.state = ReplicaState("unreachable", checked_at=time.monotonic())
            log.warning("replica check failed: %s", type(exc).__name__)
            return self.state
        if not standby or replayed is None:
            self.state = ReplicaState("not a standby", data_version=version, checked_at=now)
            return self.state
        replayed = int(replayed)
        caught_up_at = next(
            (at for at, noted in reversed(self._primary_positions) if noted <= replayed),
            self._primary_positions[0][0],
        )
        lag = now - caught_up_at
        self.state = ReplicaState(
            "ok" if lag <= self.max_lag_seconds else "lagging",
            lag_seconds=lag,
            lag_bytes=max(position - replayed, 0),
            data_version=version,
            checked_at=now,
        )
        return self.state

    async def run(self, primary: AsyncEngine, replica: AsyncEngine, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.check(primary, replica)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.check_seconds)
