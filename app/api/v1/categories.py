"""/v1/categories"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Cursor, Page, PageSize, page_of, page_request
from app.schemas.categories import Category
from app.schemas.problem import problem_responses
from app.services import categories as service

router = APIRouter(prefix="/categories", tags=["categories"])


@router.get(
    "",
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
    operation_id="getCategory",
    summary="One category with its children and counts",
    responses=problem_responses(304, 404),
)
async def get_category(
    session: SessionDep,
    slug: Annotated[str, Path(description="Category slug.", examples=["climate-environment"])],
) -> Category:
    return await service.get_category(session, slug)
