"""Organizations as the API shows them: names in every language, claims with their sources."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.pagination import Page
from app.schemas.categories import CategoryRef
from app.schemas.sources import SourceRef
from app.vocabulary import DatePrecision, NameType, OrganizationKind, System, Verification


class OrganizationRef(BaseModel):
    id: str = Field(examples=["org_hpb2y6u6vmba"])
    slug: str = Field(examples=["unfccc"])
    name: str = Field(description="Preferred English official name.")
    acronym: str | None = Field(
        description="Preferred English acronym, if any.", examples=["UNFCCC"]
    )


class Name(BaseModel):
    lang: str = Field(description="BCP 47 language tag.", examples=["zh-Hans"])
    type: NameType
    value: str
    preferred: bool = Field(description="The preferred name of this type in this language.")
    verification: Verification
    note: str | None
    sources: list[SourceRef]


class OrganizationCategory(CategoryRef):
    primary: bool


class Claim(BaseModel):
    """How far the sources back one field of the organization."""

    verification: Verification
    note: str | None
    sources: list[SourceRef]


class Founded(BaseModel):
    date: dt.date | None = Field(description="First day of the period `precision` names.")
    precision: DatePrecision


class Dissolved(Founded):
    """When the organization ceased to exist; `date` null while it exists (or if unknown)."""


class Identifier(BaseModel):
    """The organization's key in another dataset (`cow_igo`, `wikidata`, ...), and who says so."""

    scheme: str = Field(examples=["cow_igo"])
    value: str = Field(examples=["4410"])
    verification: Verification
    note: str | None
    source: SourceRef | None = Field(description="The page or dataset that states it.")


class Listing(BaseModel):
    """The organization is named in an act (for example the memorandum of 2026-01-07)."""

    act: SourceRef
    section: str = Field(examples=["2(b)"])
    position: int = Field(examples=[22])
    note: str | None
    sources: list[SourceRef] = Field(description="Public documents confirming the act names it.")


class Suggestion(OrganizationRef):
    """A typeahead suggestion."""

    matched_name: str = Field(description="The name or acronym that matched the query best.")


class OrganizationSummary(OrganizationRef):
    name_zh: str | None = Field(description="Preferred simplified-Chinese official name.")
    matched_name: str | None = Field(
        default=None, description="With `q`: the name or acronym that matched best."
    )
    system: System
    kind: OrganizationKind
    parent_id: str | None
    categories: list[OrganizationCategory]
    founded: Founded


class Organization(OrganizationSummary):
    parent: OrganizationRef | None
    names: list[Name]
    dissolved: Dissolved
    headquarters: str | None
    website: str | None
    identifiers: list[Identifier] = Field(
        description="Keys in other datasets, e.g. `cow_igo` (Correlates of War IGO number)."
    )
    claims: dict[str, Claim] = Field(
        description="Verification of `founded`, `dissolved`, `headquarters` and `website`, "
        "keyed by field."
    )
    listings: list[Listing]
    created_at: dt.datetime
    updated_at: dt.datetime
    revision: int


class FacetCount(BaseModel):
    value: str
    count: int


class Facets(BaseModel):
    """Counts over every organization the filters keep (not just this page)."""

    category: list[FacetCount] | None = Field(
        default=None,
        description="Per category slug; an organization counts in each of its categories.",
    )
    system: list[FacetCount] | None = None
    status: list[FacetCount] | None = Field(
        default=None, description="Per status of the `member` country on `as_of`."
    )


class OrganizationList(Page[OrganizationSummary]):
    facets: Facets | None = Field(
        default=None, description="With `facets=`: counts for the filter."
    )
    missing: list[str] | None = Field(
        default=None, description="With `ids=`: the ids or slugs that name no organization."
    )


class Suggestions(BaseModel):
    items: list[Suggestion]
