"""Documents that facts cite."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from app.models.common import Tracked


class Source(Tracked, table=True):
    __tablename__ = "sources"

    id: str = Field(primary_key=True)
    title: str | None = None
    publisher: str
    url: str | None = Field(default=None, index=True)
    published_on: date | None = None
    published_precision: str = "unknown"
    kind: str
    confidence_note: str | None = None
