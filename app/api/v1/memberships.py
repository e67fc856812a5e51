"""/v1/memberships"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.auth import WriterDep
from app.api.deps import stamps_own_data_version
from app.api.negotiation import negotiate
from app.api.pagination import Cursor, PageSize, page_of
from app.api.params import KNOWN_AT
from app.api.writes import ChangeReason, IdempotencyKey, run_write
from app.db import ReaderDep, SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.renderers import ICAL_MEDIA_TYPE, upcoming_calendar
from app.schemas.memberships import AddedEvent as AddedEventOut
from app.schemas.memberships import AddedEvents, Membership, MembershipHistory
from app.schemas.problem import problem_responses
from app.schemas.revisions import RevisionOut
from app.schemas.timelines import Upcoming
from app.schemas.writes import EventBatch, EventCreate, MembershipCreate
from app.services import countries as country_service
from app.services import membership_history as history_service
from app.services import memberships as service
from app.services import revisions as revision_service
from app.services import timelines as timeline_service
from app.services.writes import memberships as writes
from app.services.writes.common import Actor

router = APIRouter(prefix="/memberships", tags=["memberships"])
MembershipId = Annotated[
    str, Path(description="Membership id.", examples=["mem_ba3vdubq6z7y"], max_length=100)
]

WithinDays = Annotated[
    int, Query(ge=1, le=3650, description="How far ahead to look, in days (1-3650).")
]
CountryFilter = Annotated[
    str | None, Query(description="Only this country (ISO code).", examples=["US"])
]
CALENDAR_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {
        "content": {ICAL_MEDIA_TYPE: {"schema": {"type": "string"}}},
        "description": "Upcoming changes as JSON, or as iCalendar (`Accept: text/calendar`).",
    }
}


async def _upcoming(session: SessionDep, within_days: int, country: str | None) -> Upcoming:
    code = (
        await country_service.resolve_country_parameter(session, "country", country)
        if country
        else None
    )
    return await timeline_service.upcoming(session, within_days, code)


def _calendar(upcoming: Upcoming) -> Response:
    # Stamped with the day, not the second, so the feed (and its ETag) only changes with the data.
    stamp = dt.datetime.combine(upcoming.today, dt.time(), tzinfo=dt.UTC)
    body = upcoming_calendar(upcoming, generated_at=stamp)
    return Response(
        body,
        media_type=f"{ICAL_MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="orgreg-upcoming.ics"'},
    )


@router.get(
    "/upcoming",
    dependencies=[KNOWN_AT],
    operation_id="listUpcomingChanges",
    summary="Pending membership changes: those with a known date, and those without",
    description="`scheduled`: changes that take effect within `within_days` (UNESCO's "
    "2026-12-31 is one). `unscheduled`: withdrawals under way whose effective date no source "
    "gives; they are never given a made-up date. Send `Accept: text/calendar` (or use "
    "`/v1/memberships/upcoming.ics`) for an iCalendar feed of the day-precise ones.",
    response_model=Upcoming,
    responses={**CALENDAR_RESPONSE, **problem_responses(304, 400, 406)},
)
async def list_upcoming_changes(
    request: Request,
    session: SessionDep,
    within_days: WithinDays = 365,
    country: CountryFilter = None,
) -> Any:
    representation = negotiate(request, {"application/json": "json", ICAL_MEDIA_TYPE: "ical"})
    upcoming = await _upcoming(session, within_days, country)
    return _calendar(upcoming) if representation == "ical" else upcoming


@router.get(
    "/upcoming.ics",
    dependencies=[KNOWN_AT],
    operation_id="getUpcomingChangesCalendar",
    summary="Upcoming membership changes as an iCalendar feed for calendar apps",
    response_class=Response,
    responses={**CALENDAR_RESPONSE, **problem_responses(400)},
)
async def get_upcoming_changes_calendar(
    session: SessionDep,
    within_days: WithinDays = 365,
    country: CountryFilter = None,
) -> Response:
    return _calendar(await _upcoming(session, within_days, country))


@router.post(
    "/events",
    operation_id="addMembershipEvents",
    summary="Add many dated events at once, to one membership or many (scope `write`)",
    description="Up to 500 events, all or none, under the same rules as "
    "`POST /v1/memberships/{id}/events`, each checked against the events before it (earlier "
    "items of the request included). Each event is its own revision and change-feed entry. An "
    "error names the item (`events.3.date`, or `events.3: ...` for a 409).",
    status_code=201,
    response_model=AddedEvents,
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def add_membership_events(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    body: EventBatch,
    reason: ChangeReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    items = [writes.NewEvent(item.membership, item) for item in body.events]

    async def add(actor: Actor) -> AddedEvents:
        added = await writes.add_events(session, items, actor)
        return AddedEvents(items=[AddedEventOut(**vars(a)) for a in added])

    return await run_write(
        request,
        session,
        principal,
        reason,
        add,
        status=201,
        idempotency_key=idempotency_key,
    )


@router.get(
    "/{membership_id}",
    dependencies=[KNOWN_AT],
    operation_id="getMembership",
    response_model=Membership,
    summary="One country x organization pair: its status periods and dated events with sources",
    responses=problem_responses(304, 404),
)
@stamps_own_data_version
async def get_membership(
    request: Request,
    reader: ReaderDep,
    membership_id: MembershipId,
) -> Response:
    version, document = await service.membership_document(reader, membership_id)
    request.state.data_version = version
    return Response(document.body, media_type="application/json")


@router.post(
    "",
    operation_id="createMembership",
    summary="Record a new country x organization pair (scope `write`)",
    status_code=201,
    response_model=Membership,
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def create_membership(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    body: MembershipCreate,
    reason: ChangeReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda actor: writes.create_membership(session, body, actor),
        status=201,
        idempotency_key=idempotency_key,
        location=lambda m: f"/v1/memberships/{m.id}",
    )


@router.post(
    "/{membership_id}/events",
    operation_id="addMembershipEvent",
    summary="Add a dated event; the status periods are derived again (scope `write`)",
    description="The event must fit the life cycle: no withdrawal of a non-member, no "
    "`withdrawal_effective` before an announcement, no retraction with nothing pending, no date "
    "before the organization was founded, at least one source, a precision that matches the "
    "date. A violation is a 409 that says which rule.",
    status_code=201,
    response_model=Membership,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 415, 422),
)
async def add_membership_event(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    membership_id: MembershipId,
    body: EventCreate,
    reason: ChangeReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda actor: writes.add_event(session, membership_id, body, actor),
        status=201,
        idempotency_key=idempotency_key,
        location=lambda m: f"/v1/memberships/{m.id}",
    )


@router.get(
    "/{membership_id}/history",
    operation_id="getMembershipHistory",
    summary="How the registry's answer for this pair changed: what it said, from when, why, "
    "by which key",
    description="Every distinct answer GET /v1/memberships/{id} has given since history "
    "began, oldest first, each with the moments it held from and until, the data version, and "
    "the revisions recorded at that moment (their reason and the key's name). Each answer is "
    "exactly what `known_at` set to its `known_from` gives.",
    responses=problem_responses(304, 404),
)
async def get_membership_history(
    session: SessionDep, membership_id: MembershipId
) -> MembershipHistory:
    return await history_service.membership_history(session, membership_id)


@router.get(
    "/{membership_id}/revisions",
    dependencies=[KNOWN_AT],
    operation_id="listMembershipRevisions",
    summary="Who changed this membership, when, why, and what",
    responses=problem_responses(304, 400, 404),
)
async def list_membership_revisions(
    request: Request,
    response: Response,
    session: SessionDep,
    membership_id: MembershipId,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[RevisionOut]:
    await service.membership_document(session, membership_id)  # 404 for an unknown id
    items, next_cursor = await revision_service.history(
        session, "membership", [membership_id], page_request(page_size, cursor, "id", (int,))
    )
    return page_of(request, response, items, next_cursor)
