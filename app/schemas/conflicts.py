"""Disagreements between an imported dataset and curated events."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.countries import CountryRef
from app.schemas.organizations import OrganizationRef
from app.schemas.sources import SourceRef


class Conflict(BaseModel):
    id: int
    membership_id: str = Field(examples=["mem_cqalqy23ovuq"])
    country: CountryRef
    organization: OrganizationRef
    valid_from: dt.date = Field(description="First day of the years the disagreement covers.")
    valid_to: dt.date = Field(description="First day after them.")
    dataset: SourceRef = Field(description="The imported dataset.")
    dataset_says: str = Field(examples=["non_member (code 0)"])
    registry_says: str = Field(
        description="The statuses the registry's periods give in those years.",
        examples=["suspended"],
    )
    followed: Literal["registry", "dataset"] = Field(
        description="Which one the registry's periods follow: curated, dated events win."
    )
    detected_at: dt.datetime
