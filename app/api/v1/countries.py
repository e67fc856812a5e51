"""/v1/countries"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.params import AsOf, CategorySlug, StatusList, as_of_or_today, parse_enum_list
from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Cursor, Page, PageSize, page_of, page_request
from app.schemas.countries import Country
from app.schemas.memberships import MembershipAsOf
from app.schemas.problem import problem_responses
from app.services import categories as category_service
from app.services import countries as service
from app.services import memberships as membership_service
from app.vocabulary import MembershipStatus, System

router = APIRouter(prefix="/countries", tags=["countries"])
CountryCode = Annotated[
    str, Path(description="ISO 3166-1 alpha-2 or alpha-3, any case.", examples=["US"])
]


@router.get(
    "",
    operation_id="listCountries",
    summary="List ISO 3166-1 countries",
    responses=problem_responses(304, 400),
)
async def list_countries(
    request: Request,
    response: Response,
    session: SessionDep,
    q: Annotated[
        str | None,
        Query(
            min_length=1, max_length=200, description="Match on code or name (English or Chinese)."
        ),
    ] = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[Country]:
    items, next_cursor = await service.list_countries(
        session, page_request(page_size, cursor, "code"), q
    )
    return page_of(request, response, items, next_cursor)


@router.get(
    "/{code}",
    operation_id="getCountry",
    summary="One country",
    responses=problem_responses(304, 404),
)
async def get_country(session: SessionDep, code: CountryCode) -> Country:
    return await service.get_country(session, code)


@router.get(
    "/{code}/memberships",
    operation_id="listCountryMemberships",
    summary="A country's status in each organization on a date",
    description="Every organization the country has a recorded relation with, and its status on "
    "`as_of` (`non_member` before it joined), with the period and the event that says so.",
    responses=problem_responses(304, 400, 404),
)
async def list_country_memberships(
    request: Request,
    response: Response,
    session: SessionDep,
    code: CountryCode,
    status: StatusList = None,
    category: CategorySlug = None,
    system: System | None = None,
    as_of: AsOf = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[MembershipAsOf]:
    filters = membership_service.MembershipFilters(
        as_of=as_of_or_today(as_of),
        country=await service.resolve_country(session, code),
        statuses=parse_enum_list("status", status, MembershipStatus),
        category_ids=await category_service.descendant_ids(session, category, "category")
        if category
        else None,
        system=system,
    )
    items, next_cursor = await membership_service.memberships_as_of(
        session, filters, page_request(page_size, cursor, "organization")
    )
    return page_of(request, response, items, next_cursor)
