"""The controlled vocabularies of the API contract (docs/api-v1.md), defined once.

Schemas expose them as enums in OpenAPI; tables store them as text, kept inside them by CHECK
constraints that the migrations spell out (a migration never imports this module).
`COLUMNS` says which column holds which vocabulary, and a test checks the database's
constraints against it (tests/migrations/test_vocabulary.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class System(StrEnum):
    un = "un"
    non_un = "non_un"


class OrganizationKind(StrEnum):
    principal_organ = "principal_organ"
    department_office = "department_office"
    programme_fund = "programme_fund"
    regional_commission = "regional_commission"
    specialized_agency = "specialized_agency"
    related_organization = "related_organization"
    subsidiary_body = "subsidiary_body"
    tribunal = "tribunal"
    research_training_institute = "research_training_institute"
    coordination_mechanism = "coordination_mechanism"
    treaty_agreement = "treaty_agreement"
    intergovernmental_organization = "intergovernmental_organization"
    forum_partnership = "forum_partnership"
    register_instrument = "register_instrument"


class NameType(StrEnum):
    official = "official"
    short = "short"
    acronym = "acronym"
    alias = "alias"


class Verification(StrEnum):
    """How far the cited sources back a fact; anything no source confirms is `unconfirmed`."""

    confirmed = "confirmed"
    partial = "partial"
    disputed = "disputed"
    unconfirmed = "unconfirmed"


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"
    unknown = "unknown"


class SourceKind(StrEnum):
    official_text = "official_text"
    organization_statement = "organization_statement"
    news = "news"
    reference_work = "reference_work"
    other = "other"


class ClaimField(StrEnum):
    founded = "founded"
    dissolved = "dissolved"
    headquarters = "headquarters"
    website = "website"


class MembershipBasis(StrEnum):
    member_state = "member_state"
    participant = "participant"
    donor = "donor"
    observer_state = "observer_state"


class MembershipStatus(StrEnum):
    member = "member"
    associate = "associate"
    observer = "observer"
    participant = "participant"
    """Takes part in a board, forum or programme without being a member state of it."""
    donor = "donor"
    """Funds the organization without being a member of it."""
    suspended = "suspended"
    withdrawal_pending = "withdrawal_pending"
    withdrawn = "withdrawn"
    non_member = "non_member"
    unknown = "unknown"
    """The registry holds no evidence for that date (see `UnknownReason`)."""


TIES = frozenset(
    {
        MembershipStatus.member,
        MembershipStatus.associate,
        MembershipStatus.observer,
        MembershipStatus.participant,
        MembershipStatus.donor,
        MembershipStatus.suspended,
        MembershipStatus.withdrawal_pending,
    }
)
"""Statuses that say the country is tied to the organization on that day."""


class UnknownReason(StrEnum):
    """Why a period's status is `unknown`."""

    no_evidence = "no_evidence"
    """Nothing recorded speaks of that time: before the first evidence of a tie whose start is
    unknown, or a pair with no dated evidence at all."""
    imprecise_date = "imprecise_date"
    """A change happened then, on a day the sources do not give (a year-precision date, or a
    change between two yearly observations)."""
    past_coverage = "past_coverage"
    """After the last observation of the dataset the status rests on."""
    missing_data = "missing_data"
    """The dataset codes that time as missing (COW's -9)."""


class EventType(StrEnum):
    signed = "signed"
    joined = "joined"
    ratified = "ratified"
    entered_into_force = "entered_into_force"
    rejoined = "rejoined"
    became_associate = "became_associate"
    became_observer = "became_observer"
    elected = "elected"
    suspended = "suspended"
    reinstated = "reinstated"
    funding_reduced = "funding_reduced"
    funding_suspended = "funding_suspended"
    funding_prohibited = "funding_prohibited"
    funding_restored = "funding_restored"
    review_ordered = "review_ordered"
    withdrawal_announced = "withdrawal_announced"
    withdrawal_intent_notified = "withdrawal_intent_notified"
    withdrawal_notified = "withdrawal_notified"
    withdrawal_effective = "withdrawal_effective"
    withdrawal_retracted = "withdrawal_retracted"
    rejoin_requested = "rejoin_requested"
    rejoin_instrument_deposited = "rejoin_instrument_deposited"
    membership_ended = "membership_ended"
    """The tie ended and the source does not say how (yearly data, a state or an
    organization that ceased to exist)."""
    listed = "listed"
    """The organization's published list of members (or a depositary's table of parties) names
    the state on this date: the tie held then, whenever it began."""


