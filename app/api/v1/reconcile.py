"""/v1/reconcile: the W3C Entity Reconciliation Service API 0.2, for OpenRefine and the like.

The manifest, query batches (GET or POST), previews and the three suggest services; the
matching and its scores are app.services.reconcile's. Every answer here may be read from
any origin (app.api.cross_origin); GET answers can also come as JSONP (`callback`), which
older OpenRefine versions use.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request, Response

from app import __version__
from app.api.cross_origin import AnyOriginRoute, preflight
from app.api.deps import reads_only
from app.clock import today
from app.db import ReaderDep
from app.errors import InvalidBody, InvalidParameter, MalformedJson, NotFound
from app.pages import preview as preview_page
from app.schemas.problem import problem_responses
from app.schemas.reconcile import (
    Manifest,
    ResultBatch,
    SuggestedEntities,
    SuggestedProperties,
    SuggestedTypes,
)
from app.services import organizations as organization_service
from app.services import reconcile as service
from app.services.search import SearchQuery

router = APIRouter(prefix="/reconcile", tags=["reconciliation"], route_class=AnyOriginRoute)

JSONP_MEDIA_TYPE = "application/javascript"
CALLBACK = r"^[A-Za-z_$][A-Za-z0-9_$]{0,63}(\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,4}$"
"""A JavaScript name, dotted at most four times: nothing else ever reaches a JSONP answer."""
SUGGEST_PAGE = 10
EXAMPLE_BATCH = {
    "q0": {"query": "World Health Organisation", "limit": 3},
    "q1": {"query": "UNFCCC", "type": "organization"},
    "q2": {"query": "世界卫生组织", "properties": [{"pid": "country", "v": "US"}]},
}

Queries = Annotated[
    str | None,
    Query(
        description="A query batch as JSON: an object of queries by key, each with `query` "
        "(a name), and optionally `type`, `limit` (default 5, at most 25), `properties` "
        "(`country`, `system`, `acronym`, `as_of`) and `type_strict`. Without it: the manifest.",
        max_length=100_000,
        examples=['{"q0":{"query":"Wrold Health Organisation"}}'],
    ),
]
Callback = Annotated[
    str | None,
    Query(
        description="JSONP: wrap the answer in a call to this JavaScript function (a dotted "
        "identifier) and answer application/javascript.",
        max_length=200,
        pattern=CALLBACK,
        examples=["handleManifest"],
    ),
]
CacheBuster = Annotated[
    str | None,
    Query(
        alias="_",
        description="Ignored: the cache-busting parameter jQuery adds to JSONP requests.",
        max_length=50,
    ),
]
Prefix = Annotated[
    str,
    Query(
        max_length=200,
        description="What the user has typed so far.",
        examples=["unfc"],
    ),
]
SuggestCursor = Annotated[
    int,
    Query(ge=0, le=90, description="How many suggestions to skip (paging), 0-90."),
]
JSONP_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {JSONP_MEDIA_TYPE: {"schema": {"type": "string"}}}}
}
QUERY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "queries": {"type": "string", "description": "The query batch, as JSON."}
                    },
                    "required": ["queries"],
                },
                "example": {"queries": json.dumps(EXAMPLE_BATCH, ensure_ascii=False)},
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": 'The query batch itself (or `{"queries": <batch>}`).',
                    "additionalProperties": {"type": "object"},
                },
            },
        },
    }
}


def _json(value: Any, callback: str | None = None) -> Response:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if callback is None:
        return Response(body.encode(), media_type="application/json")
    return Response(
        f"/**/{callback}({body});".encode(),
        media_type=JSONP_MEDIA_TYPE,
        headers={"X-Content-Type-Options": "nosniff"},
    )


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _reconcile(reader: ReaderDep, decoded: Any, location: Literal["query", "body"]) -> Any:
    """The result batch for a decoded query batch; what is wrong with it names the parameter
    (GET) or the field (POST)."""
    try:
        return await service.reconcile(reader, service.parse_batch(decoded), today())
    except service.QueryError as exc:
        if location == "query":
            raise InvalidParameter("queries", exc.detail) from None
        field = ".".join(p for p in ("queries", exc.field) if p)
        raise InvalidBody(exc.detail, field=field) from None


def _decoded(raw: str, location: Literal["query", "body"]) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        detail = f"`queries` is not valid JSON ({exc})."
        if location == "query":
            raise InvalidParameter("queries", detail) from None
        raise MalformedJson(detail, field="queries") from None


def _posted_batch(request: Request, body: bytes) -> Any:
    """The batch a POST carries: in the form field `queries` (what the specification says),
    or as a JSON body, bare or as `{"queries": ...}`."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidBody("The body is not UTF-8 text.", field="queries") from None
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json":
        decoded = _decoded(text, "body")
        wrapped = (
            decoded.get("queries") if isinstance(decoded, dict) and len(decoded) == 1 else None
        )
        if isinstance(wrapped, str):
            return _decoded(wrapped, "body")
        if isinstance(wrapped, dict) and all(isinstance(q, dict) for q in wrapped.values()):
            return wrapped
        return decoded
    fields = parse_qsl(text, keep_blank_values=True, max_num_fields=10)
    unknown = sorted({name for name, _ in fields} - {"queries"})
    if unknown:
        raise InvalidBody(f"Unknown form field(s): {', '.join(unknown)}.", field=unknown[0])
    given = [value for _, value in fields]
    if len(given) != 1:
        raise InvalidBody("Send one form field `queries` holding the batch.", field="queries")
    return _decoded(given[0], "body")


