"""Tables of curation: API keys, revisions (history and change feed), idempotency records,
webhook subscriptions and their outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel


def _timestamp(nullable: bool = False, default_now: bool = True) -> Any:
    return Field(
        default=None,
        sa_column=Column(
            DateTime(timezone=True),
            nullable=nullable,
            server_default=func.now() if default_now else None,
        ),
    )


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: str = Field(primary_key=True)
    name: str = Field(unique=True)
    """Revisions record a key by its name: one name, one key (revoked ones keep theirs)."""
    prefix: str = Field(unique=True)
    secret_hash: str
    scopes: list[str] = Field(sa_column=Column(ARRAY(String()), nullable=False))
    created_at: dt.datetime = _timestamp()
    expires_at: dt.datetime | None = _timestamp(nullable=True, default_now=False)
    revoked_at: dt.datetime | None = _timestamp(nullable=True, default_now=False)
    last_used_at: dt.datetime | None = _timestamp(nullable=True, default_now=False)


class Revision(SQLModel, table=True):
    """One write: who, when, why, what changed. Its id orders the change feed."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_resource", "resource_type", "resource_id", "id"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    resource_type: str
    resource_id: str
    action: str
    revision: int
    actor: str
    reason: str | None = None
    diff: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    occurred_at: dt.datetime = _timestamp()


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_records"

    api_key_id: str = Field(primary_key=True, foreign_key="api_keys.id", ondelete="CASCADE")
    key: str = Field(primary_key=True)
    request_hash: str
    response_status: int
    response_body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    response_headers: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: dt.datetime = _timestamp()


class Webhook(SQLModel, table=True):
    __tablename__ = "webhooks"

    id: str = Field(primary_key=True)
    url: str
    event_types: list[str] = Field(sa_column=Column(ARRAY(String()), nullable=False))
    country_code: str | None = None
    organization_id: str | None = None
    secret: str
    created_by: str
    created_at: dt.datetime = _timestamp()
    deleted_at: dt.datetime | None = _timestamp(nullable=True, default_now=False)


class OutboxMessage(SQLModel, table=True):
    """A delivery owed to a webhook, written in the transaction of the change it reports."""

    __tablename__ = "webhook_outbox"
    __table_args__ = (
        Index("ix_webhook_outbox_due", "state", "next_attempt_at"),
        Index("ix_webhook_outbox_order", "webhook_id", "ordering_key", "id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    message_id: str = Field(unique=True)
    webhook_id: str = Field(
        sa_column=Column(String, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False)
    )
    revision_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("revisions.id"), nullable=False)
    )
    event_type: str
    ordering_key: str
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    state: str = "pending"
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    next_attempt_at: dt.datetime = _timestamp()
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: dt.datetime | None = _timestamp(nullable=True, default_now=False)
    created_at: dt.datetime = _timestamp()


class RateBucket(SQLModel, table=True):
    """A client's token bucket, shared by every worker (ORGREG_RATE_LIMIT_PER_MINUTE). Unlogged:
    after a crash every client starts with a full bucket, which is harmless."""

    __tablename__ = "rate_buckets"
    __table_args__ = {"prefixes": ["UNLOGGED"]}

    client: str = Field(primary_key=True)
    """`key:<id>` for a verified API key, else `address:<client address>`."""
    tokens: float
    allowed: bool
    """Whether the request that last touched the bucket could take a token."""
    updated_at: dt.datetime = _timestamp()
