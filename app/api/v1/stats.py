"""/v1/stats"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.params import AsOf, CategorySlug, as_of_or_today
from app.db import SessionDep
from app.schemas.problem import problem_responses
from app.schemas.timelines import MembershipStats
from app.services import categories as category_service
from app.services import countries as country_service
from app.services import sources as source_service
from app.services import timelines as service
from app.vocabulary import System

router = APIRouter(prefix="/stats", tags=["stats"])


@router.get(
    "/memberships",
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
    system: System | None = None,
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
