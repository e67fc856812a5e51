"""Organizations, their names in many languages, categories, sourced claims and listings."""

from __future__ import annotations

import datetime as dt
from datetime import date

from sqlalchemy import (
    Column,
    Computed,
    DateTime,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlmodel import Field, SQLModel

from app.models.common import Tracked


class Organization(Tracked, table=True):
    __tablename__ = "organizations"

    id: str = Field(primary_key=True)
    slug: str = Field(unique=True)
    system: str
    kind: str
    parent_id: str | None = Field(default=None, foreign_key="organizations.id", index=True)
    founded_on: date | None = None
    founded_precision: str = "unknown"
    dissolved_on: date | None = None
    dissolved_precision: str = Field(
        default="unknown", sa_column_kwargs={"server_default": "unknown"}
    )
    headquarters: str | None = None
    website: str | None = None
    # Tombstones: a deleted organization answers 410, a merged one 308 to its survivor.
    deleted_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    merged_into_id: str | None = Field(default=None, foreign_key="organizations.id")


class OrganizationName(SQLModel, table=True):
    """One name of an organization in one language: official, short, acronym or alias."""

    __tablename__ = "organization_names"
    __table_args__ = (
        UniqueConstraint("organization_id", "lang", "type", "value"),
        Index(
            "uq_organization_names_preferred",
            "organization_id",
            "lang",
            "type",
            unique=True,
            postgresql_where=text("is_preferred"),
        ),
        Index(
            "ix_organization_names_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index(
            "ix_organization_names_search_prefix",
            "search_text",
            postgresql_ops={"search_text": "text_pattern_ops"},
        ),
        Index(
            "ix_organization_names_compact_prefix",
            "search_compact",
            postgresql_ops={"search_compact": "text_pattern_ops"},
        ),
        Index("ix_organization_names_grams", "grams", postgresql_using="gin"),
        Index("ix_organization_names_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: str = Field(primary_key=True)
    organization_id: str = Field(foreign_key="organizations.id", ondelete="CASCADE", index=True)
    lang: str
    type: str
    value: str
    is_preferred: bool = False
    verification: str = "unconfirmed"
    note: str | None = None
    # Search keys, computed by app.services.search_text.fold() whenever a name is written.
    search_text: str = Field(default="", sa_column_kwargs={"server_default": ""})
    search_compact: str = Field(default="", sa_column_kwargs={"server_default": ""})
    grams: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(String()), nullable=False, server_default="{}"),
    )
    search_vector: str | None = Field(
        default=None,
        sa_column=Column(
            TSVECTOR(), Computed("to_tsvector('english'::regconfig, search_text)", persisted=True)
        ),
    )


class OrganizationNameSource(SQLModel, table=True):
    __tablename__ = "organization_name_sources"

    name_id: str = Field(primary_key=True, foreign_key="organization_names.id", ondelete="CASCADE")
    source_id: str = Field(primary_key=True, foreign_key="sources.id", index=True)


class OrganizationIdentifier(SQLModel, table=True):
    """The organization's key in another dataset, e.g. scheme `cow_igo`, value `4410`."""

    __tablename__ = "organization_identifiers"

    scheme: str = Field(primary_key=True)
    value: str = Field(primary_key=True)
    organization_id: str = Field(foreign_key="organizations.id", ondelete="CASCADE", index=True)
    verification: str = Field(default="unconfirmed")
    source_id: str | None = Field(default=None, foreign_key="sources.id")
    """The page or dataset that states the identifier."""
    note: str | None = None


class OrganizationCategory(SQLModel, table=True):
    __tablename__ = "organization_categories"
    __table_args__ = (
        Index(
            "uq_organization_categories_primary",
            "organization_id",
            unique=True,
            postgresql_where=text("is_primary"),
        ),
    )

    organization_id: str = Field(
        primary_key=True, foreign_key="organizations.id", ondelete="CASCADE"
    )
    category_id: str = Field(primary_key=True, foreign_key="categories.id", index=True)
    is_primary: bool = False


class OrganizationClaim(SQLModel, table=True):
    """How well the sources back one field of an organization (founded, headquarters, website)."""

    __tablename__ = "organization_claims"

    organization_id: str = Field(
        primary_key=True, foreign_key="organizations.id", ondelete="CASCADE"
    )
    field: str = Field(primary_key=True)
    verification: str = "unconfirmed"
    note: str | None = None


class OrganizationClaimSource(SQLModel, table=True):
    __tablename__ = "organization_claim_sources"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "field"],
            ["organization_claims.organization_id", "organization_claims.field"],
            ondelete="CASCADE",
        ),
    )

    organization_id: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    source_id: str = Field(primary_key=True, foreign_key="sources.id", index=True)


class Listing(SQLModel, table=True):
    """An organization named in an act (`source_id`), e.g. item 14 of the 2026-01-07 memorandum."""

    __tablename__ = "listings"
    __table_args__ = (UniqueConstraint("source_id", "section", "position"),)

    id: str = Field(primary_key=True)
    organization_id: str = Field(foreign_key="organizations.id", ondelete="CASCADE", index=True)
    source_id: str = Field(foreign_key="sources.id", index=True)
    section: str
    position: int
    note: str | None = None


class ListingSource(SQLModel, table=True):
    """A public document confirming that the act names the organization."""

    __tablename__ = "listing_sources"

    listing_id: str = Field(primary_key=True, foreign_key="listings.id", ondelete="CASCADE")
    source_id: str = Field(primary_key=True, foreign_key="sources.id", index=True)
