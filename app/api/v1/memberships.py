"""/v1/memberships"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.db import SessionDep
from app.schemas.memberships import Membership
from app.schemas.problem import problem_responses
from app.services import memberships as service

router = APIRouter(prefix="/memberships", tags=["memberships"])


@router.get(
    "/{membership_id}",
    operation_id="getMembership",
    summary="One country x organization pair: its status periods and dated events with sources",
    responses=problem_responses(304, 404),
)
async def get_membership(
    session: SessionDep,
    membership_id: Annotated[
        str, Path(description="Membership id.", examples=["mem_ba3vdubq6z7y"])
    ],
) -> Membership:
    return await service.get_membership(session, membership_id)
