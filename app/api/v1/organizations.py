"""/v1/organizations"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.params import AsOf, CategorySlug, StatusList, as_of_or_today, parse_enum_list
from app.db import SessionDep
from app.errors import InvalidParameter
from app.pagination import DEFAULT_PAGE_SIZE, Cursor, Page, PageSize, page_of, page_request
from app.schemas.memberships import MembershipAsOf
from app.schemas.organizations import Organization, OrganizationSummary
from app.schemas.problem import problem_responses
from app.services import categories as category_service
from app.services import countries as country_service
from app.services import memberships as membership_service
from app.services import organizations as service
from app.vocabulary import MembershipStatus, OrganizationKind, System

router = APIRouter(prefix="/organizations", tags=["organizations"])
OrganizationKey = Annotated[str, Path(description="Organization id or slug.", examples=["unfccc"])]
RECORDED = [s for s in MembershipStatus if s != MembershipStatus.non_member]


@router.get(
    "",
    operation_id="listOrganizations",
    summary="List and filter organizations",
    description="Filter by name (`q`, any language), category, system and kind, or by a country's "
    "status in them on a date (`member` + `status` + `as_of`). Cursor-paginated.",
    responses=problem_responses(304, 400),
)
async def list_organizations(
    request: Request,
    response: Response,
    session: SessionDep,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Case-insensitive match on any name or acronym, any language.",
            examples=["climate"],
        ),
    ] = None,
    category: CategorySlug = None,
    system: System | None = None,
    kind: OrganizationKind | None = None,
    member: Annotated[
        str | None,
        Query(
            description="ISO country code (alpha-2 or alpha-3): keep "
            "organizations where it has `status` on `as_of`.",
            examples=["US"],
        ),
    ] = None,
    status: StatusList = None,
    as_of: AsOf = None,
    sort: Literal["slug", "-slug", "name", "-name"] = "slug",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[OrganizationSummary]:
    statuses = parse_enum_list("status", status, MembershipStatus)
    if member is None and (statuses or as_of is not None):
        raise InvalidParameter(
            "member", "`status` and `as_of` filter on a country's status: add `member`."
        )
    filters = service.OrganizationFilters(
        q=q,
        category_ids=await category_service.descendant_ids(session, category, "category")
        if category
        else None,
        system=system,
        kind=kind,
        member=await country_service.resolve_country_parameter(session, "member", member)
        if member
        else None,
        statuses=statuses or RECORDED,
        as_of=as_of_or_today(as_of),
    )
    page = page_request(page_size, cursor, sort, (str,) if sort.endswith("slug") else (str, str))
    items, next_cursor = await service.list_organizations(session, filters, page)
    return page_of(request, response, items, next_cursor)


@router.get(
    "/{organization}",
    operation_id="getOrganization",
    summary="One organization with its names, claims, listings and sources",
    responses=problem_responses(304, 400, 404),
)
async def get_organization(session: SessionDep, organization: OrganizationKey) -> Organization:
    return await service.get_organization(session, organization)


@router.get(
    "/{organization}/memberships",
    operation_id="listOrganizationMemberships",
    summary="The countries tied to an organization and their status on a date",
    responses=problem_responses(304, 400, 404),
)
async def list_organization_memberships(
    request: Request,
    response: Response,
    session: SessionDep,
    organization: OrganizationKey,
    status: StatusList = None,
    as_of: AsOf = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[MembershipAsOf]:
    filters = membership_service.MembershipFilters(
        as_of=as_of_or_today(as_of),
        organization_id=await service.resolve_organization_id(session, organization),
        statuses=parse_enum_list("status", status, MembershipStatus),
    )
    items, next_cursor = await membership_service.memberships_as_of(
        session, filters, page_request(page_size, cursor, "country")
    )
    return page_of(request, response, items, next_cursor)
