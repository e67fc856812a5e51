"""Columns every curated resource shares: when it was created and changed, and its revision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, func
from sqlmodel import Field, SQLModel


class Tracked(SQLModel):
    created_at: datetime = Field(
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now()},
    )
    updated_at: datetime = Field(
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now()},
    )
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
