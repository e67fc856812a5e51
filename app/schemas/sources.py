"""Sources: the documents facts cite."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.vocabulary import DatePrecision, SourceKind


class SourceRef(BaseModel):
    """A source as cited inline next to a fact."""

    id: str = Field(examples=["src_vjn43p3a77iw"])
    title: str | None
    publisher: str
    url: str | None
    published_on: dt.date | None
    kind: SourceKind


class Source(SourceRef):
    published_precision: DatePrecision
    confidence_note: str | None = Field(
        description="What is known about how far this source can be trusted."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    revision: int
