"""/v1/export: the whole registry as NDJSON or CSV, streamed from one snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.api.negotiation import negotiate
from app.api.params import KNOWN_AT, AsOf, as_of_or_today
from app.db import SessionDep, SnapshotDep, SnapshotOpener, known_at_of
from app.http_cache import matches
from app.schemas.problem import problem_responses
from app.services import organizations as organization_service
from app.services.exports import MEDIA_TYPES, Format, Resource, StatusOn, export_lines
from app.services.known import as_known_at
from app.services.meta import data_version

router = APIRouter(prefix="/export", tags=["export"])

FormatParam = Annotated[
    Literal["ndjson", "csv"] | None,
    Query(description="Overrides the Accept header: `ndjson` (default) or `csv`."),
]
EXPORT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The export, streamed. `X-Data-Version` and the ETag name the data version.",
        "content": {
            media_type: {"schema": {"type": "string"}} for media_type in MEDIA_TYPES.values()
        },
    },
    **problem_responses(304, 400, 406),
}


async def _export(
    request: Request,
    open_snapshot: SnapshotOpener,
    resource: Resource,
    format_name: str | None,
    status_on: StatusOn | None = None,
) -> Response:
    offers = {media_type: name for name, media_type in MEDIA_TYPES.items()}
    fmt: Format = (
        "csv" if negotiate(request, offers, format_name=format_name) == "csv" else "ndjson"
    )
    stack = AsyncExitStack()
    connection = await stack.enter_async_context(open_snapshot())
    try:
        moment = known_at_of(request)
        if moment is not None:
            await stack.enter_async_context(as_known_at(connection, moment))
        version = await data_version(connection)
    except BaseException:
        await stack.aclose()
        raise
    name: str = resource
    if status_on is not None:
        name += f"-{status_on.organization or 'all'}-{status_on.as_of.isoformat()}"
    if moment is not None:
        name += f"-known-at-{moment.astimezone(dt.UTC).strftime('%Y%m%dT%H%M%S.%fZ')}"
    etag = f'"{name}-{fmt}-v{version}"'
    headers = {
        "ETag": etag,
        "X-Data-Version": str(version),
        "Content-Disposition": f'attachment; filename="orgreg-{name}-v{version}.{fmt}"',
    }
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and matches(if_none_match, etag):
        await stack.aclose()
        return Response(status_code=304, headers=headers)

    async def body() -> AsyncIterator[bytes]:
        async with stack:
            async for chunk in export_lines(connection, resource, fmt, status_on):
                yield chunk

    return StreamingResponse(body(), media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get(
    "/organizations",
    dependencies=[KNOWN_AT],
    operation_id="exportOrganizations",
    summary="Every organization with its names and categories, as NDJSON or CSV",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_organizations(
    request: Request, open_snapshot: SnapshotDep, format: FormatParam = None
) -> Response:
    return await _export(request, open_snapshot, "organizations", format)


@router.get(
    "/memberships",
    dependencies=[KNOWN_AT],
    operation_id="exportMemberships",
    summary="Every membership with its periods and events (NDJSON), or every period (CSV)",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_memberships(
    request: Request, open_snapshot: SnapshotDep, format: FormatParam = None
) -> Response:
    return await _export(request, open_snapshot, "memberships", format)


@router.get(
    "/status",
    dependencies=[KNOWN_AT],
    operation_id="exportStatusOnDate",
    summary="Every pair's status on one date, with the evidence and source URLs behind it",
    description="One line per country x organization pair the registry records: its status on "
    "`as_of` (today if not given), the period it falls in, the event that period rests on and "
    "the URLs of its sources; `unknown` where no source speaks for that date. For example "
    "`organization=who&as_of=2026-06-01&format=csv`.",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_status(
    request: Request,
    session: SessionDep,
    open_snapshot: SnapshotDep,
    as_of: AsOf = None,
    organization: Annotated[
        str | None, Query(description="One organization (id or slug).", max_length=200)
    ] = None,
    format: FormatParam = None,
) -> Response:
    org_id = (
        await organization_service.resolve_organization_parameter(
            session, "organization", organization
        )
        if organization
        else None
    )
    return await _export(
        request, open_snapshot, "status", format, StatusOn(as_of_or_today(as_of), org_id)
    )


@router.get(
    "/contributions",
    dependencies=[KNOWN_AT],
    operation_id="exportContributions",
    summary="Every contribution with its sources, as NDJSON or CSV",
    description="One line per contribution: NDJSON with its sources (id and URL), or flat CSV "
    "with the source ids (`;`-separated) and URLs (space-separated). Amounts and shares as "
    "stored, each with its qualifier; an empty period is one no source gives.",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_contributions(
    request: Request, open_snapshot: SnapshotDep, format: FormatParam = None
) -> Response:
    return await _export(request, open_snapshot, "contributions", format)
