"""The OpenAPI document, with FastAPI's default validation answer replaced by ours.

FastAPI documents a 422 `HTTPValidationError` on every operation with parameters; this API
answers bad parameters with a 400 problem document and bad bodies with a 422 one, so the
default entries are rewritten to the shared Problem schema (or dropped where no body exists).
The answers any operation can give (400, 401, 429, 503) are documented on all of them.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
ANY_OPERATION = {
    "400": "A malformed request: a bad parameter, header or (malformed) JSON body.",
    "401": "An unknown, revoked or expired API key (or none, where one is needed).",
    "429": "Too many requests from this client (when a rate limit is configured); see Retry-After.",
    "503": "The database is unavailable or too slow right now; retry after Retry-After seconds.",
}
"""Answers any v1 operation can give, whatever its own documentation lists."""


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
            license_info=app.license_info,
        )
        for path, item in spec.get("paths", {}).items():
            for operation in item.values():
                responses = operation.get("responses", {})
                if path.startswith("/v1/"):
                    for status, description in ANY_OPERATION.items():
                        responses.setdefault(
                            status,
                            {
                                "description": description,
                                "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                            },
                        )
                default = responses.get("422", {}).get("content", {}).get("application/json", {})
                if "HTTPValidationError" not in str(default.get("schema", "")):
                    continue
                if "requestBody" in operation:
                    responses["422"] = {
                        "description": "Invalid request body; `errors` names each bad field.",
                        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                    }
                else:
                    del responses["422"]
        schemas = spec.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
