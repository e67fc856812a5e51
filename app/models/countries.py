"""ISO 3166-1 countries, loaded from pycountry by a migration."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Country(SQLModel, table=True):
    __tablename__ = "countries"

    code: str = Field(primary_key=True, max_length=2)
    alpha3: str = Field(unique=True, max_length=3)
    numeric: str = Field(unique=True, max_length=3)
    name_en: str
    official_name_en: str | None = None
    name_zh_hans: str | None = None
    name_zh_hant: str | None = None
