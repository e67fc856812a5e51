"""The OpenAPI document's examples are real: every example request, made against the registry
the migrations build, answers what the document shows, and every example fits its schema.

`ORGREG_RECORD_EXAMPLES=1 pytest tests/test_openapi_examples.py` rewrites
app/openapi_examples.json from the live answers (after a change to the seed data or the API).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jsonschema_rs
import pytest

from app.main import create_app
from app.openapi_examples import (
    EXAMPLES_FILE,
    REQUESTS,
    ExampleRequest,
    recorded,
    trim,
    trim_text,
    without_volatile,
)

RECORD = os.environ.get("ORGREG_RECORD_EXAMPLES") == "1"


def _fill(value: Any, saved: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: saved.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_fill(item, saved) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, saved) for key, item in value.items()}
    return value


async def _make(
    client: httpx.AsyncClient,
    request: ExampleRequest,
    saved: dict[str, str],
    auth: dict[str, dict[str, str]],
    takes_if_match: bool,
) -> dict[str, Any]:
    path = _fill(request.path, saved)
    body = _fill(request.body, saved)
    headers = dict(auth[request.scope]) if request.scope else {}
    if takes_if_match:
        headers["If-Match"] = (await client.get(path)).headers["etag"]
    if request.method == "POST":
        headers["Idempotency-Key"] = str(uuid.uuid4())
    content = None if body is None else json.dumps(body)
    if content is not None:
        headers["Content-Type"] = request.content_type
    answer = await client.request(
        request.method, path, params=request.query, content=content, headers=headers
    )
    media_type = answer.headers.get("content-type", "").split(";")[0]
    if media_type == "application/json" or media_type.endswith("+json"):
        response: Any = trim(answer.json())
    elif answer.content:
        response = trim_text(answer.text)
    else:
        response = None
    if request.save_as:
        assert answer.status_code == 201, (request, answer.text)
        saved[request.save_as] = response["id"]
    return {
        "operation": request.name,
        "method": request.method,
        "path": request.path,
        "path_parameters": {},
        "query": request.query,
        "body": request.body,
        "status": answer.status_code,
        "media_type": media_type,
        "response": response,
        "stable": request.stable,
    }


def _operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        operation["operationId"]: (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    }


def _path_parameters(template: str, concrete: str) -> dict[str, str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    match = re.fullmatch(pattern, concrete)
    return match.groupdict() if match else {}


async def test_every_example_is_what_the_live_service_answers(
    client: httpx.AsyncClient,
    auth: dict[str, dict[str, str]],
    settings_env: Callable[..., None],
) -> None:
    settings_env(webhook_allowed_hosts='["127.0.0.1"]')
    spec = create_app().openapi()
    operations = _operations(spec)
    saved: dict[str, str] = {}
    made = []
    for request in REQUESTS:
        path, _, operation = operations[request.name]
        takes_if_match = any(
            p["name"].lower() == "if-match" for p in operation.get("parameters", [])
        )
        example = await _make(client, request, saved, auth, takes_if_match)
        example["path_parameters"] = _path_parameters(path, _fill(request.path, saved))
        if example["path_parameters"] and request.save_as is None:
            example["path_parameters"] = (
                _path_parameters(path, request.path) or example["path_parameters"]
            )
        assert str(example["status"]) in operation["responses"], (request, example["status"])
        assert example["status"] < (500 if request.method == "GET" else 300), example["response"]
        made.append(example)
    assert {r.name for r in REQUESTS} == set(operations), "every operation has an example"
    if RECORD:
        EXAMPLES_FILE.write_text(
            json.dumps(made, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        pytest.skip(f"recorded {len(made)} examples in {EXAMPLES_FILE}")
    stale = "stale: run `ORGREG_RECORD_EXAMPLES=1 pytest tests/test_openapi_examples.py`"
    assert len(recorded()) == len(made), stale
    for example, recording in zip(made, recorded(), strict=True):
        assert (example["operation"], example["status"]) == (
            recording["operation"],
            recording["status"],
        ), stale
        if example["stable"] and example["method"] == "GET":
            assert without_volatile(example["response"]) == without_volatile(
                recording["response"]
            ), f"{example['operation']} {example['path']}: {stale}"


def test_every_schema_and_operation_has_an_example_that_fits() -> None:
    spec = create_app().openapi()
    schemas = spec["components"]["schemas"]
    missing = sorted(name for name, schema in schemas.items() if not schema.get("examples"))
    assert not missing, f"schemas without an example: {missing}"
    for name, schema in schemas.items():
        validator = jsonschema_rs.Draft202012Validator(
            {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        )
        for example in schema["examples"]:
            errors = [error.message for error in validator.iter_errors(example)]
            assert not errors, (name, errors[:3])
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            successes = [
                answer
                for status, answer in operation["responses"].items()
                if status.startswith("2") and answer.get("content")
            ]
            for answer in successes:
                assert any("example" in c for c in answer["content"].values()), (path, method)
            body = operation.get("requestBody", {}).get("content", {})
            assert not body or any("example" in c for c in body.values()), (path, method)
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, method, parameter["name"])
