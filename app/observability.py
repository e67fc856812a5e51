"""Logs, request ids and metrics: what an operator sees of the running service.

- Every request gets an id: a sane incoming `X-Request-ID` is kept, otherwise one is made; it is
  returned in the response, in problem documents and in every log line of the request.
- One access log line per request (method, route template, status, duration, request id),
  as JSON, or human-readable text when stderr is a terminal (ORGREG_LOG_FORMAT=auto).
- Prometheus metrics: requests and latency per route template and status.
- A logging filter masks API keys and passwords in URLs wherever they would appear.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_request: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "request", default=None
)
"""What the access line will say about the request being served: its id, its problem type."""


def current_request_id() -> str | None:
    context = _request.get()
    return context["request_id"] if context else None


def note_problem(problem_type: str) -> None:
    context = _request.get()
    if context is not None:
        context["problem_type"] = problem_type


access_log = logging.getLogger("orgreg.access")

REQUESTS = Counter("orgreg_http_requests_total", "HTTP requests.", ["method", "route", "status"])
LATENCY = Histogram(
    "orgreg_http_request_duration_seconds",
    "HTTP request latency.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_SECRETS = (
    (re.compile(r"orgreg_([0-9a-f]{8})_[A-Za-z0-9_-]+"), r"orgreg_\1_***"),
    (re.compile(r"(?i)(bearer\s+)\S+"), r"\1***"),
    (re.compile(r"(postgres(?:ql)?(?:\+\w+)?://[^:/@\s]+:)[^@\s]+@"), r"\1***@"),
    (re.compile(r"whsec_[A-Za-z0-9+/=]+"), "whsec_***"),
)


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        for field in JsonFormatter.FIELDS:  # the access line's path carries what clients sent
            value = record.__dict__.get(field)
            if isinstance(value, str):
                setattr(record, field, redact(value))
        record.request_id = getattr(record, "request_id", None) or current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "route", "path", "status", "duration_ms", "problem_type", "client")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.__dict__.get("request_id"):
            entry["request_id"] = record.__dict__["request_id"]
        for field in self.FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = record.__dict__
        line = f"{time.strftime('%H:%M:%S', time.localtime(record.created))} {record.levelname:<7} "
        if record.name == "orgreg.access":
            line += f"{fields['method']} {fields['path']} -> {fields['status']}"
            line += f" {fields['duration_ms']} ms"
        else:
            line += f"{record.name}: {record.getMessage()}"
        if fields.get("request_id"):
            line += f" [{fields['request_id']}]"
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
        return line


def configure_logging(level: str, fmt: str) -> None:
    """Root logging for the service: JSON or text on stderr, secrets masked."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if use_json else TextFormatter())
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # our access line replaces it


def _templates(app: Any) -> dict[int, str]:
    """Route object id -> full path template. FastAPI nests included routers, so a route's own
    `path` lacks the prefixes of the routers above it; the effective contexts carry them."""
    templates: dict[int, str] = {}
    for route in getattr(app, "routes", []):
        for context in getattr(route, "effective_route_contexts", lambda: [])():
            templates[id(context.original_route)] = context.path_format
        if hasattr(route, "path_format"):
            templates.setdefault(id(route), route.path_format)
    return templates


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/v1/organizations/{organization}`), for labels."""
    route = scope.get("route")
    if route is None:
        return "<unmatched>"
    app = scope.get("app")
    state = getattr(app, "state", None)
    templates = getattr(state, "route_templates", None) if state is not None else None
    if templates is None:
        templates = _templates(app)
        if state is not None:
            state.route_templates = templates
    return str(templates.get(id(route)) or getattr(route, "path", None) or "<unmatched>")


CLIENT_CLOSED_REQUEST = 499
"""Logged (never sent) when the client left before the answer began: not a server error."""


class RequestContextMiddleware:
    """Request id, access log line and metrics for every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        context = {"request_id": request_id}
        token = _request.set(context)
        started = time.perf_counter()
        method = scope["method"]  # as sent: HEAD is served as GET further in
        status = 500
        answered = client_gone = False

        async def watched_receive() -> Message:
            nonlocal client_gone
            message = await receive()
            client_gone = client_gone or message["type"] == "http.disconnect"
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
                headers = MutableHeaders(raw=list(message["headers"]))
                headers["X-Request-ID"] = request_id
                message = {**message, "headers": headers.raw}
            await send(message)

        try:
            await self.app(scope, watched_receive, send_with_id)
        finally:
            if client_gone and not answered:
                status = CLIENT_CLOSED_REQUEST
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(elapsed)
            access_log.info(
                "%s %s %s",
                method,
                scope["path"],
                status,
                extra={
                    "method": method,
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    **context,
                },
            )
            _request.reset(token)
