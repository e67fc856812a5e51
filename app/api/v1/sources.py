"""/v1/sources"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Cursor, Page, PageSize, page_of, page_request
from app.schemas.problem import problem_responses
from app.schemas.sources import Source
from app.services import sources as service
from app.vocabulary import SourceKind

router = APIRouter(prefix="/sources", tags=["sources"])


@router.get(
    "",
    operation_id="listSources",
    summary="List the documents that facts cite",
    responses=problem_responses(304, 400),
)
async def list_sources(
    request: Request,
    response: Response,
    session: SessionDep,
    kind: SourceKind | None = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[Source]:
    items, next_cursor = await service.list_sources(
        session, page_request(page_size, cursor, "id"), kind
    )
    return page_of(request, response, items, next_cursor)


@router.get(
    "/{source_id}",
    operation_id="getSource",
    summary="One source",
    responses=problem_responses(304, 404),
)
async def get_source(
    session: SessionDep,
    source_id: Annotated[str, Path(description="Source id.", examples=["src_vjn43p3a77iw"])],
) -> Source:
    return await service.get_source(session, source_id)
