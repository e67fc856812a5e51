"""The OpenAPI document, with FastAPI's default validation answer replaced by ours.

FastAPI documents a 422 `HTTPValidationError` on every operation with parameters; this API
answers bad parameters with a 400 problem document and bad bodies with a 422 one, so the
default entries are rewritten to the shared Problem schema (or dropped where no body exists).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


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
        for item in spec.get("paths", {}).values():
            for operation in item.values():
                responses = operation.get("responses", {})
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
