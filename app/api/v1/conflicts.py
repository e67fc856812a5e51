"""/v1/conflicts"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.api.pagination import Cursor, PageSize, page_of
from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.conflicts import Conflict
from app.schemas.problem import problem_responses
from app.services import conflicts as service
from app.services.countries import resolve_country_parameter
from app.services.organizations import resolve_organization_parameter

router = APIRouter(prefix="/conflicts", tags=["conflicts"])


@router.get(
    "",
    operation_id="listConflicts",
    summary="Where an imported dataset disagrees with curated events, and which one is followed",
    description="Each item is one country x organization pair and run of years where a dataset "
    "(the COW IGO data) says one status and the registry's curated, dated events another. The "
    "registry's periods follow the curated events; the dataset's word is kept here.",
    responses=problem_responses(304, 400),
)
async def list_conflicts(
    request: Request,
    response: Response,
    session: SessionDep,
    country: Annotated[
        str | None, Query(description="Only this country (ISO code).", examples=["US"])
    ] = None,
    organization: Annotated[
        str | None, Query(description="Only this organization (id or slug).", examples=["unesco"])
    ] = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[Conflict]:
    code = await resolve_country_parameter(session, "country", country) if country else None
    org_id = (
        await resolve_organization_parameter(session, "organization", organization)
        if organization
        else None
    )
    items, next_cursor = await service.list_conflicts(
        session, page_request(page_size, cursor, "id", (int,)), code, org_id
    )
    return page_of(request, response, items, next_cursor)
