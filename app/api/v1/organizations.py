"""/v1/organizations"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.auth import WriterDep
from app.api.deps import stamps_own_data_version
from app.api.pagination import Cursor, PageSize, json_page_of, page_of, set_link_header
from app.api.params import (
    KNOWN_AT,
    AsOf,
    CategorySlug,
    LangParam,
    StatusList,
    SystemFilter,
    as_of_or_today,
    parse_enum_list,
    parse_list,
)
from app.api.writes import ChangeReason, IdempotencyKey, IfMatch, precondition, run_write
from app.clock import today
from app.db import ReaderDep, SessionDep
from app.errors import InvalidParameter, NotFound
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.memberships import MembershipAsOf
from app.schemas.organizations import (
    Organization,
    OrganizationList,
    Suggestions,
)
from app.schemas.problem import SVG_CHART, problem_responses
from app.schemas.revisions import RevisionOut
from app.schemas.timelines import Timeline
from app.schemas.writes import MergeRequest, OrganizationCreate, OrganizationPatch
from app.services import categories as category_service
from app.services import countries as country_service
from app.services import memberships as membership_service
from app.services import organizations as service
from app.services import revisions as revision_service
from app.services import sources as source_service
from app.services import timeline_views
from app.services import timelines as timeline_service
from app.services.documents import Document
from app.services.meta import data_version
from app.services.search import SearchQuery
from app.services.writes import organizations as writes
from app.vocabulary import MembershipStatus, OrganizationKind

router = APIRouter(prefix="/organizations", tags=["organizations"])
OrganizationKey = Annotated[str, Path(description="Organization id or slug.", examples=["unfccc"])]
RECORDED = [
    s for s in MembershipStatus if s not in (MembershipStatus.non_member, MembershipStatus.unknown)
]


SearchText = Annotated[
    str,
    Query(
        min_length=1,
        max_length=200,
        description="Any name or acronym, any language; case, accents, punctuation, simplified "
        "or traditional Chinese and small typos do not matter.",
        examples=["unfcc"],
    ),
]
FACETS = ("category", "system", "status")
MAX_IDS = 500


@router.get(
    "",
    dependencies=[KNOWN_AT],
    operation_id="listOrganizations",
    response_model=OrganizationList,
    summary="Search, filter and list organizations",
    description="`q` searches every name and acronym in every language and ranks exact acronym "
    "and name matches first, then prefixes and full-text matches, and typo-tolerant ones where "
    "nothing else matches (`sort=relevance`, "
    "the default with `q`). Filter by category, system, kind, the act that lists them "
    "(`listed_in`), or a country's status in them on a date (`member` + `status` + `as_of`). "
    "`ids=` looks up to 500 ids or slugs at once; `facets=` adds counts for the whole filter.",
    responses=problem_responses(304, 400),
)
@stamps_own_data_version
async def list_organizations(
    request: Request,
    session: SessionDep,
    reader: ReaderDep,
    q: Annotated[SearchText | None, Query()] = None,
    ids: Annotated[
        str | None,
        Query(
            description=f"Comma-separated ids or slugs, at most {MAX_IDS}.", examples=["unfccc,who"]
        ),
    ] = None,
    category: CategorySlug = None,
    system: SystemFilter = None,
    kind: Annotated[
        OrganizationKind | None,
        Query(description="What kind of body it is.", examples=["specialized_agency"]),
    ] = None,
    identifier: Annotated[
        str | None,
        Query(
            description="`scheme:value`: the organization another dataset knows under this key "
            "(`wikidata:Q7817`, `cow_igo:4550`).",
            pattern=r"^[a-z][a-z0-9_]*:.+$",
            max_length=240,
            examples=["cow_igo:4550"],
        ),
    ] = None,
    listed_in: Annotated[
        str | None,
        Query(
            description="Source id of an act (for example the 2026-01-07 memorandum).",
            max_length=100,
        ),
    ] = None,
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
    facets: Annotated[
        str | None, Query(description="Comma-separated: category, system, status.", max_length=100)
    ] = None,
    sort: Annotated[
        Literal["relevance", "slug", "-slug", "name", "-name"] | None,
        Query(
            description="Order: `relevance` (the default with `q`), `slug` (the default "
            "without), `name` (English name); `-` reverses.",
        ),
    ] = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Response:
    statuses = parse_enum_list("status", status, MembershipStatus)
    if member is None and (statuses or as_of is not None):
        raise InvalidParameter(
            "member", "`status` and `as_of` filter on a country's status: add `member`."
        )
    wanted_facets = parse_list("facets", facets, allowed=FACETS)
    if "status" in wanted_facets and member is None:
        raise InvalidParameter(
            "facets", "The status facet counts a country's statuses: add `member`."
        )
    order = sort or ("relevance" if q is not None else "slug")
    if order == "relevance" and q is None:
        raise InvalidParameter("sort", "`sort=relevance` ranks search results: add `q`.")
    keys = parse_list("ids", ids, max_items=MAX_IDS)
    search = SearchQuery.parse(q) if q is not None else None
    filters = service.OrganizationFilters(
        q=search,
        ids=keys or None,
        category_ids=await category_service.descendant_ids(session, category, "category")
        if category
        else None,
        system=system,
        kind=kind,
        identifier=_scheme_and_value(identifier) if identifier else None,
        listed_in=await source_service.resolve_source_parameter(session, "listed_in", listed_in)
        if listed_in
        else None,
        member=await country_service.resolve_country_parameter(session, "member", member)
        if member
        else None,
        statuses=statuses or RECORDED,
        as_of=as_of_or_today(as_of),
    )
    page = page_request(page_size, cursor, order, service.sort_key_types(order))
    request.state.data_version = await data_version(reader)
    items, next_cursor = "[]", None
    if q is None or search is not None:  # a q with nothing searchable matches nothing
        items, next_cursor = await service.list_organizations(reader, filters, page)
    counts = await service.facet_counts(session, filters, wanted_facets) if wanted_facets else None
    missing = await service.missing_keys(session, keys) if keys else None
    body = (
        f'{{"items":{items},"next_cursor":{json.dumps(next_cursor)},'
        f'"facets":{counts.model_dump_json() if counts else "null"},'
        f'"missing":{json.dumps(missing)}}}'
    )
    response = Response(body.encode(), media_type="application/json")
    set_link_header(request, response, next_cursor)
    return response


def _scheme_and_value(identifier: str) -> tuple[str, str]:
    scheme, value = identifier.split(":", 1)
    return scheme, value


@router.get(
    "/autocomplete",
    dependencies=[KNOWN_AT],
    operation_id="autocompleteOrganizations",
    response_model=Suggestions,
    summary="Top matches for a typeahead picker",
    description="The best-ranked organizations for a partial name or acronym in any language.",
    responses=problem_responses(304, 400),
)
@stamps_own_data_version
async def autocomplete_organizations(
    request: Request,
    reader: ReaderDep,
    q: SearchText,
    limit: Annotated[int, Query(ge=1, le=20, description="How many suggestions (1-20).")] = 10,
) -> Response:
    request.state.data_version = await data_version(reader)
    search = SearchQuery.parse(q)
    items = await service.autocomplete(reader, search, limit) if search else "[]"
    return Response(f'{{"items":{items}}}'.encode(), media_type="application/json")


@router.get(
    "/{organization}",
    dependencies=[KNOWN_AT],
    operation_id="getOrganization",
    response_model=Organization,
    summary="One organization with its names, claims, listings and sources",
    responses=problem_responses(304, 308, 400, 404, 410),
)
@stamps_own_data_version
async def get_organization(
    request: Request, session: SessionDep, reader: ReaderDep, organization: OrganizationKey
) -> Response:
    version, document = await service.organization_document(reader, organization)
    request.state.data_version = version
    if document is None:
        await service.resolve_organization_id(session, organization)  # raises 404, 410 or 308
        raise NotFound(f"No organization with id or slug '{organization}'.")
    return Response(document.body, media_type="application/json")


async def as_served(session: SessionDep, written: Awaitable[Organization]) -> Document:
    """A write's result as a GET answers it: the same bytes, so the same ETag."""
    organization = await written
    _, document = await service.organization_document(session, organization.id)
    if document is None:
        raise NotFound(f"No organization with id '{organization.id}'.")
    return document


