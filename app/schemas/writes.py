"""Request bodies of the write operations. Unknown fields are refused (`extra="forbid"`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import langcodes
from pydantic import AfterValidator, AnyHttpUrl, Field, StrictBool, StrictInt

from app.schemas.body import RequestBody
from app.vocabulary import (
    DatePrecision,
    EventType,
    MembershipBasis,
    NameType,
    OrganizationKind,
    SourceKind,
    System,
    Verification,
)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value: str) -> tuple[dt.date, DatePrecision]:
    """`2014` -> (2014-01-01, year); `2009-05` -> (2009-05-01, month); `2026-01-07` -> day."""
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError("use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    precision = DatePrecision.day if day else DatePrecision.month if month else DatePrecision.year
    return dt.date(int(year), int(month or 1), int(day or 1)), precision


def _partial_date(value: str) -> str:
    parse_partial_date(value)
    return value


def _language_tag(value: str) -> str:
    if not langcodes.tag_is_valid(value):
        raise ValueError(f"{value!r} is not a valid BCP 47 language tag")
    return value


PartialDate = Annotated[
    str, AfterValidator(_partial_date), Field(examples=["2026-01-07", "2009-05", "1984"])
]
LanguageTag = Annotated[
    str, AfterValidator(_language_tag), Field(max_length=35, examples=["zh-Hant"])
]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=100)]
SourceIds = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class NameIn(RequestBody):
    lang: LanguageTag
    type: NameType
    value: Annotated[str, Field(min_length=1, max_length=500)]
    preferred: StrictBool = False
    verification: Verification = Verification.unconfirmed
    note: Text | None = None
    sources: SourceIds = Field(default_factory=list)


class IdentifierIn(RequestBody):
    scheme: Annotated[
        str,
        Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40, examples=["cow_igo", "wikidata"]),
    ]
    value: Annotated[str, Field(min_length=1, max_length=200, examples=["4410", "Q7809"])]
    verification: Verification = Verification.unconfirmed
    note: Text | None = None
    source: Annotated[str, Field(max_length=100)] | None = Field(
        default=None, description="Id of the source that states the identifier."
    )


class CategoryAssignment(RequestBody):
    slug: Slug
    primary: StrictBool = False


class OrganizationCreate(RequestBody):
    slug: Slug
    system: System
    kind: OrganizationKind
    parent: str | None = Field(default=None, description="Id or slug of the parent organization.")
    founded: PartialDate | None = None
    dissolved: PartialDate | None = None
    headquarters: Text | None = None
    website: AnyHttpUrl | None = None
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=50)
    names: list[NameIn] = Field(min_length=1, max_length=200)
    categories: list[CategoryAssignment] = Field(
        max_length=20,
        description="Exactly one `primary` when any are given; none leaves it uncategorized.",
    )


class OrganizationPatch(RequestBody):
    """JSON merge patch (RFC 7396): absent fields stay, `null` clears, lists are replaced."""

    slug: Slug | None = None
    system: System | None = None
    kind: OrganizationKind | None = None
    parent: str | None = None
    founded: PartialDate | None = None
    dissolved: PartialDate | None = None
    headquarters: Text | None = None
    website: AnyHttpUrl | None = None
    identifiers: list[IdentifierIn] | None = Field(default=None, max_length=50)
    names: list[NameIn] | None = Field(default=None, min_length=1, max_length=200)
    categories: list[CategoryAssignment] | None = Field(default=None, max_length=20)


class MergeRequest(RequestBody):
    into: str = Field(description="Id or slug of the organization that survives.")


class CategoryCreate(RequestBody):
    slug: Slug
    parent: Slug | None = None
    name_en: Annotated[str, Field(min_length=1, max_length=200)]
    name_zh: Annotated[str, Field(min_length=1, max_length=200)]
    position: StrictInt = Field(default=0, ge=0, le=10_000)


class CategoryPatch(RequestBody):
    slug: Slug | None = None
    parent: Slug | None = None
    name_en: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    name_zh: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    position: StrictInt | None = Field(default=None, ge=0, le=10_000)


class SourceCreate(RequestBody):
    title: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    publisher: Annotated[str, Field(min_length=1, max_length=300)]
    url: AnyHttpUrl | None = None
    published_on: PartialDate | None = None
    kind: SourceKind
    confidence_note: Text | None = None


class SourcePatch(RequestBody):
    title: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    publisher: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    url: AnyHttpUrl | None = None
    published_on: PartialDate | None = None
    kind: SourceKind | None = None
    confidence_note: Text | None = None


class MembershipCreate(RequestBody):
    country: Annotated[str, Field(min_length=2, max_length=3, examples=["US"])]
    organization: str = Field(description="Id or slug.", examples=["who"])
    basis: MembershipBasis
    basis_verification: Verification = Verification.unconfirmed
    note: Text | None = None


class EventCreate(RequestBody):
    type: EventType
    date: PartialDate | None = Field(default=None, description="Null when the date is unknown.")
    date_precision: DatePrecision | None = Field(
        default=None, description="Defaults to the precision `date` is written with; must agree."
    )
    verification: Verification = Verification.confirmed
    note: Text | None = None
    sources: SourceIds = Field(min_length=1, description="Ids of the sources that state the event.")


class EventBatchItem(EventCreate):
    membership: str = Field(max_length=100, description="Id of the membership it belongs to.")


class EventBatch(RequestBody):
    events: list[EventBatchItem] = Field(
        min_length=1,
        max_length=500,
        description="Applied in this order, all or none; each is checked against the events "
        "before it, those of the same request included.",
    )
