"""Rate limit token buckets, kept in PostgreSQL so that every worker shares them.

A request is counted against its API key only once the key is verified (its secret's hash
matches a live key), otherwise against its client address: a made-up or borrowed key prefix
neither escapes an address's empty bucket nor drains someone else's. Taking a token is one
statement: verify, refill by the time passed, take if there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.services.keys import key_prefix, secret_hash

_TAKE = text(
    """
    WITH who AS (
        SELECT coalesce(
            (
                SELECT 'key:' || id FROM api_keys
                WHERE prefix = :prefix AND secret_hash = :secret_hash AND revoked_at IS NULL
                  AND (expires_at IS NULL OR expires_at > now())
            ),
            :address
        ) AS client
    )
    INSERT INTO rate_buckets AS b (client, tokens, allowed, updated_at)
    SELECT client, :limit - 1, true, clock_timestamp() FROM who
    ON CONFLICT (client) DO UPDATE SET
        tokens = least(
            :limit, b.tokens + extract(epoch FROM clock_timestamp() - b.updated_at) * :rate
        ) - CASE WHEN least(
            :limit, b.tokens + extract(epoch FROM clock_timestamp() - b.updated_at) * :rate
        ) >= 1 THEN 1 ELSE 0 END,
        allowed = least(
            :limit, b.tokens + extract(epoch FROM clock_timestamp() - b.updated_at) * :rate
        ) >= 1,
        updated_at = clock_timestamp()
    RETURNING allowed, tokens
    """
)
_SWEEP = text("DELETE FROM rate_buckets WHERE updated_at < now() - interval '1 hour'")


@dataclass(frozen=True)
class Taken:
    allowed: bool
    tokens: float
    """What is left in the bucket."""


async def take(
    session: AsyncSession, *, presented_key: str | None, address: str, per_minute: int
) -> Taken:
    prefix = key_prefix(presented_key) if presented_key else None
    row = (
        await session.execute(
            _TAKE,
            {
                "prefix": prefix,
                "secret_hash": secret_hash(presented_key) if prefix and presented_key else None,
                "address": f"address:{address}",
                "limit": float(per_minute),
                "rate": per_minute / 60.0,
            },
        )
    ).one()
    return Taken(row.allowed, row.tokens)


async def sweep(session: AsyncSession) -> None:
    """Forget buckets idle long enough to be full again."""
    await session.execute(_SWEEP)
