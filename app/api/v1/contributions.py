"""/v1/contributions"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.auth import WriterDep
from app.api.pagination import Cursor, PageSize, page_of
from app.api.params import KNOWN_AT
from app.api.writes import ChangeReason, IdempotencyKey, IfMatch, precondition, run_write
from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.contributions import Contribution, ContributionCreate, ContributionPatch
from app.schemas.problem import problem_responses
from app.schemas.revisions import RevisionOut
from app.services import contributions as service
from app.services import countries as country_service
from app.services import organizations as organization_service
from app.services import revisions as revision_service
from app.services.writes import contributions as writes
from app.vocabulary import ContributionKind, Recipient

router = APIRouter(prefix="/contributions", tags=["contributions"])
ContributionId = Annotated[
    str, Path(description="Contribution id.", examples=["ctb_x6f0b1c2d3e4"], max_length=100)
]


@router.get(
    "",
    dependencies=[KNOWN_AT],
    operation_id="listContributions",
    summary="Money a country paid, owes or pledged an organization, as sources state it",
    description="Filters combine. `year` keeps figures whose period overlaps that calendar "
    "year (a US FY2023 figure, October 2022 to September 2023, overlaps 2022 and 2023); a "
    "figure whose source gives no period overlaps no year. For example `country=US&year=2024`.",
    responses=problem_responses(304, 400),
)
async def list_contributions(
    request: Request,
    response: Response,
    session: SessionDep,
    country: Annotated[
        str | None, Query(description="The paying country (ISO code).", examples=["US"])
    ] = None,
    organization: Annotated[
        str | None,
        Query(description="The receiving organization (id or slug).", max_length=200),
    ] = None,
    year: Annotated[
        int | None, Query(ge=1800, le=2200, description="A calendar year the period overlaps.")
    ] = None,
    kind: Annotated[ContributionKind | None, Query(description="What kind of money.")] = None,
    recipient: Annotated[
        Recipient | None,
        Query(description="`organization`, `un_system` or `all_international_organizations`."),
    ] = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[Contribution]:
    filters = service.ContributionFilters(
        country=await country_service.resolve_country_parameter(session, "country", country)
        if country
        else None,
        organization_id=await organization_service.resolve_organization_parameter(
            session, "organization", organization
        )
        if organization
        else None,
        year=year,
        kind=kind,
        recipient=recipient,
    )
    items, next_cursor = await service.list_contributions(
        session, page_request(page_size, cursor, "id"), filters
    )
    return page_of(request, response, items, next_cursor)


@router.get(
    "/{contribution_id}",
    dependencies=[KNOWN_AT],
    operation_id="getContribution",
    summary="One contribution, with its sources",
    responses=problem_responses(304, 404, 410),
)
async def get_contribution(session: SessionDep, contribution_id: ContributionId) -> Contribution:
    return await service.get_contribution(session, contribution_id)


@router.get(
    "/{contribution_id}/revisions",
    dependencies=[KNOWN_AT],
    operation_id="listContributionRevisions",
    summary="Who changed this contribution, when, why, and what",
    responses=problem_responses(304, 400, 404),
)
async def list_contribution_revisions(
    request: Request,
    response: Response,
    session: SessionDep,
    contribution_id: ContributionId,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[RevisionOut]:
    await service.require_contribution(session, contribution_id)
    items, next_cursor = await revision_service.history(
        session, "contribution", [contribution_id], page_request(page_size, cursor, "id", (int,))
    )
    return page_of(request, response, items, next_cursor)


@router.post(
    "",
    operation_id="createContribution",
    summary="Record a contribution a source states (scope `write`)",
    status_code=201,
    response_model=Contribution,
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def create_contribution(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    body: ContributionCreate,
    reason: ChangeReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda actor: writes.create_contribution(session, body, actor),
        status=201,
        idempotency_key=idempotency_key,
        location=lambda c: f"/v1/contributions/{c.id}",
    )


@router.patch(
    "/{contribution_id}",
    operation_id="updateContribution",
    summary="Correct a contribution (scope `write`, If-Match required)",
    response_model=Contribution,
    responses=problem_responses(400, 401, 403, 404, 410, 412, 413, 415, 422, 428),
)
async def update_contribution(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    contribution_id: ContributionId,
    body: ContributionPatch,
    if_match: IfMatch = None,
    reason: ChangeReason = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda who: writes.update_contribution(
            session, contribution_id, body, precondition(if_match), who
        ),
        status=200,
    )


@router.delete(
    "/{contribution_id}",
    operation_id="deleteContribution",
    summary="Delete a contribution, leaving a tombstone (scope `write`, If-Match required)",
    status_code=204,
    responses=problem_responses(401, 403, 404, 410, 412, 428),
)
async def delete_contribution(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    contribution_id: ContributionId,
    if_match: IfMatch = None,
    reason: ChangeReason = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda who: writes.delete_contribution(
            session, contribution_id, precondition(if_match), who
        ),
        status=204,
    )
