"""/v1/meta: the registry as a whole."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class License(BaseModel):
    id: str = Field(description="SPDX identifier.", examples=["CC-BY-4.0"])
    url: str
    attribution: str = Field(description="What reusers should credit.")


class Meta(BaseModel):
    api_version: str = Field(examples=["v1"])
    service_version: str
    data_version: int = Field(description="Changes whenever the data does; also `X-Data-Version`.")
    last_updated: dt.datetime | None = Field(description="When a record last changed.")
    counts: dict[str, int] = Field(description="Rows per resource.")
    history_began_at: dt.datetime | None = Field(
        description="The earliest moment `known_at` can ask about: since then the registry "
        "keeps every version of what it holds (null: no history kept yet)."
    )
    known_at: dt.datetime | None = Field(
        default=None, description="The moment this answer describes, when one was asked for."
    )
    license: License
