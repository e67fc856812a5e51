"""/v1/meta"""

from __future__ import annotations

from fastapi import APIRouter, Request

from app import __version__
from app.api.params import KNOWN_AT
from app.config import get_settings
from app.db import SessionDep, known_at_of
from app.schemas.meta import License, Meta
from app.schemas.problem import problem_responses
from app.services import known
from app.services import meta as service

router = APIRouter(tags=["meta"])


@router.get(
    "/meta",
    dependencies=[KNOWN_AT],
    operation_id="getMeta",
    summary="Data version, last update, counts per resource and license",
    responses=problem_responses(304, 400),
)
async def get_meta(request: Request, session: SessionDep) -> Meta:
    settings = get_settings()
    return Meta(
        api_version="v1",
        service_version=__version__,
        data_version=await service.data_version(session),
        last_updated=await service.last_updated(session),
        counts=await service.resource_counts(session),
        history_began_at=await known.history_began(session),
        known_at=known_at_of(request),
        license=License(
            id=settings.data_license,
            url=settings.data_license_url,
            attribution="orgreg, with the sources cited next to each fact",
        ),
    )