@router.get(
    "",
    operation_id="reconcileOrganizations",
    response_model=None,
    summary="Reconciliation service: the manifest, or the candidates for a query batch",
    description="Without `queries`: the service manifest (W3C Entity Reconciliation Service "
    "API 0.2), which OpenRefine reads when the service is added at `/v1/reconcile`. With "
    "`queries`: for each query, the organizations its name may mean, best first, scored 0-100; "
    "`match` is true only where the first is an unambiguous exact match. At most 100 queries "
    "per batch (413 beyond). `callback` answers JSONP.",
    responses={
        200: {"model": Manifest | ResultBatch, **JSONP_RESPONSE[200]},
        **problem_responses(304, 400, 406, 413),
    },
)
async def reconcile_or_describe(
    request: Request,
    reader: ReaderDep,
    queries: Queries = None,
    callback: Callback = None,
    cache_buster: CacheBuster = None,
) -> Response:
    if queries is None:
        size = (preview_page.WIDTH, preview_page.HEIGHT)
        return _json(service.manifest(_base_url(request), __version__, size), callback)
    return _json(await _reconcile(reader, _decoded(queries, "query"), "query"), callback)


@router.post(
    "",
    operation_id="reconcileOrganizationsBatch",
    response_model=ResultBatch,
    summary="Candidates for a query batch sent as a form (or JSON) body",
    description="The POST form of the queries (the one the specification requires, with no "
    "URL length limit): the form field `queries` holds the batch as JSON, as OpenRefine "
    "sends it; a JSON body holding the batch works too. A read: it changes nothing.",
    responses=problem_responses(400, 413, 415, 422),
    openapi_extra=QUERY_BODY,
)
@reads_only
async def reconcile_posted(request: Request, reader: ReaderDep) -> Response:
    return _json(await _reconcile(reader, _posted_batch(request, await request.body()), "body"))


@router.get(
    "/preview",
    operation_id="previewOrganization",
    response_class=Response,
    summary="A small HTML summary of an organization, for a reconciliation client's preview",
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}},
        **problem_responses(304, 400, 404, 406),
    },
)
async def preview_organization(
    reader: ReaderDep,
    id: Annotated[
        str,
        Query(max_length=200, description="Organization id or slug.", examples=["unfccc"]),
    ],
) -> Response:
    found = await service.preview(reader, id)
    if found is None:
        raise NotFound(f"No organization with id or slug '{id}'.")
    html = preview_page.render(found, f"/organizations/{found['id']}")
    return Response(html, media_type="text/html; charset=utf-8")


@router.get(
    "/suggest/entity",
    operation_id="suggestOrganizations",
    response_model=SuggestedEntities,
    summary="Organizations whose names or acronyms match what the user types",
    description="The registry's autocomplete, in the suggest protocol's shape: any language, "
    "typo-tolerant; 10 per page, `cursor` skips that many.",
    responses={**JSONP_RESPONSE, **problem_responses(304, 400, 406)},
)
async def suggest_entities(
    reader: ReaderDep,
    prefix: Prefix,
    cursor: SuggestCursor = 0,
    callback: Callback = None,
    cache_buster: CacheBuster = None,
) -> Response:
    search = SearchQuery.parse(prefix)
    found = (
        json.loads(await organization_service.autocomplete(reader, search, cursor + SUGGEST_PAGE))
        if search
        else []
    )
    return _json({"result": service.suggest_entities(found[cursor:])}, callback)


@router.get(
    "/suggest/type",
    operation_id="suggestReconciliationTypes",
    response_model=SuggestedTypes,
    summary="The types a query may name: every organization, or a system or kind of them",
    responses={**JSONP_RESPONSE, **problem_responses(304, 400, 406)},
)
async def suggest_types(
    prefix: Prefix = "",
    cursor: SuggestCursor = 0,
    callback: Callback = None,
    cache_buster: CacheBuster = None,
) -> Response:
    found = service.suggest_types(prefix)[cursor : cursor + SUGGEST_PAGE]
    return _json({"result": found}, callback)


@router.get(
    "/suggest/property",
    operation_id="suggestReconciliationProperties",
    response_model=SuggestedProperties,
    summary="The properties a query may give: country, system, acronym, as_of",
    responses={**JSONP_RESPONSE, **problem_responses(304, 400, 406)},
)
async def suggest_properties(
    prefix: Prefix = "",
    cursor: SuggestCursor = 0,
    callback: Callback = None,
    cache_buster: CacheBuster = None,
) -> Response:
    found = service.suggest_properties(prefix)[cursor : cursor + SUGGEST_PAGE]
    return _json({"result": found}, callback)


@router.options("", include_in_schema=False)
@router.options("/{path:path}", include_in_schema=False)
async def reconcile_preflight() -> Response:
    return preflight()
