"""/metrics: Prometheus text format (requests, latency, pool, data version, webhook outbox,
replica lag)."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from sqlalchemy import func, select

from app.db import SessionDep, get_engine
from app.models.tables import webhook_outbox
from app.replication import ReplicaMonitor
from app.services.meta import data_version

router = APIRouter(tags=["health"])

POOL = Gauge("orgreg_db_pool_connections", "Database connections of this process.", ["state"])
DATA_VERSION = Gauge("orgreg_data_version", "The registry's data version.")
OUTBOX = Gauge("orgreg_webhook_outbox", "Webhook deliveries by state.", ["state"])
REPLICA_USABLE = Gauge("orgreg_replica_usable", "1 while anonymous reads go to the replica.")
REPLICA_LAG_SECONDS = Gauge(
    "orgreg_replica_lag_seconds", "How far the replica's replay is behind the primary, in time."
)
REPLICA_LAG_BYTES = Gauge(
    "orgreg_replica_lag_bytes", "How far the replica's replay is behind the primary, in WAL."
)
REPLICA_DATA_VERSION = Gauge("orgreg_replica_data_version", "The data version the replica has.")


@router.get(
    "/metrics",
    operation_id="getMetrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request, session: SessionDep) -> Response:
    if get_engine.cache_info().currsize:
        pool: Any = get_engine().pool  # a QueuePool; its counters are not in the base class
        POOL.labels("checked_out").set(pool.checkedout())
        POOL.labels("idle").set(pool.checkedin())
        POOL.labels("overflow").set(max(pool.overflow(), 0))
    DATA_VERSION.set(await data_version(session))
    counts: dict[str, int] = dict(
        (
            await session.execute(
                select(webhook_outbox.c.state, func.count()).group_by(webhook_outbox.c.state)
            )
        ).all()
    )
    for state in ("pending", "delivered", "failed"):
        OUTBOX.labels(state).set(counts.get(state, 0))
    replica: ReplicaMonitor | None = request.app.state.replica
    if replica is not None:
        _report_replica(replica)
    return Response(
        generate_latest(), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"}
    )


def _report_replica(replica: ReplicaMonitor) -> None:
    """Unknown values are NaN, which Prometheus treats as missing."""
    state = replica.state
    REPLICA_USABLE.set(1 if replica.usable() else 0)
    for gauge, value in (
        (REPLICA_LAG_SECONDS, state.lag_seconds),
        (REPLICA_LAG_BYTES, state.lag_bytes),
        (REPLICA_DATA_VERSION, state.data_version),
    ):
        gauge.set(math.nan if value is None else value)
