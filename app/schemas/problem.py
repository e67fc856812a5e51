"""The one documented error shape (RFC 9457)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ProblemError(BaseModel):
    location: str = Field(description="Where the bad value was: query, path, header or body.")
    name: str = Field(description="The parameter or field name.")
    detail: str


class Problem(BaseModel):
    type: str = Field(examples=["/problems/not-found"])
    title: str = Field(examples=["Resource not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No organization with id or slug 'unfcc'."])
    instance: str | None = Field(default=None, examples=["/v1/organizations/unfcc"])
    errors: list[ProblemError] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI `responses=` entries documenting problem documents for these status codes."""
    descriptions = {
        304: "Not modified (If-None-Match matched the current ETag).",
        308: "Merged into another organization: Location names the one that survives.",
        400: "Invalid or unknown query parameter, or a bad cursor.",
        401: "No API key, or an unknown, revoked or expired one.",
        403: "The API key lacks the scope this operation needs.",
        404: "No such resource.",
        406: "The Accept header admits none of this operation's representations.",
        409: "Conflicts with a rule or the current state (duplicate, impossible order, in use).",
        410: "Deleted (or, for /v1/changes, a cursor older than the retention window).",
        412: "If-Match does not match the current ETag: someone changed it since you read it.",
        413: "Request body too large.",
        415: "Content-Type is not application/json (or application/merge-patch+json for PATCH).",
        422: "Invalid request body; `errors` names each bad field.",
        428: "If-Match is required.",
        500: "Unexpected server error.",
        503: "Database unavailable.",
    }
    responses: dict[int | str, dict[str, object]] = {}
    for status in statuses:
        if status == 304:
            responses[status] = {"description": descriptions[status]}
            continue
        responses[status] = {
            "description": descriptions.get(status, "Problem"),
            "model": Problem,
            "content": {"application/problem+json": {}},
        }
    return responses


SVG_CHART: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An SVG chart: one row per timeline, periods coloured by status, what is "
        "not known hatched, each period linking to its evidence. Embed it with `<img>` or "
        "`<object>` (links work in `<object>` and inline).",
        "content": {"image/svg+xml": {"schema": {"type": "string"}}},
    }
}
"""The `responses=` entry of the timeline charts."""
