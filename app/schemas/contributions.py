"""Contributions: what a country paid (or owes, or pledged) an organization, as its sources
state it, and the statistics that join them with membership."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import pycountry
from pydantic import AfterValidator, BaseModel, Field

from app.schemas.body import RequestBody
from app.schemas.countries import CountryRef
from app.schemas.organizations import OrganizationRef
from app.schemas.sources import SourceRef
from app.schemas.writes import PartialDate, SourceIds, Text
from app.vocabulary import (
    ContributionKind,
    MembershipStatus,
    PeriodType,
    Qualifier,
    Recipient,
    Verification,
)


def _iso_4217(value: str) -> str:
    if pycountry.currencies.get(alpha_3=value) is None:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return value


Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["USD"]), AfterValidator(_iso_4217)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=2, examples=[261000000])]
Share = Annotated[Decimal, Field(ge=0, le=1, max_digits=7, decimal_places=6, examples=[0.22])]
PeriodLabel = Annotated[str, Field(min_length=1, max_length=100, examples=["FY2023"])]


class ContributionFields(BaseModel):
    """What a contribution says besides who pays whom; the same in a request and an answer."""

    kind: ContributionKind
    period_type: PeriodType | None = Field(
        default=None, description="Calendar or fiscal years; null when the source does not say."
    )
    period_label: PeriodLabel | None = Field(
        default=None, description="The period as the source writes it (`FY2023`, `2024-2025`)."
    )
    currency: Currency | None = Field(
        default=None, description="ISO 4217 code of `amount`; given exactly when an amount is."
    )
    amount_qualifier: Qualifier | None = Field(
        default=None,
        description="How the source states the amount (`over` USD 16 billion); in a request, "
        "`exact` when an amount is given without one.",
    )
    share_qualifier: Qualifier | None = Field(
        default=None,
        description="How the source states the share (`nearly` 28 %); in a request, `exact` "
        "when a share is given without one.",
    )
    verification: Verification = Verification.unconfirmed
    note: Text | None = None


class Contribution(ContributionFields):
    id: str = Field(examples=["ctb_x6f0b1c2d3e4"])
    country: CountryRef
    recipient: Recipient
    organization: OrganizationRef | None = Field(
        description="The recipient when it is one organization; null for a whole (the UN system, "
        "all international organizations)."
    )
    period_start: dt.date | None = Field(
        description="First day of the period; null when the source gives no period."
    )
    period_end: dt.date | None = Field(description="Last day of the period (inclusive).")
    amount: float | None = Field(description="In `currency`; null when the source gives none.")
    share: float | None = Field(
        description="The country's part (0..1) of everything of this `kind` the recipient "
        "received for the period, as the source states it (the note names the source's own "
        "denominator where it is narrower); null when the source gives none."
    )
    sources: list[SourceRef]
    created_at: dt.datetime
    updated_at: dt.datetime
    revision: int


class ContributionCreate(ContributionFields, RequestBody):
    country: Annotated[str, Field(min_length=2, max_length=4, examples=["US"])]
    recipient: Recipient = Recipient.organization
    organization: str | None = Field(
        default=None,
        max_length=200,
        description="Id or slug; required exactly when `recipient` is `organization`.",
        examples=["who"],
    )
    period_start: PartialDate | None = Field(
        default=None, description="`2024` or `2022-10` means the first day of that year or month."
    )
    period_end: PartialDate | None = Field(
        default=None, description="`2025` or `2023-09` means the last day of that year or month."
    )
    amount: Amount | None = None
    share: Share | None = Field(default=None, description="A fraction: 0.22 for 22 %.")
    sources: SourceIds = Field(
        min_length=1, description="Ids of the sources that state the figure."
    )


class ContributionPatch(RequestBody):
    """JSON merge patch (RFC 7396): absent fields stay, `null` clears, `sources` is replaced."""

    country: Annotated[str, Field(min_length=2, max_length=4)] | None = None
    recipient: Recipient | None = None
    organization: Annotated[str, Field(max_length=200)] | None = None
    kind: ContributionKind | None = None
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    period_type: PeriodType | None = None
    period_label: PeriodLabel | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    amount_qualifier: Qualifier | None = None
    share: Share | None = None
    share_qualifier: Qualifier | None = None
    verification: Verification | None = None
    note: Text | None = None
    sources: SourceIds | None = Field(default=None, min_length=1)


class OrganizationContributions(BaseModel):
    organization: OrganizationRef
    status: MembershipStatus = Field(description="The country's status in it on `as_of`.")
    contributions: list[Contribution] = Field(
        description="Every figure the registry holds for the country and this organization; "
        "empty when none (the registry does not know, which is not zero)."
    )


class AmountTotal(BaseModel):
    """Amounts of one kind in one currency added up, across the organizations kept."""

    currency: str
    kind: ContributionKind
    amount: float
    figures: int = Field(description="How many figures the sum adds.")
    qualifiers: list[Qualifier] = Field(
        description="The qualifiers of the amounts added: with `over` or `about` among them the "
        "sum is no more precise than they are."
    )
    periods: list[str] = Field(
        description="The periods the figures cover (`2024-01-01..2025-12-31`, or `unknown`): "
        "a sum over different periods is a sum of what the sources state, not a budget."
    )


class ContributionStats(BaseModel):
    """The organizations a country has a given status in (or that an act lists), each with
    what the country contributed to it. Shares are never added up across organizations."""

    country: CountryRef
    as_of: dt.date
    listed_in: str | None = Field(description="The act whose list kept the organizations.")
    statuses: list[MembershipStatus] | None = Field(
        description="The statuses that kept them; null when `listed_in` alone did."
    )
    organizations: list[OrganizationContributions] = Field(description="By slug.")
    organizations_total: int
    with_figures: int = Field(description="Organizations with at least one figure.")
    without_figures: int = Field(
        description="Organizations the registry holds no figure for: unknown, not zero."
    )
    amount_totals: list[AmountTotal] = Field(
        description="Per currency and kind, where amounts exist; shares are not added."
    )
    other_recipients: list[Contribution] = Field(
        description="The country's figures for recipients that are not one organization (the "
        "UN system, all international organizations)."
    )
