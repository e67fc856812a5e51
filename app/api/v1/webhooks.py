"""/v1/webhooks (scope `admin`)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.api.auth import AdminDep
from app.api.pagination import Cursor, PageSize, page_of
from app.api.writes import IdempotencyKey, run_write
from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.problem import problem_responses
from app.schemas.webhooks import Delivery, WebhookCreate, WebhookCreated, WebhookInfo
from app.services import webhooks as service

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
WebhookId = Annotated[str, Path(description="Webhook id.")]


@router.post(
    "",
    operation_id="createWebhook",
    summary="Subscribe a URL to change events; deliveries are signed (Standard Webhooks)",
    status_code=201,
    response_model=WebhookCreated,
    responses=problem_responses(400, 401, 403, 409, 413, 415, 422),
)
async def create_webhook(
    request: Request,
    session: SessionDep,
    principal: AdminDep,
    body: WebhookCreate,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return await run_write(
        request,
        session,
        principal,
        None,
        lambda who: service.create(session, body, who.name),
        status=201,
        idempotency_key=idempotency_key,
    )


@router.get(
    "",
    operation_id="listWebhooks",
    summary="The webhook subscriptions (without their secrets)",
    responses=problem_responses(401, 403),
)
async def list_webhooks(session: SessionDep, principal: AdminDep) -> list[WebhookInfo]:
    return await service.list_webhooks(session)


@router.get(
    "/{webhook_id}/deliveries",
    operation_id="listWebhookDeliveries",
    summary="Deliveries to a webhook, newest first: pending, delivered and failed, with errors",
    responses=problem_responses(400, 401, 403, 404),
)
async def list_webhook_deliveries(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: AdminDep,
    webhook_id: WebhookId,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[Delivery]:
    items, next_cursor = await service.deliveries(
        session, webhook_id, page_request(page_size, cursor, "id", (int,))
    )
    return page_of(request, response, items, next_cursor)


@router.delete(
    "/{webhook_id}",
    operation_id="deleteWebhook",
    summary="Unsubscribe",
    status_code=204,
    responses=problem_responses(401, 403, 404),
)
async def delete_webhook(
    session: SessionDep, principal: AdminDep, webhook_id: WebhookId
) -> Response:
    await service.delete(session, webhook_id)
    return Response(status_code=204)
