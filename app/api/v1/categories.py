"""/v1/categories"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.api.auth import WriterDep
from app.api.pagination import Cursor, PageSize, page_of
from app.api.params import KNOWN_AT
from app.api.writes import ChangeReason, IdempotencyKey, IfMatch, precondition, run_write
from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.categories import Category
from app.schemas.problem import problem_responses
from app.schemas.writes import CategoryCreate, CategoryPatch
from app.services import categories as service
from app.services.writes import categories as writes

router = APIRouter(prefix="/categories", tags=["categories"])


@router.get(
    "",
    dependencies=[KNOWN_AT],
    operation_id="listCategories",
    summary="The category tree, in tree order, with organization counts",
    responses=problem_responses(304, 400),
)
async def list_categories(
    request: Request,
    response: Response,
    session: SessionDep,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[Category]:
    items, next_cursor = await service.list_categories(
        session, page_request(page_size, cursor, "tree", (int, str))
    )
    return page_of(request, response, items, next_cursor)


@router.get(
    "/{slug}",
    dependencies=[KNOWN_AT],
    operation_id="getCategory",
    summary="One category with its children and counts",
    responses=problem_responses(304, 404),
)
async def get_category(
    session: SessionDep,
    slug: Annotated[str, Path(description="Category slug.", examples=["climate-environment"])],
) -> Category:
    return await service.get_category(session, slug)


@router.post(
    "",
    operation_id="createCategory",
    summary="Create a category (scope `write`)",
    status_code=201,
    response_model=Category,
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def create_category(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    body: CategoryCreate,
    reason: ChangeReason = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda actor: writes.create_category(session, body, actor),
        status=201,
        idempotency_key=idempotency_key,
        location=lambda c: f"/v1/categories/{c.slug}",
    )


@router.patch(
    "/{slug}",
    operation_id="updateCategory",
    summary="Rename or move a category (scope `write`, If-Match required)",
    response_model=Category,
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 415, 422, 428),
)
async def update_category(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    slug: Annotated[str, Path(description="Category slug.")],
    body: CategoryPatch,
    if_match: IfMatch = None,
    reason: ChangeReason = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda who: writes.update_category(session, slug, body, precondition(if_match), who),
        status=200,
    )


@router.delete(
    "/{slug}",
    operation_id="deleteCategory",
    summary="Delete an unused category (scope `write`, If-Match required)",
    status_code=204,
    responses=problem_responses(401, 403, 404, 409, 412, 428),
)
async def delete_category(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    slug: Annotated[str, Path(description="Category slug.")],
    if_match: IfMatch = None,
    reason: ChangeReason = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        reason,
        lambda who: writes.delete_category(session, slug, precondition(if_match), who),
        status=204,
    )
