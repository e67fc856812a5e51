"""/v1/sources"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.auth import WriterDep
from app.api.pagination import Cursor, PageSize, page_of
from app.api.params import KNOWN_AT
from app.api.writes import ChangeReason, IdempotencyKey, IfMatch, precondition, run_write
from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.problem import problem_responses
from app.schemas.sources import Source
from app.schemas.writes import SourceCreate, SourcePatch
from app.services import sources as service
from app.services.writes import sources as writes
from app.vocabulary import SourceKind

router = APIRouter(prefix="/sources", tags=["sources"])


@router.get(
    "",
    dependencies=[KNOWN_AT],
    operation_id="listSources",
    summary="List the documents that facts cite",
    responses=problem_responses(304, 400),
)
async def list_sources(
    request: Request,
    response: Response,
    session: SessionDep,
    kind: Annotated[
        SourceKind | None,
        Query(description="What kind of document it is.", examples=["official_text"]),
    ] = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[Source]:
    items, next_cursor = await service.list_sources(
        session, page_request(page_size, cursor, "id"), kind
    )
    return page_of(request, response, items, next_cursor)


@router.get(
    "/{source_id}",
    dependencies=[KNOWN_AT],
    operation_id="getSource",
    summary="One source",
    responses=problem_responses(304, 404),
)
async def get_source(
    session: SessionDep,
    source_id: Annotated[str, Path(description="Source id.", examples=["src_vjn43p3a77iw"])],
) -> Source:
    return await service.get_source(session, source_id)


@router.post(
    "",
    operation_id="createSource",
    summary="Record a source (scope `write`)",
    status_code=201,
    response_model=Source,
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def create_source(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    body: SourceCreate,
    reason: ChangeReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda actor: writes.create_source(session, body, actor),
        status=201,
        idempotency_key=idempotency_key,
        location=lambda s: f"/v1/sources/{s.id}",
    )


@router.patch(
    "/{source_id}",
    operation_id="updateSource",
    summary="Correct a source (scope `write`, If-Match required)",
    response_model=Source,
    responses=problem_responses(400, 401, 403, 404, 412, 413, 415, 422, 428),
)
async def update_source(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    source_id: Annotated[str, Path(description="Source id.")],
    body: SourcePatch,
    if_match: IfMatch = None,
    reason: ChangeReason = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda who: writes.update_source(session, source_id, body, precondition(if_match), who),
        status=200,
    )


@router.delete(
    "/{source_id}",
    operation_id="deleteSource",
    summary="Delete a source no fact cites (scope `write`, If-Match required)",
    status_code=204,
    responses=problem_responses(401, 403, 404, 409, 412, 428),
)
async def delete_source(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    source_id: Annotated[str, Path(description="Source id.")],
    if_match: IfMatch = None,
    reason: ChangeReason = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda who: writes.delete_source(session, source_id, precondition(if_match), who),
        status=204,
    )
