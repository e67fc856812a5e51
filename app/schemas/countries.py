"""Countries: ISO 3166-1, and ISO 3166-3 for those that no longer exist."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class CountryRef(BaseModel):
    code: str = Field(
        description="ISO 3166-1 alpha-2; for a country that no longer exists, its ISO 3166-3 "
        "alpha-4 (SUHH, DDDE, YUCS, ...); for a state with no ISO code that the historical "
        "data covers (Austria-Hungary, Bavaria, the Republic of Vietnam, Kosovo, ...), a code "
        "from ISO 3166-1's user-assigned range XA-XZ, given by this registry.",
        examples=["US"],
    )
    alpha3: str = Field(examples=["USA"])
    name_en: str = Field(examples=["United States"])


class Country(CountryRef):
    numeric: str = Field(examples=["840"])
    official_name_en: str | None
    name_zh_hans: str | None = Field(examples=["美国"])
    name_zh_hant: str | None = Field(examples=["美國"])
    historical: bool = Field(description="The country no longer exists (ISO 3166-3).")
    valid_from: dt.date | None = Field(description="For a former country: when it came to be.")
    valid_to: dt.date | None = Field(
        description="For a former country: the first day it no longer existed."
    )
    source_url: str | None = Field(description="Where the former country's dates come from.")
    cow_ccode: int | None = Field(
        default=None,
        description="For a state with no ISO code: its Correlates of War state number; its "
        "dates are those of its membership in COW's state system.",
    )
