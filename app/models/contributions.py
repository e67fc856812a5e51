"""Money flows from a country to an organization (or to a whole no single organization stands
for), each figure as precise as its sources state it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import DateTime, Numeric
from sqlmodel import Field, SQLModel

from app.models.common import Tracked


class Contribution(Tracked, table=True):
    """One figure a source states: an amount, a share of the recipient's total, or both.
    CHECK constraints (migration 0023) keep an organization exactly when the recipient is one,
    a currency and qualifier with every amount, and a share within 0..1."""

    __tablename__ = "contributions"

    id: str = Field(primary_key=True)
    country_code: str = Field(foreign_key="countries.code", index=True)
    recipient: str = "organization"
    organization_id: str | None = Field(default=None, foreign_key="organizations.id", index=True)
    kind: str
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    """Inclusive; both null when the source gives no period."""
    period_type: str | None = None
    period_label: str | None = None
    """The period as the source writes it (`FY2023`, `2024-2025 biennium`)."""
    amount: Decimal | None = Field(default=None, sa_type=Numeric(20, 2))
    currency: str | None = None
    amount_qualifier: str | None = None
    share: Decimal | None = Field(default=None, sa_type=Numeric(7, 6))
    """The country's part of the recipient's total of this kind for the period (0..1)."""
    share_qualifier: str | None = None
    verification: str = "unconfirmed"
    note: str | None = None
    deleted_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ContributionSource(SQLModel, table=True):
    __tablename__ = "contribution_sources"

    contribution_id: str = Field(
        primary_key=True, foreign_key="contributions.id", ondelete="CASCADE"
    )
    source_id: str = Field(primary_key=True, foreign_key="sources.id", index=True)
