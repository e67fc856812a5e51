"""/v1/keys (scope `admin`)"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app import problem_types as types
from app.api.auth import AdminDep
from app.api.writes import IdempotencyKey, run_write
from app.db import SessionDep
from app.errors import PROBLEM_MEDIA_TYPE, problem
from app.schemas.keys import ApiKeyCreate, ApiKeyCreated, ApiKeyInfo
from app.schemas.problem import problem_responses
from app.services import keys as service
from app.services.idempotency import StoredAnswer
from app.services.writes.common import Actor

router = APIRouter(prefix="/keys", tags=["keys"])


@router.post(
    "",
    operation_id="createApiKey",
    summary="Create an API key; its secret is shown in this answer only",
    status_code=201,
    response_model=ApiKeyCreated,
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def create_api_key(
    request: Request,
    session: SessionDep,
    principal: AdminDep,
    body: ApiKeyCreate,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def create(_: Actor) -> ApiKeyCreated:
        info, secret = await service.add_key(session, body.name, body.scopes, body.expires_at)
        return ApiKeyCreated(**info.model_dump(), secret=secret)

    return await run_write(
        request,
        session,
        principal,
        None,
        create,
        status=201,
        idempotency_key=idempotency_key,
        kept_as=_without_the_secret,
    )


def _without_the_secret(answer: Response) -> StoredAnswer:
    """A retry of a key's creation must not get its secret from storage, where secrets are
    never kept: it gets a 409 that names the key instead."""
    created = json.loads(bytes(answer.body))
    refusal = problem(
        types.CONFLICT,
        f"This Idempotency-Key already created the key {created['id']} ('{created['name']}'); "
        f"its secret was shown only in that answer. If it was lost, revoke the key "
        f"(DELETE /v1/keys/{created['id']}) and create another.",
        instance="/v1/keys",
    )
    return StoredAnswer(409, bytes(refusal.body), {}, PROBLEM_MEDIA_TYPE)


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
