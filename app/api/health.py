"""/healthz (the process is alive) and /readyz (it can serve: database up, schema at head;
and how the replica is doing, if there is one)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app import problem_types as types
from app.db import SessionDep
from app.errors import problem
from app.replication import ReplicaMonitor
from app.schemas.problem import problem_responses
from app.services.health import readiness

router = APIRouter(tags=["health"])


NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz", operation_id="getHealth", summary="Liveness")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


@router.get(
    "/readyz",
    operation_id="getReadiness",
    summary="Readiness: database reachable and migrations at head",
    responses={**problem_responses(503)},
)
async def readyz(request: Request, session: SessionDep) -> JSONResponse:
    """Ready while the primary is: without a usable replica, reads go to the primary."""
    checks = await readiness(session)
    replica: ReplicaMonitor | None = request.app.state.replica
    if replica is not None:
        checks["replica"] = replica.report()
    ready = checks["database"] == "ok" and checks["migrations"] == "ok"
    if ready:
        return JSONResponse({"status": "ok", "checks": checks}, headers=NO_STORE)
    return problem(
        types.NOT_READY,
        "The database is unreachable or its schema is not at the newest migration.",
        instance="/readyz",
        headers={"Retry-After": "5", **NO_STORE},
        extensions={"checks": checks},
    )
