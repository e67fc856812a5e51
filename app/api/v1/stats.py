"""/v1/stats"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.api.pagination import Cursor, PageSize, page_of
from app.api.params import (
    KNOWN_AT,
    AsOf,
    CategorySlug,
    StatusList,
    SystemFilter,
    as_of_or_today,
    parse_enum_list,
    parse_list,
)
from app.db import SessionDep
from app.errors import InvalidParameter
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.contributions import ContributionStats
from app.schemas.problem import problem_responses
from app.schemas.stats import ExitStats, OrganizationStats
from app.schemas.timelines import MembershipStats
from app.services import categories as category_service
from app.services import contributions as contribution_service
from app.services import countries as country_service
from app.services import organizations as organization_service
from app.services import sources as source_service
from app.services import stats as stats_service
from app.services import timelines as service
from app.vocabulary import TIES, MembershipStatus

router = APIRouter(prefix="/stats", tags=["stats"])
MAX_ORGANIZATIONS = 100


@router.get(
    "/memberships",
    dependencies=[KNOWN_AT],
    operation_id="getMembershipStats",
    summary="Counts of organizations by a country's status, by system and by category",
    description="Over every organization the filters keep (`listed_in` the memorandum, say), "
    "count the country's status on `as_of`: organizations the registry holds no record or no "
    "evidence for on that date count as `unknown`, never as `non_member`. For example "
    "`country=US&listed_in=<memorandum>&as_of=2026-01-08`.",
    responses=problem_responses(304, 400),
)
async def get_membership_stats(
    session: SessionDep,
    country: Annotated[str, Query(description="ISO country code.", examples=["US"])],
    as_of: AsOf = None,
    listed_in: Annotated[
        str | None,
        Query(description="Source id of an act: count only what it lists.", max_length=100),
    ] = None,
    system: SystemFilter = None,
    category: CategorySlug = None,
) -> MembershipStats:
    code = await country_service.resolve_country_parameter(session, "country", country)
    return await service.membership_stats(
        session,
        (await country_service.get_country(session, code)),
        as_of_or_today(as_of),
        listed_in=await source_service.resolve_source_parameter(session, "listed_in", listed_in)
        if listed_in
        else None,
        system=system,
        category_ids=await category_service.descendant_ids(session, category, "category")
        if category
        else None,
    )


@router.get(
    "/organizations",
    dependencies=[KNOWN_AT],
    operation_id="getOrganizationStats",
    summary="Members per organization on a date, with the member lists behind them",
    description="For each organization the filters keep (by slug), its states counted by status "
    "on `as_of`, and its published member lists. `members` counts full members, those whose "
    "withdrawal is pending and suspended ones. For example `organization=who,unesco&as_of="
    "2027-01-01`.",
    responses=problem_responses(304, 400),
)
async def get_organization_stats(
    request: Request,
    response: Response,
    session: SessionDep,
    organization: Annotated[
        str | None,
        Query(
            description=f"Comma-separated ids or slugs, at most {MAX_ORGANIZATIONS}.",
            examples=["who,unesco"],
        ),
    ] = None,
    as_of: AsOf = None,
    system: SystemFilter = None,
    category: CategorySlug = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[OrganizationStats]:
    items, next_cursor = await stats_service.organization_stats(
        session,
        as_of_or_today(as_of),
        page_request(page_size, cursor, "slug"),
        keys=parse_list("organization", organization, max_items=MAX_ORGANIZATIONS) or None,
        system=system,
        category_ids=await category_service.descendant_ids(session, category, "category")
        if category
        else None,
    )
    return page_of(request, response, items, next_cursor)


@router.get(
    "/exits",
    dependencies=[KNOWN_AT],
    operation_id="getExitStats",
    summary="Withdrawals per year, and the states withdrawing the most",
    description="Explicit withdrawals recorded by curated events, any country: per year those "
    "begun (announced or notified) and those that took effect, and per state, the most "
    "effective exits first. Dates known only to the year count in that year; undated ones in "
    "none. The Correlates of War data records yearly membership, not withdrawals, so its "
    "years are not counted.",
    responses=problem_responses(304, 400),
)
async def get_exit_stats(
    session: SessionDep,
    from_year: Annotated[
        int, Query(alias="from", ge=1816, le=2100, description="First year counted.")
    ] = 2015,
    to_year: Annotated[
        int, Query(alias="to", ge=1816, le=2100, description="Last year counted.")
    ] = 2027,
    country: Annotated[str | None, Query(description="ISO country code.")] = None,
    organization: Annotated[
        str | None, Query(description="Organization id or slug.", max_length=200)
    ] = None,
    system: SystemFilter = None,
) -> ExitStats:
    if from_year > to_year:
        raise InvalidParameter("to", f"`to` ({to_year}) is before `from` ({from_year}).")
    return await stats_service.exit_stats(
        session,
        from_year,
        to_year,
        country=await country_service.resolve_country_parameter(session, "country", country)
        if country
        else None,
        organization_id=await organization_service.resolve_organization_parameter(
            session, "organization", organization
        )
        if organization
        else None,
        system=system,
    )


@router.get(
    "/contributions",
    dependencies=[KNOWN_AT],
    operation_id="getContributionStats",
    summary="A country's status in organizations, joined with what it paid them",
    description="The organizations where the country has one of `status` on `as_of` (default: "
    "any tie, from `member` to `withdrawal_pending`), or that the act `listed_in` lists, each "
    "with the country's status and every figure the registry holds for it: amounts and shares "
    "with their qualifiers and sources. Organizations with no figure are counted as such "
    "(unknown, not zero); shares are never added across organizations, amounts only per "
    "currency and kind. For example `country=US&listed_in=<memorandum>&as_of=2026-01-08`, or "
    "`country=US&status=withdrawal_pending,withdrawn&as_of=2026-06-01`.",
    responses=problem_responses(304, 400),
)
async def get_contribution_stats(
    session: SessionDep,
    country: Annotated[str, Query(description="ISO country code.", examples=["US"])],
    as_of: AsOf = None,
    listed_in: Annotated[
        str | None,
        Query(description="Source id of an act: keep what it lists.", max_length=100),
    ] = None,
    status: StatusList = None,
) -> ContributionStats:
    code = await country_service.resolve_country_parameter(session, "country", country)
    statuses = parse_enum_list("status", status, MembershipStatus)
    if not statuses and listed_in is None:
        statuses = sorted(TIES)
    return await contribution_service.contribution_stats(
        session,
        await country_service.get_country(session, code),
        as_of_or_today(as_of),
        listed_in=await source_service.resolve_source_parameter(session, "listed_in", listed_in)
        if listed_in
        else None,
        statuses=statuses,
    )
