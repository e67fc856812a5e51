"""The FastAPI application: routers, error handlers, middleware, OpenAPI metadata."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__
from app.api import health, metrics, pages
from app.api.docs import install_docs
from app.api.v1 import router as v1_router
from app.body_limit import BodyLimitMiddleware
from app.config import get_settings
from app.db import get_engine, get_replica_engine, session_opener
from app.errors import install_error_handlers
from app.http_cache import HTTPCacheMiddleware
from app.http_semantics import HttpSemanticsMiddleware
from app.limits import RateLimitMiddleware, RequestTimeoutMiddleware
from app.observability import RequestContextMiddleware, configure_logging
from app.openapi import install_openapi
from app.replication import ReplicaMonitor
from app.response_cache import DataChangeWatch, ResponseCacheMiddleware
from app.services import webhook_delivery

DESCRIPTION = """
An open registry of international organizations and of states' membership in them.

It answers **what was country X's status in organization Y on date D, since when, and says who?**
Every fact carries its sources; anything no source confirms is marked `unconfirmed`.

- Ids are stable and opaque; paths accept an id or a slug (`unfccc`).
- Countries are ISO 3166-1 alpha-2 or alpha-3 codes in any case (`US`, `usa`).
- Membership reads take `as_of=YYYY-MM-DD` (default today).
- Lists are cursor-paginated (`page_size`, `cursor`, `next_cursor`, `Link: rel="next"`).
- Errors are RFC 9457 `application/problem+json`.
- Every GET answer has a strong `ETag`; send `If-None-Match` to get `304`.
"""

TAGS = [
    {
        "name": "organizations",
        "description": "International organizations, their names and sourced facts.",
    },
    {"name": "countries", "description": "ISO 3166-1 countries and their memberships."},
    {
        "name": "memberships",
        "description": "Country x organization pairs: status periods and dated events.",
    },
    {"name": "categories", "description": "The category tree."},
    {"name": "sources", "description": "The documents that facts cite."},
    {
        "name": "contributions",
        "description": "Money a country paid, owes or pledged an organization, as sources "
        "state it.",
    },
    {"name": "stats", "description": "Counts of organizations by a country's status."},
    {"name": "export", "description": "The whole registry as NDJSON or CSV, streamed."},
    {"name": "meta", "description": "Data version, counts and license."},
    {"name": "changes", "description": "The change feed: every change, in commit order."},
    {"name": "keys", "description": "API keys (scope `admin`)."},
    {"name": "webhooks", "description": "Signed change notifications (scope `admin`)."},
    {
        "name": "reconciliation",
        "description": "W3C Reconciliation Service API 0.2, as OpenRefine speaks it: match a "
        "column of names to organizations.",
    },
    {"name": "health", "description": "Liveness and readiness probes."},
]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Each service process also delivers webhooks (SKIP LOCKED shares the work out), listens
    for data changes (its response cache depends on it) and measures the replica's lag."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    stop = asyncio.Event()
    tasks = []
    if settings.database_url:
        if settings.response_cache:
            tasks.append(
                asyncio.create_task(app.state.data_changes.run(settings.database_url, stop))
            )
        if settings.webhook_worker:
            tasks.append(asyncio.create_task(webhook_delivery.run(get_engine(), stop)))
        if app.state.replica is not None:
            replica_checks = app.state.replica.run(get_engine(), get_replica_engine(), stop)
            tasks.append(asyncio.create_task(replica_checks))
    yield
    stop.set()
    for task in tasks:
        await task
    for engine in (get_engine, get_replica_engine):
        if engine.cache_info().currsize:  # only if this process ever connected
            await engine().dispose()


def create_app() -> FastAPI:
    app = FastAPI(
        title="orgreg",
        version=__version__,
        summary="Registry of international organizations and state membership",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        license_info={"name": "MIT", "identifier": "MIT"},
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    settings = get_settings()
    install_error_handlers(app)
    app.state.data_changes = DataChangeWatch()
    app.state.replica = (
        ReplicaMonitor(settings.replica_max_lag_seconds, settings.replica_check_seconds)
        if settings.replica_url
        else None
    )
    app.add_middleware(HTTPCacheMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.response_cache and settings.public_reads:
        app.add_middleware(ResponseCacheMiddleware, watch=app.state.data_changes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
                "X-Change-Reason",
                "X-Request-ID",
            ],
            expose_headers=[
                "ETag",
                "Link",
                "Location",
                "X-Data-Version",
                "X-Request-ID",
                "Retry-After",
            ],
        )
    app.add_middleware(HttpSemanticsMiddleware)
    app.add_middleware(RequestTimeoutMiddleware, seconds=settings.request_timeout_seconds)
    if settings.rate_limit_per_minute:
        app.add_middleware(
            RateLimitMiddleware,
            per_minute=settings.rate_limit_per_minute,
            sessions=session_opener(app),
        )
    app.add_middleware(RequestContextMiddleware)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(v1_router)
    app.include_router(pages.router)
    install_docs(app)
    install_openapi(app)
    return app
