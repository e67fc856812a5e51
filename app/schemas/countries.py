"""ISO 3166-1 countries."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CountryRef(BaseModel):
    code: str = Field(description="ISO 3166-1 alpha-2.", examples=["US"])
    alpha3: str = Field(examples=["USA"])
    name_en: str = Field(examples=["United States"])


class Country(CountryRef):
    numeric: str = Field(examples=["840"])
    official_name_en: str | None
    name_zh_hans: str | None = Field(examples=["美国"])
    name_zh_hant: str | None = Field(examples=["美國"])
