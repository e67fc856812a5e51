"""The OpenAPI document, shaped so that Swagger UI can do everything the API can.

FastAPI's defaults are rewritten in one pass:
- its 422 `HTTPValidationError` becomes our problem documents (400 for parameters, 422 for
  bodies), and the answers any operation can give (400, 401, 429, 503) are listed on all;
- a bearer security scheme: operations that need a key require it (Swagger UI's Authorize
  button then works), the others accept one;
- `If-Match` is marked required where the API answers 428 without it;
- optional parameters lose FastAPI's `anyOf [X, null]` (a query parameter is absent, never
  null) and carry their description at the parameter, where Swagger UI shows it; nullable
  fields become `type: [X, "null"]`;
- every answer has a description, and the data licence stands beside the code's;
- examples come from `app.openapi_examples`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.openapi_examples import attach_examples

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
ANY_OPERATION = {
    "400": "A malformed request: a bad parameter, header or (malformed) JSON body.",
    "401": "An unknown, revoked or expired API key (or none, where one is needed).",
    "429": "Too many requests from this client (when a rate limit is configured); see Retry-After.",
    "503": "The database is unavailable or too slow right now; retry after Retry-After seconds.",
}
"""Answers any v1 operation can give, whatever its own documentation lists."""

SECURITY_SCHEME = "bearerAuth"
"""Declared by app.api.auth.BEARER."""
SUCCESS = {
    "200": "OK",
    "201": "Created: `Location` names the new resource and `ETag` is its version",
    "202": "Accepted",
    "204": "Done; no body",
}
DATA_LICENSE = (
    "\n\n**Licences.** The data is CC-BY-4.0 "
    "(<https://creativecommons.org/licenses/by/4.0/>): credit orgreg and the sources cited "
    "next to each fact. The code is MIT."
)


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=(app.description or "") + DATA_LICENSE,
            routes=app.routes,
            tags=app.openapi_tags,
            license_info=app.license_info,
        )
        spec["info"]["x-data-license"] = {
            "name": "CC-BY-4.0",
            "identifier": "CC-BY-4.0",
            "url": "https://creativecommons.org/licenses/by/4.0/",
        }
        schemas = spec["components"].get("schemas", {})
        for path, item in spec.get("paths", {}).items():
            for operation in item.values():
                _problems(path, operation)
                _security(path, operation)
                _parameters(operation)
                _describe_answers(operation, schemas)
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        for schema in schemas.values():
            _nullable_types(schema)
        attach_examples(spec)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _problems(path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
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
        return
    if "requestBody" in operation:
        responses["422"] = {
            "description": "Invalid request body; `errors` names each bad field.",
            "content": {"application/problem+json": {"schema": PROBLEM_REF}},
        }
    else:
        del responses["422"]


def _security(path: str, operation: dict[str, Any]) -> None:
    """Operations that need a key carry FastAPI's requirement (with the scope); the rest of v1
    accepts a key without needing one."""
    needed = [
        scope
        for requirement in operation.get("security", [])
        for scope in requirement.get(SECURITY_SCHEME, [])
    ]
    if needed:
        note = f"Needs an API key with the `{needed[0]}` scope (Authorize)."
        operation["description"] = f"{note}\n\n{operation.get('description', '')}".strip()
    elif path.startswith("/v1/"):
        operation["security"] = [{}, {SECURITY_SCHEME: []}]


def _parameters(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        schema = parameter["schema"]
        options = schema.get("anyOf")
        if options and {"type": "null"} in options:
            kept = [option for option in options if option != {"type": "null"}]
            inner = kept[0] if len(kept) == 1 else {"anyOf": kept}
            for key in ("default", "title"):
                if key in schema:
                    inner.setdefault(key, schema[key])
            parameter["schema"] = schema = inner
        for key in ("description", "examples"):
            if key in schema and key not in parameter:
                value = schema.pop(key)
                parameter[key if key == "description" else "example"] = (
                    value if key == "description" else value[0]
                )
        if parameter["name"].lower() == "if-match" and parameter["in"] == "header":
            parameter["required"] = True


def _describe_answers(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    for status, answer in operation.get("responses", {}).items():
        if answer.get("description") not in (None, "", "Successful Response"):
            continue
        what = _what_it_returns(answer, schemas)
        answer["description"] = f"{SUCCESS.get(status, 'Answer')}{': ' + what if what else ''}."


def _what_it_returns(answer: dict[str, Any], schemas: dict[str, Any]) -> str:
    for content in answer.get("content", {}).values():
        schema = content.get("schema", {})
        ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            doc = schemas.get(name, {}).get("description", "")
            first = doc.split("\n")[0].rstrip(".") if doc else ""
            many = "a list of " if "items" in schema else ""
            return f"{many}`{name}`" + (f", {first[0].lower()}{first[1:]}" if first else "")
    return ""


def _nullable_types(schema: Any) -> None:
    """`anyOf [{type: X, ...}, {type: null}]` → `{type: [X, null], ...}`, recursively."""
    if isinstance(schema, list):
        for item in schema:
            _nullable_types(item)
        return
    if not isinstance(schema, dict):
        return
    options = schema.get("anyOf")
    if options and len(options) == 2 and {"type": "null"} in options:
        other = next(option for option in options if option != {"type": "null"})
        if isinstance(other.get("type"), str) and "$ref" not in other:
            del schema["anyOf"]
            schema.update({**other, "type": [other["type"], "null"]})
    for value in schema.values():
        _nullable_types(value)
