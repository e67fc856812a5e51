"""The plumbing every write route shares: the acting key, X-Change-Reason, If-Match,
Idempotency-Key, and answers rendered as the same bytes a later GET returns."""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import unquote

from fastapi import Header, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import InvalidParameter
from app.services import idempotency
from app.services.keys import Principal
from app.services.writes.common import Actor, representation_etag

IfMatch = Annotated[
    str | None,
    Header(description="The ETag of the version you read; required (428 without, 412 if stale)."),
]
ChangeReason = Annotated[
    str | None,
    Header(
        alias="X-Change-Reason",
        max_length=1000,
        description="Kept with the revision: UTF-8, percent-encoded where it is not ASCII "
        "(`Gr%C3%BCnde`); 400 if it does not decode.",
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=255,
        description="Retries with the same key get the first answer instead of writing twice.",
    ),
]

M = type[BaseModel]


def render(result: BaseModel, status: int, location: str | None = None) -> Response:
    """A write's answer: the representation, its ETag, and for creations its Location."""
    headers = {"ETag": representation_etag(result)}
    if location:
        headers["Location"] = location
    return Response(
        result.model_dump_json(by_alias=True),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def actor(principal: Principal, reason: str | None) -> Actor:
    return Actor(principal.name, change_reason(reason))


def change_reason(raw: str | None) -> str | None:
    """X-Change-Reason as text. HTTP headers carry bytes, which arrive here read as Latin-1:
    a reason is UTF-8, sent percent-encoded (`Gr%C3%BCnde`) or as raw UTF-8 bytes; anything
    that does not decode, or decodes to control characters, is refused rather than stored
    garbled in the audit history."""
    if raw is None:
        return None
    try:
        text = unquote(raw.encode("latin-1").decode("utf-8"), errors="strict")
    except UnicodeError:
        raise InvalidParameter(
            "X-Change-Reason",
            "Send the reason as UTF-8, percent-encoded (e.g. `Gr%C3%BCnde` for `Gründe`).",
            location="header",
        ) from None
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InvalidParameter(
            "X-Change-Reason", "The reason contains control characters.", location="header"
        )
    return text.strip() or None


async def idempotent_post(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    reason: str | None,
    key: str | None,
    operation: Callable[[Actor], Awaitable[BaseModel]],
    *,
    status: int,
    location: Callable[[BaseModel], str] | None = None,
) -> Response:
    """Run a POST once per Idempotency-Key: a retry replays the stored answer."""
    if key is None:
        result = await operation(actor(principal, reason))
        return render(result, status, location(result) if location else None)
    if not key.strip():
        raise InvalidParameter("Idempotency-Key", "Give a non-empty key.", location="header")
    fingerprint = idempotency.request_hash(request.method, request.url.path, await request.body())
    stored = await idempotency.begin(session, principal.key_id, key, fingerprint)
    if stored is not None:
        return Response(
            stored.body,
            status_code=stored.status,
            media_type="application/json",
            headers={**stored.headers, "Idempotent-Replayed": "true"},
        )

    async def keep_answer(write_session: AsyncSession, result: BaseModel | None) -> None:
        assert result is not None
        answer = render(result, status, location(result) if location else None)
        headers = {k: v for k, v in answer.headers.items() if k in ("etag", "location")}
        await idempotency.store(
            write_session,
            principal.key_id,
            key,
            fingerprint,
            idempotency.StoredAnswer(status, bytes(answer.body), headers),
        )

    base = actor(principal, reason)
    result = await operation(Actor(base.name, base.reason, keep_answer))
    return render(result, status, location(result) if location else None)
