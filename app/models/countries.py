"""Countries: ISO 3166-1 from pycountry, and the ISO 3166-3 codes of countries that no longer
exist (USSR, Yugoslavia, ...), which historical data needs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel


class Country(SQLModel, table=True):
    __tablename__ = "countries"
    __table_args__ = (
        # ISO 3166-3 reuses numeric codes, so only current countries must have distinct ones.
        Index(
            "uq_countries_numeric_current",
            "numeric",
            unique=True,
            postgresql_where=text("NOT historical"),
        ),
    )

    code: str = Field(
        primary_key=True,
        max_length=4,
        description="Alpha-2, the alpha-4 of ISO 3166-3, or a user-assigned alpha-2 (XA-XZ).",
    )
    alpha3: str = Field(unique=True, max_length=3)
    numeric: str = Field(max_length=3)
    name_en: str
    official_name_en: str | None = None
    name_zh_hans: str | None = None
    name_zh_hant: str | None = None
    historical: bool = Field(default=False, sa_column_kwargs={"server_default": "false"})
    valid_from: date | None = None
    valid_to: date | None = None
    source_url: str | None = None
    cow_ccode: int | None = None
    """The Correlates of War state number, for the states COW covers that have no ISO code."""
