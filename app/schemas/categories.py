"""Categories: a small tree of themes named in English and simplified Chinese."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CategoryRef(BaseModel):
    slug: str = Field(examples=["climate-environment"])
    name_en: str
    name_zh: str


class Category(CategoryRef):
    id: str
    parent: str | None = Field(description="Slug of the parent category; null for a root.")
    children: list[str] = Field(description="Slugs of the child categories.")
    position: int = Field(description="Order among its siblings in the tree.")
    organization_count: int = Field(
        description="Organizations in this category or below it (any of their categories)."
    )
    primary_organization_count: int = Field(
        description="Organizations whose primary category is this one or one below it."
    )
