"""/v1/countries"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.deps import stamps_own_data_version
from app.api.pagination import Cursor, PageSize, json_page_of, page_of
from app.api.params import (
    KNOWN_AT,
    AsOf,
    CategorySlug,
    IsoDate,
    LangParam,
    StatusList,
    SystemFilter,
    as_of_or_today,
    parse_enum_list,
)
from app.clock import today
from app.db import ReaderDep, SessionDep
from app.errors import InvalidParameter
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.countries import Country
from app.schemas.memberships import MembershipAsOf
from app.schemas.problem import SVG_CHART, problem_responses
from app.schemas.timelines import StatusChange, Timeline
from app.services import categories as category_service
from app.services import countries as service
from app.services import memberships as membership_service
from app.services import organizations as organization_service
from app.services import timeline_views
from app.services import timelines as timeline_service
from app.vocabulary import MembershipStatus

router = APIRouter(prefix="/countries", tags=["countries"])
CountryCode = Annotated[
    str, Path(description="ISO 3166-1 alpha-2 or alpha-3, any case.", examples=["US"])
]
OnlyOrganization = Annotated[
    str | None, Query(description="Only this organization (id or slug).", examples=["unesco"])
]


@router.get(
    "",
    dependencies=[KNOWN_AT],
    operation_id="listCountries",
    summary="List countries: ISO 3166-1, and former countries (ISO 3166-3) historical data cites",
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
    historical: Annotated[
        bool | None,
        Query(description="`false`: only countries that exist; `true`: only former ones."),
    ] = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[Country]:
    items, next_cursor = await service.list_countries(
        session, page_request(page_size, cursor, "code"), q, historical
    )
    return page_of(request, response, items, next_cursor)


@router.get(
    "/{code}",
    dependencies=[KNOWN_AT],
    operation_id="getCountry",
    summary="One country",
    responses=problem_responses(304, 404),
)
async def get_country(session: SessionDep, code: CountryCode) -> Country:
    return await service.get_country(session, code)


@router.get(
    "/{code}/memberships",
    dependencies=[KNOWN_AT],
    operation_id="listCountryMemberships",
    response_model=Page[MembershipAsOf],
    summary="A country's status in each organization on a date",
    description="Every organization the country has a recorded relation with, and its status on "
    "`as_of` (`non_member` before it joined; `unknown` where no source speaks of that date, "
    "with the last and next known status), with the period and the event that says so.",
    responses=problem_responses(304, 400, 404),
)
@stamps_own_data_version
async def list_country_memberships(
    request: Request,
    session: SessionDep,
    reader: ReaderDep,
    code: CountryCode,
    status: StatusList = None,
    category: CategorySlug = None,
    system: SystemFilter = None,
    as_of: AsOf = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Response:
    filters = membership_service.MembershipFilters(
        as_of=as_of_or_today(as_of),
        country=code,
        statuses=parse_enum_list("status", status, MembershipStatus),
        category_ids=await category_service.descendant_ids(session, category, "category")
        if category
        else None,
        system=system,
    )
    page = await membership_service.memberships_as_of(
        reader, filters, page_request(page_size, cursor, "organization")
    )
    request.state.data_version = page.data_version
    if not page.found:
        await service.resolve_country(session, code)  # raises the 404
    return json_page_of(request, page.items_json, page.next_cursor)


@router.get(
    "/{code}/timeline",
    dependencies=[KNOWN_AT],
    operation_id="getCountryTimeline",
    response_model=Page[Timeline],
    summary="A country's history in each organization, as gap-free periods with events and sources",
    responses=problem_responses(304, 400, 404),
)
@stamps_own_data_version
async def get_country_timeline(
    request: Request,
    session: SessionDep,
    reader: ReaderDep,
    code: CountryCode,
    organization: OnlyOrganization = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Response:
    page = await timeline_service.timelines(
        reader,
        page_request(page_size, cursor, "organization"),
        country=code,
        organization=organization,
    )
    request.state.data_version = page.data_version
    if not page.found:
        await service.resolve_country(session, code)  # raises the 404
        if organization:  # raises the 400
            await organization_service.resolve_organization_parameter(
                session, "organization", organization
            )
    return json_page_of(request, page.items_json, page.next_cursor)


@router.get(
    "/{code}/timeline.svg",
    dependencies=[KNOWN_AT],
    operation_id="getCountryTimelineChart",
    response_class=Response,
    summary="A country's history in each organization, drawn as an SVG chart",
    responses={**SVG_CHART, **problem_responses(304, 400, 404)},
)
async def get_country_timeline_chart(
    session: SessionDep,
    reader: ReaderDep,
    code: CountryCode,
    organization: OnlyOrganization = None,
    lang: LangParam = "en",
) -> Response:
    country = await service.resolve_country(session, code)  # raises the 404
    if organization:
        organization = await organization_service.resolve_organization_parameter(
            session, "organization", organization
        )
    svg = await timeline_views.country_chart(reader, country, lang, today(), organization)
    return Response(svg.encode(), media_type="image/svg+xml")


@router.get(
    "/{code}/changes",
    dependencies=[KNOWN_AT],
    operation_id="listCountryChanges",
    summary="Every status change of a country that took effect between two dates",
    description="Joined, left, suspended, a withdrawal becoming pending...: each change with the "
    "status before and after and the events behind it. Dates are inclusive; by default the "
    "365 days up to today. Changes whose date is unknown are not placed on the calendar.",
    responses=problem_responses(304, 400, 404),
)
async def list_country_changes(
    request: Request,
    response: Response,
    session: SessionDep,
    code: CountryCode,
    from_: Annotated[
        IsoDate | None, Query(alias="from", description="First day (inclusive).")
    ] = None,
    to: Annotated[IsoDate | None, Query(description="Last day (inclusive); default today.")] = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[StatusChange]:
    end = to or today()
    start = from_ or end - dt.timedelta(days=365)
    if start > end:
        raise InvalidParameter("from", f"`from` ({start}) is after `to` ({end}).")
    country = await service.resolve_country(session, code)  # raises the 404
    items, next_cursor = await timeline_service.changes(
        session, country, start, end, page_request(page_size, cursor, "date", (str, str))
    )
    return page_of(request, response, items, next_cursor)
