"""API keys as the API shows them: never the secret, except once at creation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from app.schemas.body import RequestBody
from app.vocabulary import Scope


def _text_only(value: Any) -> Any:
    """A timestamp is written as ISO 8601 text, never as a number of seconds."""
    if value is not None and not isinstance(value, str):
        raise ValueError("write the time as ISO 8601 text, e.g. 2027-01-01T00:00:00Z")
    return value


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_text_only)]


class ApiKeyCreate(RequestBody):
    name: str = Field(min_length=1, max_length=100, examples=["curation-bot"])
    scopes: list[Scope] = Field(min_length=1, examples=[["write"]])
    expires_at: IsoDateTime | None = Field(
        default=None, description="UTC; omitted: never expires.", examples=["2027-01-01T00:00:00Z"]
    )


class ApiKeyInfo(BaseModel):
    id: str
    name: str
    prefix: str = Field(description="The public part of the key, to recognise it in lists.")
    scopes: list[Scope]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class ApiKeyCreated(ApiKeyInfo):
    secret: str = Field(description="The key itself. Shown only in this answer; store it now.")
