"""The controlled vocabularies of the API contract (docs/api-v1.md), defined once.

Tables store these as text with CHECK constraints; schemas expose them as enums in OpenAPI.
"""

from __future__ import annotations

from enum import StrEnum


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


def check_in(column: str, vocabulary: type[StrEnum]) -> str:
    """SQL for a CHECK constraint that keeps `column` inside `vocabulary`."""
    values = ", ".join(f"'{member.value}'" for member in vocabulary)
    return f"{column} IN ({values})"


class Scope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"
