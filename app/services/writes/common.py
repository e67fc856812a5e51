"""What every write shares: the caller, optimistic concurrency, and the revision record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import PreconditionFailed, PreconditionRequired
from app.http_cache import etag_for

BeforeCommit = Callable[[AsyncSession, BaseModel | None], Awaitable[None]]


@dataclass(frozen=True)
class Actor:
    name: str
    """The API key's name, recorded on every revision."""
    reason: str | None = None
    """From X-Change-Reason."""
    before_commit: BeforeCommit | None = None
    """Runs inside the write's transaction, with its result (how idempotent answers are kept)."""


async def finish(session: AsyncSession, actor: Actor, result: BaseModel | None) -> None:
    """The one commit of a write."""
    if actor.before_commit is not None:
        await actor.before_commit(session, result)
    await session.commit()


def representation_etag(representation: BaseModel) -> str:
    """The strong ETag a GET of this representation carries (the hash of the same bytes)."""
    return etag_for(representation.model_dump_json(by_alias=True).encode())


def require_if_match(if_match: str | None, current: str) -> None:
    """If-Match is mandatory on changes and compared strongly (a W/ tag never matches)."""
    if if_match is None:
        raise PreconditionRequired(
            "Send If-Match with the ETag of the version you read (GET it first); this prevents "
            "overwriting a change you have not seen."
        )
    candidates = [c.strip() for c in if_match.split(",")]
    if "*" not in candidates and current not in candidates:
        raise PreconditionFailed(
            f"The resource changed since you read it: its ETag is now {current}. GET it again, "
            "re-apply your change and retry."
        )
