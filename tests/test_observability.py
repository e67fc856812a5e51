"""Request ids, access log lines, secrets kept out of logs, Prometheus metrics."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest

from app.limits import RequestTimeoutMiddleware
from app.main import create_app
from app.observability import JsonFormatter, RedactingFilter, TextFormatter, redact


async def test_request_id_round_trip(client: httpx.AsyncClient) -> None:
    mine = await client.get("/v1/organizations/who", headers={"X-Request-ID": "trace-123.abc"})
    assert mine.headers["x-request-id"] == "trace-123.abc"
    made = await client.get("/v1/organizations/who", headers={"X-Request-ID": "bad id with spaces"})
    assert (
        made.headers["x-request-id"] != "bad id with spaces"
        and len(made.headers["x-request-id"]) == 32
    )
    problem = await client.get("/v1/organizations/nope", headers={"X-Request-ID": "trace-404"})
    assert problem.json()["request_id"] == "trace-404"


async def test_one_access_line_per_request(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="orgreg.access"):
        await client.get("/v1/organizations/nope", headers={"X-Request-ID": "trace-log"})
    (record,) = [r for r in caplog.records if r.name == "orgreg.access"]
    fields = record.__dict__
    assert (fields["method"], fields["route"], fields["status"]) == (
        "GET",
        "/v1/organizations/{organization}",
        404,
    )
    assert fields["request_id"] == "trace-log" and fields["problem_type"] == "/problems/not-found"
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "trace-log" and line["status"] == 404 and line["duration_ms"] >= 0


async def test_a_key_sent_in_the_path_is_masked_in_every_field(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="orgreg.access"):
        await client.get("/v1/organizations/orgreg_0a1b2c3d_SECRETPART")
    (record,) = [r for r in caplog.records if r.name == "orgreg.access"]
    RedactingFilter().filter(record)
    for line in (JsonFormatter().format(record), TextFormatter().format(record)):
        assert "SECRETPART" not in line and "orgreg_0a1b2c3d_***" in line


def test_secrets_never_reach_the_log() -> None:
    record = logging.LogRecord(
        "orgreg",
        logging.WARNING,
        __file__,
        1,
        "key %s and url %s",
        ("orgreg_0a1b2c3d_SECRETPART", "postgresql://alice:hunter2@db:5432/x"),
        None,
    )
    RedactingFilter().filter(record)
    message = record.getMessage()
    assert "SECRETPART" not in message and "hunter2" not in message
    assert "orgreg_0a1b2c3d_***" in message and "alice:***@db" in message
    assert "whsec_***" in redact("secret whsec_AbC+/=")
    assert redact("Authorization: Bearer abc.def") == "Authorization: Bearer ***"


async def test_metrics_count_requests_by_route_and_status(client: httpx.AsyncClient) -> None:
    await client.get("/v1/organizations/who")
    await client.get("/v1/organizations/nope")
    text = (await client.get("/metrics")).text
    assert (
        'orgreg_http_requests_total{method="GET",route="/v1/organizations/{organization}",status="200"}'
        in text
    )
    assert (
        'orgreg_http_requests_total{method="GET",route="/v1/organizations/{organization}",status="404"}'
        in text
    )
    assert 'orgreg_http_request_duration_seconds_bucket{le="0.005",method="GET"' in text
    assert "orgreg_data_version " in text and 'orgreg_webhook_outbox{state="pending"}' in text
    assert (await client.get("/metrics")).headers["content-type"].startswith("text/plain")


async def test_cors_when_configured(client: httpx.AsyncClient, settings_env) -> None:  # type: ignore[no-untyped-def]
    from app.main import create_app

    settings_env(cors_origins='["https://analyst.example"]')
    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as cors_client:
        preflight = await cors_client.options(
            "/v1/organizations",
            headers={"Origin": "https://analyst.example", "Access-Control-Request-Method": "GET"},
        )
    assert preflight.headers["access-control-allow-origin"] == "https://analyst.example"


async def test_a_client_gone_mid_upload_is_logged_as_499_not_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/sources",
        "raw_path": b"/v1/sources",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"4000")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    incoming = [{"type": "http.request", "body": b'{"publ', "more_body": True}]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO, logger="orgreg.access"):
        await app(scope, receive, send)
    (record,) = [r for r in caplog.records if r.name == "orgreg.access"]
    assert record.__dict__["status"] == 499 and sent == []


async def test_a_timeout_after_the_answer_began_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def slow_stream(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await asyncio.sleep(5)

    async def send(message: Any) -> None:
        return None

    middleware = RequestTimeoutMiddleware(slow_stream, seconds=0.05)
    scope = {"type": "http", "method": "GET", "path": "/v1/organizations"}
    with caplog.at_level(logging.WARNING, logger="orgreg.limits"), pytest.raises(TimeoutError):
        await middleware(scope, None, send)  # type: ignore[arg-type]
    assert any("after its answer had begun" in r.getMessage() for r in caplog.records)
