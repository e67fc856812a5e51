"""What every write service shares: who acts, the version a change was made against, and
locking the row it changes. Services never commit: the caller does (app.api.writes.run_write
for a request, the job's transaction for an import)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import DomainError, PreconditionFailed, PreconditionRequired
from app.etags import etag_for, representation_etag
from app.services.documents import Document


@dataclass(frozen=True)
class Actor:
    name: str
    """The API key's name, recorded on every revision."""
    reason: str | None = None
    """Why, as the client said (X-Change-Reason)."""


@dataclass(frozen=True)
class Precondition:
    """The versions the client says it changed (If-Match): ETags, or any version (`*`)."""

    etags: frozenset[str]
    any_version: bool = False


def require_version(precondition: Precondition | None, current: BaseModel | Document) -> None:
    """A change must name the version it was made against, and that version must be current:
    the ETag a GET of `current` carries, compared strongly."""
    if precondition is None:
        raise PreconditionRequired(
            "Send If-Match with the ETag of the version you read (GET it first); this prevents "
            "overwriting a change you have not seen."
        )
    etag = etag_for(current.body) if isinstance(current, Document) else representation_etag(current)
    if not precondition.any_version and etag not in precondition.etags:
        raise PreconditionFailed(
            f"The resource changed since you read it: its ETag is now {etag}. GET it again, "
            "re-apply your change and retry."
        )


async def lock_row(
    session: AsyncSession, table: Table, which: ColumnElement[bool], missing: DomainError
) -> RowMapping:
    """The row, locked until the write commits: a concurrent change of it waits, then finds
    the version it was made against gone (412)."""
    row = (await session.execute(select(table).where(which).with_for_update())).mappings().first()
    if row is None:
        raise missing
    return row


def bumped(table: Table) -> dict[str, Any]:
    """The columns every change of a versioned row sets: its revision, and when."""
    return {"revision": table.c.revision + 1, "updated_at": func.now()}
