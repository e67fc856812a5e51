"""/v1/keys (scope `admin`)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.api.auth import AdminDep
from app.db import SessionDep
from app.schemas.keys import ApiKeyCreate, ApiKeyCreated, ApiKeyInfo
from app.schemas.problem import problem_responses
from app.services import keys as service

router = APIRouter(prefix="/keys", tags=["keys"])


@router.post(
    "",
    operation_id="createApiKey",
    summary="Create an API key; its secret is shown in this answer only",
    status_code=201,
    responses=problem_responses(401, 403, 413, 415, 422),
)
async def create_api_key(
    session: SessionDep, principal: AdminDep, body: ApiKeyCreate
) -> ApiKeyCreated:
    info, secret = await service.create_key(session, body.name, body.scopes, body.expires_at)
    return ApiKeyCreated(**info.model_dump(), secret=secret)


@router.get(
    "",
    operation_id="listApiKeys",
    summary="The API keys, without their secrets",
    responses=problem_responses(401, 403),
)
async def list_api_keys(session: SessionDep, principal: AdminDep) -> list[ApiKeyInfo]:
    return await service.list_keys(session)


@router.delete(
    "/{key_id}",
    operation_id="revokeApiKey",
    summary="Revoke an API key",
    status_code=204,
    responses=problem_responses(401, 403, 404),
)
async def revoke_api_key(
    session: SessionDep, principal: AdminDep, key_id: Annotated[str, Path(description="Key id.")]
) -> Response:
    await service.revoke_key(session, key_id)
    return Response(status_code=204)
