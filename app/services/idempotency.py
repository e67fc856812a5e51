"""Idempotency-Key on POST: a retry gets the first answer, never a second write.

Everything happens in the write's own transaction: a transaction-scoped advisory lock on the
key (taken without waiting: a retry while the first request runs gets 409), a look-up of the
stored answer (replayed; the same key with another body is 422), and, just before the write
commits, the answer itself. So "written" and "answer stored" can never disagree, and a write
that fails leaves nothing behind. Answers are kept ORGREG_IDEMPOTENCY_TTL_HOURS (24 h).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.errors import Conflict, InvalidBody
from app.models.tables import idempotency_records as records


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: bytes
    headers: dict[str, str]
    media_type: str = "application/json"


@dataclass(frozen=True)
class Claim:
    """This transaction holds the key: `replay` is the first request's answer, if there was
    one; otherwise the write goes ahead and `keep` stores its answer."""

    key_id: str
    key: str
    fingerprint: str
    replay: StoredAnswer | None


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()


async def claim(session: AsyncSession, key_id: str, key: str, fingerprint: str) -> Claim:
    """Lock `key` for this transaction and look for the first request's answer."""
    locked = (
        await session.execute(
            text("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))"),
            {"k": f"{key_id}\x1f{key}"},
        )
    ).scalar_one()
    if not locked:
        raise Conflict(
            "A request with this Idempotency-Key is still being processed; retry shortly."
        )
    ttl = dt.timedelta(hours=get_settings().idempotency_ttl_hours)
    await session.execute(
        delete(records).where(
            records.c.api_key_id == key_id,
            records.c.key == key,
            records.c.created_at < func.now() - ttl,
        )
    )
    row = (
        (
            await session.execute(
                select(records).where(records.c.api_key_id == key_id, records.c.key == key)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return Claim(key_id, key, fingerprint, None)
    if row["request_hash"] != fingerprint:
        raise InvalidBody(
            "This Idempotency-Key was used with a different request; use a new key.",
            field="Idempotency-Key",
        )
    headers = dict(row["response_headers"])
    media_type = headers.pop("content-type", "application/json")
    answer = StoredAnswer(row["response_status"], row["response_body"], headers, media_type)
    return Claim(key_id, key, fingerprint, answer)


async def keep(session: AsyncSession, claim: Claim, answer: StoredAnswer) -> None:
    """Keep the answer; called inside the write's transaction, just before it commits."""
    await session.execute(
        records.insert().values(
            api_key_id=claim.key_id,
            key=claim.key,
            request_hash=claim.fingerprint,
            response_status=answer.status,
            response_body=answer.body,
            response_headers={**answer.headers, "content-type": answer.media_type},
        )
    )
