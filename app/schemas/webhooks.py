"""Webhook subscriptions and their deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AnyHttpUrl, BaseModel, Field

from app.schemas.body import RequestBody


class WebhookCreate(RequestBody):
    url: AnyHttpUrl = Field(examples=["https://example.org/hooks/orgreg"])
    event_types: list[str] = Field(min_length=1, examples=[["membership.status_changed"]])
    country: str | None = Field(
        default=None, description="Only changes about this country (alpha-2)."
    )
    organization: str | None = Field(
        default=None, description="Only changes about this organization (id)."
    )


class WebhookInfo(BaseModel):
    id: str
    url: str
    event_types: list[str]
    country_code: str | None
    organization_id: str | None
    created_by: str
    created_at: dt.datetime


class WebhookCreated(WebhookInfo):
    secret: str = Field(description="Signing secret (`whsec_...`). Shown only in this answer.")


class Delivery(BaseModel):
    id: int
    message_id: str = Field(description="Sent as `webhook-id`; the same on every retry.")
    event_type: str
    state: str = Field(description="pending, delivered or failed (given up after the last retry).")
    attempts: int
    next_attempt_at: dt.datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime
    payload: dict[str, Any]
