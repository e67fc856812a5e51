"""The category tree (themes), named in English and simplified Chinese."""

from __future__ import annotations

from sqlmodel import Field

from app.models.common import Tracked


class Category(Tracked, table=True):
    __tablename__ = "categories"

    id: str = Field(primary_key=True)
    slug: str = Field(unique=True)
    parent_id: str | None = Field(default=None, foreign_key="categories.id", index=True)
    name_en: str
    name_zh: str
    position: int = 0