@router.get(
    "/{organization}/memberships",
    dependencies=[KNOWN_AT],
    operation_id="listOrganizationMemberships",
    response_model=Page[MembershipAsOf],
    summary="The countries tied to an organization and their status on a date",
    responses=problem_responses(304, 308, 400, 404, 410),
)
@stamps_own_data_version
async def list_organization_memberships(
    request: Request,
    session: SessionDep,
    reader: ReaderDep,
    organization: OrganizationKey,
    status: StatusList = None,
    as_of: AsOf = None,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Response:
    filters = membership_service.MembershipFilters(
        as_of=as_of_or_today(as_of),
        organization=organization,
        statuses=parse_enum_list("status", status, MembershipStatus),
    )
    page = await membership_service.memberships_as_of(
        reader, filters, page_request(page_size, cursor, "country")
    )
    request.state.data_version = page.data_version
    if not page.found:
        await service.resolve_organization_id(session, organization)  # raises 404, 410 or 308
    return json_page_of(request, page.items_json, page.next_cursor)


@router.get(
    "/{organization}/timeline",
    dependencies=[KNOWN_AT],
    operation_id="getOrganizationTimeline",
    response_model=Page[Timeline],
    summary="Each country's history in an organization: gap-free periods, events, sources",
    responses=problem_responses(304, 308, 400, 404, 410),
)
@stamps_own_data_version
async def get_organization_timeline(
    request: Request,
    session: SessionDep,
    reader: ReaderDep,
    organization: OrganizationKey,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Response:
    page = await timeline_service.timelines(
        reader, page_request(page_size, cursor, "country"), organization=organization
    )
    request.state.data_version = page.data_version
    if not page.found:
        await service.resolve_organization_id(session, organization)  # raises 404, 410 or 308
    return json_page_of(request, page.items_json, page.next_cursor)


@router.get(
    "/{organization}/timeline.svg",
    dependencies=[KNOWN_AT],
    operation_id="getOrganizationTimelineChart",
    response_class=Response,
    summary="Each country's history in an organization, drawn as an SVG chart",
    responses={**SVG_CHART, **problem_responses(304, 308, 400, 404, 410)},
)
async def get_organization_timeline_chart(
    session: SessionDep, reader: ReaderDep, organization: OrganizationKey, lang: LangParam = "en"
) -> Response:
    org_id = await service.resolve_organization_id(session, organization)
    svg = await timeline_views.organization_chart(reader, org_id, lang, today())
    return Response(svg.encode(), media_type="image/svg+xml")


WRITE_ERRORS = problem_responses(308, 400, 401, 403, 404, 409, 410, 413, 415, 422)


@router.post(
    "",
    operation_id="createOrganization",
    summary="Create an organization (scope `write`)",
    status_code=201,
    response_model=Organization,
    responses=WRITE_ERRORS,
)
async def create_organization(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    body: OrganizationCreate,
    reason: ChangeReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda actor: as_served(session, writes.create_organization(session, body, actor)),
        status=201,
        idempotency_key=idempotency_key,
        location=lambda org: f"/v1/organizations/{org.id}",
    )


@router.patch(
    "/{organization}",
    operation_id="updateOrganization",
    summary="Change an organization with a JSON merge patch (scope `write`, If-Match required)",
    response_model=Organization,
    responses=problem_responses(308, 400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428),
)
async def update_organization(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    organization: OrganizationKey,
    body: OrganizationPatch,
    if_match: IfMatch = None,
    reason: ChangeReason = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda who: as_served(
            session,
            writes.update_organization(session, organization, body, precondition(if_match), who),
        ),
        status=200,
    )


@router.delete(
    "/{organization}",
    operation_id="deleteOrganization",
    summary="Delete an organization; its id then answers 410 (scope `write`, If-Match required)",
    status_code=204,
    responses=problem_responses(308, 401, 403, 404, 410, 412, 428),
)
async def delete_organization(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    organization: OrganizationKey,
    if_match: IfMatch = None,
    reason: ChangeReason = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda who: writes.delete_organization(session, organization, precondition(if_match), who),
        status=204,
    )


@router.post(
    "/{organization}/merge",
    operation_id="mergeOrganization",
    summary="Merge this organization into another; its id then answers 308 (scope `write`)",
    response_model=Organization,
    responses=WRITE_ERRORS,
)
async def merge_organization(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    organization: OrganizationKey,
    body: MergeRequest,
    reason: ChangeReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda actor: as_served(
            session, writes.merge_organizations(session, organization, body.into, actor)
        ),
        status=200,
        idempotency_key=idempotency_key,
    )


@router.get(
    "/{organization}/revisions",
    dependencies=[KNOWN_AT],
    operation_id="listOrganizationRevisions",
    summary="Who changed this organization, when, why, and what (also after a delete or merge)",
    responses=problem_responses(304, 400, 404),
)
async def list_organization_revisions(
    request: Request,
    response: Response,
    session: SessionDep,
    organization: OrganizationKey,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[RevisionOut]:
    org_id = await service.find_organization_id(session, organization)
    items, next_cursor = await revision_service.history(
        session, "organization", [org_id], page_request(page_size, cursor, "id", (int,))
    )
    return page_of(request, response, items, next_cursor)