class ContributionKind(StrEnum):
    """What a money flow from a country to a recipient is."""

    assessed = "assessed"
    """Dues the recipient's members are assessed (a scale of assessments)."""
    voluntary = "voluntary"
    """Voluntary; the source does not say whether core or earmarked."""
    voluntary_core = "voluntary_core"
    """Voluntary and unearmarked: the recipient decides how to spend it."""
    voluntary_earmarked = "voluntary_earmarked"
    """Voluntary and tied by the donor to a place, theme or project."""
    pledge = "pledge"
    """Promised, not (yet) paid."""
    arrears = "arrears"
    """Due and unpaid."""
    total = "total"
    """All kinds together: the source gives one figure for every contribution."""


class Recipient(StrEnum):
    """Who receives a contribution: one organization, or a whole the registry holds no single
    organization for (never an invented one)."""

    organization = "organization"
    un_system = "un_system"
    """The United Nations system as a whole (the UN and its funds, programmes and agencies)."""
    all_international_organizations = "all_international_organizations"
    """Every international organization the country pays, taken together."""


class Qualifier(StrEnum):
    """How precisely a source states a number: kept as the source says it."""

    exact = "exact"
    """Stated without a qualifier (rounded as the source rounds it)."""
    about = "about"
    over = "over"
    nearly = "nearly"
    under = "under"


class PeriodType(StrEnum):
    """Whose calendar a contribution's period follows."""

    calendar = "calendar"
    """Calendar years (a biennium 2024-2025 is 2024-01-01 to 2025-12-31)."""
    fiscal = "fiscal"
    """A fiscal year (the US federal FY2023 is 2022-10-01 to 2023-09-30)."""


class Scope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"


class DeliveryState(StrEnum):
    """A webhook delivery in the outbox."""

    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class Followed(StrEnum):
    """Which side the registry follows where an import disagrees with curated data."""

    registry = "registry"
    dataset = "dataset"


COLUMNS: dict[str, type[StrEnum]] = {
    "organizations.system": System,
    "organizations.kind": OrganizationKind,
    "organizations.founded_precision": DatePrecision,
    "organizations.dissolved_precision": DatePrecision,
    "organization_names.type": NameType,
    "organization_names.verification": Verification,
    "organization_claims.field": ClaimField,
    "organization_claims.verification": Verification,
    "organization_identifiers.verification": Verification,
    "sources.kind": SourceKind,
    "sources.published_precision": DatePrecision,
    "memberships.basis": MembershipBasis,
    "memberships.basis_verification": Verification,
    "membership_events.type": EventType,
    "membership_events.date_precision": DatePrecision,
    "member_lists.observed_precision": DatePrecision,
    "membership_events.verification": Verification,
    "status_periods.status": MembershipStatus,
    "status_periods.unknown_reason": UnknownReason,
    "status_periods.valid_from_precision": DatePrecision,
    "status_periods.valid_to_precision": DatePrecision,
    "dataset_periods.status": MembershipStatus,
    "dataset_periods.unknown_reason": UnknownReason,
    "dataset_periods.valid_from_precision": DatePrecision,
    "dataset_periods.valid_to_precision": DatePrecision,
    "import_conflicts.followed": Followed,
    "webhook_outbox.state": DeliveryState,
    "contributions.recipient": Recipient,
    "contributions.kind": ContributionKind,
    "contributions.period_type": PeriodType,
    "contributions.amount_qualifier": Qualifier,
    "contributions.share_qualifier": Qualifier,
    "contributions.verification": Verification,
}
"""`table.column` -> the vocabulary its values come from."""


Lang = Literal["en", "zh"]
"""The languages pages and charts are written in (`zh`: simplified Chinese)."""
