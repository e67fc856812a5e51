"""How every write route runs (router -> service -> SQL, one commit here): the acting key,
X-Change-Reason, If-Match, Idempotency-Key, and the answer rendered once, as the same bytes a
later GET returns."""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar
from urllib.parse import unquote

from fastapi import Header, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import InvalidParameter
from app.etags import etag_for, representation_bytes
from app.services import idempotency
from app.services.documents import Document
from app.services.keys import Principal
from app.services.meta import data_version
from app.services.writes.common import Actor, Precondition

M = TypeVar("M", bound=BaseModel | Document | None)

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


def precondition(if_match: str | None) -> Precondition | None:
    """If-Match as the services take it (repeated lines arrive joined: app.http_semantics)."""
    if if_match is None:
        return None
    tags = frozenset(t.strip() for t in if_match.split(",") if t.strip())
    return Precondition(tags - {"*"}, any_version="*" in tags)


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


async def run_write(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    reason: str | None,
    operation: Callable[[Actor], Awaitable[M]],
    *,
    status: int,
    idempotency_key: str | None = None,
    location: Callable[[M], str] | None = None,
    kept_as: Callable[[Response], idempotency.StoredAnswer] | None = None,
) -> Response:
    """Run one write and commit it. With an Idempotency-Key, a retry gets the first answer
    back (`kept_as` says what is kept of it, when it must not be replayed as it was), and the
    answer is kept in the write's own transaction. The answer's `X-Data-Version` is read after
    the commit (the version moves at commit), so it includes the write."""
    who = actor(principal, reason)
    claim: idempotency.Claim | None = None
    if idempotency_key is not None:
        if not idempotency_key.strip():
            raise InvalidParameter("Idempotency-Key", "Give a non-empty key.", location="header")
        fingerprint = idempotency.request_hash(
            request.method, request.url.path, await request.body()
        )
        claim = await idempotency.claim(session, principal.key_id, idempotency_key, fingerprint)
        if claim.replay is not None:
            return Response(
                claim.replay.body,
                status_code=claim.replay.status,
                media_type=claim.replay.media_type,
                headers={**claim.replay.headers, "Idempotent-Replayed": "true"},
            )
    result = await operation(who)
    answer = render(result, status, location(result) if location and result else None)
    if claim is not None:
        await idempotency.keep(session, claim, (kept_as or as_sent)(answer))
    await session.commit()
    request.state.data_version = await data_version(session)
    return answer


def as_sent(answer: Response) -> idempotency.StoredAnswer:
    """What a retry gets back: the answer as it was sent."""
    return idempotency.StoredAnswer(
        answer.status_code,
        bytes(answer.body),
        {k: v for k, v in answer.headers.items() if k in ("etag", "location")},
        answer.media_type or "application/json",
    )


def render(
    result: BaseModel | Document | None, status: int, location: str | None = None
) -> Response:
    """A write's answer: the representation (as a GET answers it), its ETag, and for creations
    its Location; no body for a deletion."""
    if result is None:
        return Response(status_code=204)
    body = result.body if isinstance(result, Document) else representation_bytes(result)
    headers = {"ETag": etag_for(body)}
    if location:
        headers["Location"] = location
    return Response(body, status_code=status, media_type="application/json", headers=headers)
