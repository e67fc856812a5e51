"""Every problem type the API answers with: the one vocabulary behind `type` in problem documents.

A problem's `type` is the relative URI `/problems/<slug>`; the service serves a page there that
explains the problem and what to do about it (RFC 9457 asks that the URI resolve to such
documentation). Nothing builds a problem document with a slug that is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

PROBLEM_BASE = "/problems/"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    meaning: str
    remedy: str

    @property
    def uri(self) -> str:
        return PROBLEM_BASE + self.slug


def _type(slug: str, status: int, title: str, meaning: str, remedy: str) -> ProblemType:
    kind = ProblemType(slug, status, title, meaning, remedy)
    PROBLEM_TYPES[slug] = kind
    return kind


PROBLEM_TYPES: dict[str, ProblemType] = {}

MALFORMED_JSON = _type(
    "malformed-json",
    400,
    "Malformed JSON",
    "The request body is not valid JSON.",
    "Send a UTF-8 JSON document; `errors` points at the first place the parser stopped.",
)
INVALID_PARAMETER = _type(
    "invalid-parameter",
    400,
    "Invalid request parameter",
    "A query, path or header parameter has a value the API cannot use, or the query names a "
    "parameter the operation does not take (unknown parameters are refused, not ignored).",
    "`errors` names each bad parameter and why; the OpenAPI document lists what each takes.",
)
UNAUTHORIZED = _type(
    "unauthorized",
    401,
    "Authentication required",
    "The operation needs an API key, or the key sent is unknown, revoked or expired.",
    "Send `Authorization: Bearer <key>`; an administrator creates keys with `orgreg keys create`.",
)
FORBIDDEN = _type(
    "forbidden",
    403,
    "Not allowed with this key",
    "The key is valid but lacks the scope the operation needs (`write` for data, `admin` for "
    "keys and webhooks).",
    "Use a key with that scope.",
)
NOT_FOUND = _type(
    "not-found",
    404,
    "Resource not found",
    "No resource has that id, slug or code, or no route matches the path.",
    "Check the identifier; `GET /v1/organizations?q=` and `GET /v1/countries?q=` find them by "
    "name.",
)
METHOD_NOT_ALLOWED = _type(
    "method-not-allowed",
    405,
    "Method not allowed",
    "The path exists but does not take this HTTP method.",
    "The `Allow` header lists the methods it takes.",
)
NOT_ACCEPTABLE = _type(
    "not-acceptable",
    406,
    "No acceptable representation",
    "The `Accept` header asks for a media type the operation cannot produce.",
    "Accept `application/json` (or the type the operation documents: CSV, NDJSON, iCalendar).",
)
CONFLICT = _type(
    "conflict",
    409,
    "Conflict with the current state",
    "The change breaks a rule of the registry (a duplicate slug, an impossible transition, "
    "overlapping periods), or an idempotent request with the same key is still running.",
    "Read `detail`, reload the resource and retry with a change that fits.",
)
GONE = _type(
    "gone",
    410,
    "Resource deleted",
    "The resource existed and was deleted; its id is never reused.",
    "The change feed (`GET /v1/changes`) records when and by whom.",
)
CURSOR_EXPIRED = _type(
    "cursor-expired",
    410,
    "Cursor older than the retention window",
    "The change feed no longer holds the position this cursor points at.",
    "Re-read the full state (the exports) and follow the feed from its current end.",
)
MOVED = _type(
    "moved",
    308,
    "Resource merged into another",
    "The resource was merged into another one; the answer's `Location` names it.",
    "Follow `Location` and update the stored id.",
)
PRECONDITION_FAILED = _type(
    "precondition-failed",
    412,
    "The resource changed since you read it",
    "`If-Match` names an ETag that is no longer current: someone else changed the resource.",
    "GET it again, re-apply the change to what you read, and send the new ETag.",
)
PAYLOAD_TOO_LARGE = _type(
    "payload-too-large",
    413,
    "Request body too large",
    "The body is larger than the server accepts (`ORGREG_MAX_BODY_BYTES`).",
    "Split a batch into smaller ones.",
)
UNSUPPORTED_MEDIA_TYPE = _type(
    "unsupported-media-type",
    415,
    "Unsupported content type",
    "The body's `Content-Type` is not one the operation reads.",
    "Send `application/json` (or `application/merge-patch+json` on PATCH).",
)
INVALID_BODY = _type(
    "invalid-body",
    422,
    "Invalid request body",
    "The body is valid JSON but not what the operation takes.",
    "`errors` names each bad field and why; the OpenAPI document shows the shape and an example.",
)
PRECONDITION_REQUIRED = _type(
    "precondition-required",
    428,
    "If-Match required",
    "Changes and deletions must say which version they apply to, so that no one overwrites a "
    "change they have not seen.",
    "GET the resource and send its `ETag` in `If-Match`.",
)
RATE_LIMITED = _type(
    "rate-limited",
    429,
    "Too many requests",
    "This client sent more requests than the server's per-minute limit allows.",
    "Wait the seconds `Retry-After` gives.",
)
INTERNAL_ERROR = _type(
    "internal-error",
    500,
    "Internal server error",
    "The server failed to answer; the failure is logged with the answer's `request_id`.",
    "Retry later; if it persists, report the `request_id`.",
)
SERVICE_UNAVAILABLE = _type(
    "service-unavailable",
    503,
    "Service temporarily unavailable",
    "The database is unreachable, overloaded or too slow right now, or a concurrent write got "
    "in the way. Nothing was written.",
    "Retry after the seconds `Retry-After` gives.",
)
TIMEOUT = _type(
    "timeout",
    503,
    "Request took too long",
    "The request did not finish within the server's time limit (`ORGREG_REQUEST_TIMEOUT_SECONDS`)."
    " A write that times out is rolled back.",
    "Retry later, or ask for less (a smaller page, a narrower filter).",
)
NOT_READY = _type(
    "not-ready",
    503,
    "Service not ready",
    "`/readyz` only: the database is unreachable or its schema is not at the newest migration.",
    "Wait; `checks` says which part is not ready.",
)
HTTP_ERROR = _type(
    "http-error",
    400,
    "HTTP error",
    "An error raised by the HTTP layer itself that none of the other types describes; `status` "
    "and `detail` say what it was.",
    "Read `detail`.",
)
