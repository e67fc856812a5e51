"""API keys: random secrets shown once, stored only as a hash, with scopes and expiry.

A key reads `orgreg_<prefix>_<secret>`. The prefix finds the row; the SHA-256 of the whole key
is compared in constant time (the secret carries 256 random bits, so a slow hash adds nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, NotFound
from app.ids import new_id
from app.models.tables import api_keys
from app.schemas.keys import ApiKeyInfo
from app.vocabulary import Scope

log = logging.getLogger("orgreg.auth")

GRANTS: dict[Scope, frozenset[Scope]] = {
    Scope.read: frozenset({Scope.read}),
    Scope.write: frozenset({Scope.read, Scope.write}),
    Scope.admin: frozenset({Scope.read, Scope.write, Scope.admin}),
}
"""What each scope allows: admin includes write, write includes read."""


@dataclass(frozen=True)
class Principal:
    key_id: str
    name: str
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        return any(scope in GRANTS[held] for held in self.scopes)


def secret_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def create_key(
    session: AsyncSession, name: str, scopes: list[Scope], expires_at: dt.datetime | None
) -> tuple[ApiKeyInfo, str]:
    """`add_key`, committed (the command line's and the tests' way to make a key)."""
    created = await add_key(session, name, scopes, expires_at)
    await session.commit()
    return created


async def add_key(
    session: AsyncSession, name: str, scopes: list[Scope], expires_at: dt.datetime | None
) -> tuple[ApiKeyInfo, str]:
    """The new key and its secret, which is never shown or stored again. The caller commits."""
    taken = await session.execute(select(api_keys.c.id).where(api_keys.c.name == name))
    if taken.first() is not None:
        raise Conflict(
            f"A key named '{name}' exists (revoked ones keep their names); pick another."
        )
    prefix = secrets.token_hex(4)
    secret = f"orgreg_{prefix}_{secrets.token_urlsafe(32)}"
    key_id = new_id("key")
    row = (
        (
            await session.execute(
                api_keys.insert()
                .values(
                    id=key_id,
                    name=name,
                    prefix=prefix,
                    secret_hash=secret_hash(secret),
                    scopes=[s.value for s in scopes],
                    expires_at=expires_at,
                )
                .returning(*api_keys.c)
            )
        )
        .mappings()
        .one()
    )
    return ApiKeyInfo.model_validate(dict(row)), secret


_BY_PREFIX = select(api_keys).where(api_keys.c.prefix == bindparam("prefix"))


def key_prefix(presented: str) -> str | None:
    """The public part of a key (`orgreg_<prefix>_<secret>`), or None if it is not shaped so."""
    parts = presented.split("_")
    return parts[1] if len(parts) >= 3 and parts[0] == "orgreg" else None


async def authenticate(session: AsyncSession, presented: str) -> Principal | None:
    prefix = key_prefix(presented)
    if prefix is None:
        log.warning("rejected API key: malformed")
        return None
    row = (await session.execute(_BY_PREFIX, {"prefix": prefix})).mappings().first()
    if row is None or not hmac.compare_digest(row["secret_hash"], secret_hash(presented)):
        log.warning("rejected API key: unknown or wrong secret (prefix %s)", prefix)
        return None
    now = dt.datetime.now(dt.UTC)
    if row["revoked_at"] is not None or (
        row["expires_at"] is not None and row["expires_at"] <= now
    ):
        log.warning("rejected API key %s (%s): revoked or expired", row["id"], row["name"])
        return None
    await _note_use(session, row["id"], row["last_used_at"], now)
    return Principal(row["id"], row["name"], frozenset(Scope(s) for s in row["scopes"]))


LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


async def _note_use(
    session: AsyncSession, key_id: str, last_used: dt.datetime | None, now: dt.datetime
) -> None:
    """Keep `last_used_at` to the minute without making a key's requests wait for each other:
    the row is written at most once a minute, and never waited for (SKIP LOCKED). The lock is
    FOR NO KEY UPDATE, which the foreign-key checks of the key's other requests (idempotent
    answers, which refer to the key) do not wait for: with FOR UPDATE they did, while holding
    the change feed's lock this request then waited for, a deadlock."""
    if last_used is not None and now - last_used < LAST_USED_RESOLUTION:
        return
    free = (
        select(api_keys.c.id)
        .where(api_keys.c.id == key_id)
        .with_for_update(skip_locked=True, key_share=True)
        .scalar_subquery()
    )
    await session.execute(update(api_keys).where(api_keys.c.id == free).values(last_used_at=now))


async def list_keys(session: AsyncSession) -> list[ApiKeyInfo]:
    rows = (
        await session.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id))
    ).mappings()
    return [ApiKeyInfo.model_validate(dict(row)) for row in rows]


async def revoke_key(session: AsyncSession, key_id: str) -> None:
    result = await session.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
        .returning(api_keys.c.id)
    )
    if result.first() is None:
        exists = (
            await session.execute(select(api_keys.c.id).where(api_keys.c.id == key_id))
        ).first()
        if exists is None:
            raise NotFound(f"No API key with id '{key_id}'.")
    await session.commit()
