"""Revisions (a resource's history) and the change feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from app.pagination import Page


class RevisionOut(BaseModel):
    id: int = Field(description="Position in the change feed.")
    resource_type: str = Field(examples=["organization"])
    resource_id: str
    action: str = Field(examples=["updated"])
    revision: int = Field(description="The resource's revision number after this change.")
    actor: str = Field(description="Name of the API key that made the change.")
    reason: str | None = Field(description="From `X-Change-Reason`.")
    diff: dict[str, Any] = Field(description="Per field: {old, new}.")
    occurred_at: dt.datetime


class Change(RevisionOut):
    """One entry of the change feed."""


class ChangePage(Page[Change]):
    poll_cursor: str | None = Field(
        description="Where to continue from later, even when this page is the last: pass it as "
        "`cursor` to receive only newer changes."
    )
