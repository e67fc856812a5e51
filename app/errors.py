"""Domain errors and their one mapping to RFC 9457 problem documents (application/problem+json).

Services raise `DomainError` subclasses; FastAPI's own validation errors and unknown routes are
mapped here too, so every error a client sees has the same shape. Nothing else builds error
responses.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import problem_types as types
from app.observability import current_request_id, note_problem
from app.problem_types import ProblemType

log = logging.getLogger("orgreg.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"


class DomainError(Exception):
    kind: ProblemType = types.INTERNAL_ERROR

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers


class NotFound(DomainError):
    kind = types.NOT_FOUND


class InvalidParameter(DomainError):
    """A query, path or header parameter has a value the API cannot use."""

    kind = types.INVALID_PARAMETER

    def __init__(self, name: str, detail: str, *, location: str = "query") -> None:
        super().__init__(detail, errors=[{"location": location, "name": name, "detail": detail}])


class Conflict(DomainError):
    kind = types.CONFLICT


class Unauthorized(DomainError):
    kind = types.UNAUTHORIZED

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="orgreg"'})


class Forbidden(DomainError):
    kind = types.FORBIDDEN


class Gone(DomainError):
    kind = types.GONE


class CursorExpired(DomainError):
    kind = types.CURSOR_EXPIRED


class Moved(DomainError):
    """The resource was merged into another; `key` in the request path now names `target`."""

    kind = types.MOVED

    def __init__(self, detail: str, *, key: str, target: str) -> None:
        super().__init__(detail)
        self.key = key
        self.target = target


class PreconditionRequired(DomainError):
    kind = types.PRECONDITION_REQUIRED


class PreconditionFailed(DomainError):
    kind = types.PRECONDITION_FAILED


class InvalidBody(DomainError):
    """The request body is not what the operation takes; `errors` names each bad field."""

    kind = types.INVALID_BODY

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        errors = [{"location": "body", "name": field, "detail": detail}] if field else None
        super().__init__(detail, errors=errors)


class MalformedJson(DomainError):
    """JSON the client sent (a body, or JSON inside a form field) does not parse."""

    kind = types.MALFORMED_JSON

    def __init__(self, detail: str, *, field: str) -> None:
        super().__init__(detail, errors=[{"location": "body", "name": field, "detail": detail}])


class PayloadTooLarge(DomainError):
    kind = types.PAYLOAD_TOO_LARGE


class UnsupportedMediaType(DomainError):
    kind = types.UNSUPPORTED_MEDIA_TYPE


class NotAcceptable(DomainError):
    kind = types.NOT_ACCEPTABLE


class ServiceUnavailable(DomainError):
    kind = types.SERVICE_UNAVAILABLE


def problem(
    kind: ProblemType,
    detail: str,
    *,
    status: int | None = None,
    instance: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    """`status` overrides the type's own only for `http-error`, which covers several."""
    status = status or kind.status
    body: dict[str, Any] = {
        "type": kind.uri,
        "title": kind.title,
        "status": status,
        "detail": detail,
    }
    body.update(extensions or {})
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    note_problem(body["type"])
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _validation_errors(exc: RequestValidationError) -> tuple[int, list[dict[str, str]]]:
    errors = []
    in_body = False
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            return 400, [
                {"location": "body", "name": "body", "detail": "The body is not valid JSON."}
            ]
        location, *path = [str(part) for part in error.get("loc", ())] or ["request"]
        in_body = in_body or location == "body"
        errors.append(
            {
                "location": location,
                "name": ".".join(path) or location,
                "detail": str(error.get("msg")),
            }
        )
    return (422 if in_body else 400), errors


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        if isinstance(exc, Moved):
            target = request.url.path.replace(f"/{exc.key}", f"/{exc.target}", 1)
            query = f"?{request.url.query}" if request.url.query else ""
            exc.headers = {"Location": target + query}
        return problem(
            exc.kind,
            exc.detail,
            instance=request.url.path,
            errors=exc.errors,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, errors = _validation_errors(exc)
        names = ", ".join(e["name"] for e in errors)
        if status == 400 and errors[0]["name"] == "body":
            return problem(
                types.MALFORMED_JSON,
                errors[0]["detail"],
                instance=request.url.path,
                errors=errors,
            )
        if status == 400:
            return problem(
                types.INVALID_PARAMETER,
                f"Invalid value for: {names}.",
                instance=request.url.path,
                errors=errors,
            )
        return problem(
            types.INVALID_BODY,
            f"Invalid fields: {names}.",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # Services turn the constraint violations they expect into precise problems; this is the
        # last line of defence for the rest (a concurrent writer won a race, say).
        log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc.orig)
        return problem(
            types.CONFLICT,
            "The change conflicts with the registry's current state; reload and retry.",
            instance=request.url.path,
        )

    @app.exception_handler(SQLAlchemyError)
    async def _database(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        if is_transient_conflict(exc):
            log.warning("transient conflict on %s %s: %s", request.method, request.url.path, exc)
            return _unavailable(
                request,
                "A concurrent write got in the way and nothing was written; retry shortly.",
                retry_after=1,
            )
        if not is_unavailable(exc):
            return await _unexpected(request, exc)
        log.warning(
            "database unavailable on %s %s: %s",
            request.method,
            request.url.path,
            type(getattr(exc, "orig", exc)).__name__,
        )
        return _unavailable(request)

    @app.exception_handler(OSError)
    async def _network(request: Request, exc: OSError) -> JSONResponse:
        log.warning("database unreachable on %s %s: %s", request.method, request.url.path, exc)
        return _unavailable(request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kinds = {404: types.NOT_FOUND, 405: types.METHOD_NOT_ALLOWED}
        kind = kinds.get(exc.status_code, types.HTTP_ERROR)
        detail = (
            f"No route matches {request.method} {request.url.path}."
            if exc.status_code == 404
            else str(exc.detail)
        )
        return problem(
            kind,
            detail,
            status=exc.status_code,
            instance=request.url.path,
            headers=dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(
            types.INTERNAL_ERROR,
            "The server failed to answer this request; it has been logged.",
            instance=request.url.path,
        )


def is_unavailable(exc: BaseException) -> bool:
    """Errors that mean the database cannot answer now (down, unreachable, overloaded, too slow),
    as opposed to a bug: the client should retry later."""
    if isinstance(exc, (PoolTimeout, OSError, TimeoutError)):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        orig = exc.orig
        cause = getattr(orig, "__cause__", None) or orig
        return isinstance(cause, (OSError, TimeoutError)) or type(cause).__name__ in {
            "ConnectionDoesNotExistError",
            "ConnectionFailureError",
            "CannotConnectNowError",
            "TooManyConnectionsError",
            "QueryCanceledError",
            "AdminShutdownError",
            "InterfaceError",
            "InternalClientError",
        }
    return False


def is_transient_conflict(exc: SQLAlchemyError) -> bool:
    """A deadlock or serialization failure: PostgreSQL rolled the write back, and the same
    request may succeed if sent again (SQLSTATE class 40)."""
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    return isinstance(exc, DBAPIError) and sqlstate.startswith("40")


def _unavailable(
    request: Request,
    detail: str = "The database is unavailable or too slow right now; retry shortly.",
    *,
    retry_after: int = 2,
) -> JSONResponse:
    return problem(
        types.SERVICE_UNAVAILABLE,
        detail,
        instance=request.url.path,
        headers={"Retry-After": str(retry_after)},
    )
