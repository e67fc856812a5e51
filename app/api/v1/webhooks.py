"""/v1/webhooks (scope `admin`)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.api.auth import AdminDep
from app.api.pagination import Cursor, PageSize, page_of
from app.db import SessionDep
from app.errors import InvalidBody
from app.pagination import DEFAULT_PAGE_SIZE, Page, page_request
from app.schemas.problem import problem_responses
from app.schemas.webhooks import Delivery, WebhookCreate, WebhookCreated, WebhookInfo
from app.services import countries as country_service
from app.services import organizations as organization_service
from app.services import webhooks as service

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
WebhookId = Annotated[str, Path(description="Webhook id.")]


@router.post(
    "",
    operation_id="createWebhook",
    summary="Subscribe a URL to change events; deliveries are signed (Standard Webhooks)",
    status_code=201,
    responses=problem_responses(401, 403, 413, 415, 422),
)
async def create_webhook(
    session: SessionDep, principal: AdminDep, body: WebhookCreate
) -> WebhookCreated:
    if body.country is not None:
        code = await country_service.find_country_code(session, body.country)
        if code is None:
            raise InvalidBody(
                f"'{body.country}' is not an ISO 3166-1 country code.", field="country"
            )
        body = body.model_copy(update={"country": code})
    if body.organization is not None:
        org_id = await organization_service.resolve_organization_field(
            session, body.organization, "organization"
        )
        body = body.model_copy(update={"organization": org_id})
    return await service.create(session, body, principal.name)


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
