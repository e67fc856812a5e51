"""/v1/export: the whole registry as NDJSON or CSV, streamed from one snapshot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.api.negotiation import negotiate
from app.db import SnapshotDep, SnapshotOpener
from app.http_cache import matches
from app.schemas.problem import problem_responses
from app.services.exports import MEDIA_TYPES, Format, Resource, export_lines
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
    request: Request, open_snapshot: SnapshotOpener, resource: Resource, format_name: str | None
) -> Response:
    offers = {media_type: name for name, media_type in MEDIA_TYPES.items()}
    fmt: Format = (
        "csv" if negotiate(request, offers, format_name=format_name) == "csv" else "ndjson"
    )
    stack = AsyncExitStack()
    connection = await stack.enter_async_context(open_snapshot())
    try:
        version = await data_version(connection)
    except BaseException:
        await stack.aclose()
        raise
    etag = f'"{resource}-{fmt}-v{version}"'
    headers = {
        "ETag": etag,
        "X-Data-Version": str(version),
        "Content-Disposition": f'attachment; filename="orgreg-{resource}-v{version}.{fmt}"',
    }
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and matches(if_none_match, etag):
        await stack.aclose()
        return Response(status_code=304, headers=headers)

    async def body() -> AsyncIterator[bytes]:
        async with stack:
            async for chunk in export_lines(connection, resource, fmt):
                yield chunk

    return StreamingResponse(body(), media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get(
    "/organizations",
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
    operation_id="exportMemberships",
    summary="Every membership with its periods and events (NDJSON), or every period (CSV)",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_memberships(
    request: Request, open_snapshot: SnapshotDep, format: FormatParam = None
) -> Response:
    return await _export(request, open_snapshot, "memberships", format)
