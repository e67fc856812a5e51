"""Memberships: a country x organization pair, its dated events and derived status periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from app.schemas.countries import CountryRef
from app.schemas.organizations import OrganizationRef
from app.schemas.revisions import RevisionOut
from app.schemas.sources import SourceRef
from app.vocabulary import (
    DatePrecision,
    EventType,
    MembershipBasis,
    MembershipStatus,
    UnknownReason,
    Verification,
)


class Event(BaseModel):
    id: str
    type: EventType
    date: dt.date | None = Field(
        description="First day of the period `date_precision` names; null if unknown."
    )
    date_precision: DatePrecision
    date_earliest: dt.date | None = Field(
        default=None,
        description="Set when the date is known only within a range (yearly data): the earliest "
        "day the event can have happened.",
    )
    date_latest: dt.date | None = Field(
        default=None, description="With `date_earliest`: the latest day it can have happened."
    )
    verification: Verification
    note: str | None
    qualifiers: dict[str, Any] | None = Field(
        default=None,
        description="For an imported event, what the dataset says of the record it comes from "
        "(`dataset`, `imputed`, `accuracy_before_1965`, the years observed).",
    )
    sources: list[SourceRef]


class StatusPeriod(BaseModel):
    status: MembershipStatus
    valid_from: dt.date | None = Field(description="Null when the start is unknown.")
    valid_from_precision: DatePrecision
    valid_to: dt.date | None = Field(description="First day after the period; null while it lasts.")
    valid_to_precision: DatePrecision | None
    evidence_event: str | None = Field(
        description="Id of the event the period rests on: the one that began it, or the one "
        "whose date window an `unknown` period is; null where no event does (before the "
        "organization's founding, before any evidence, after a dataset's coverage)."
    )
    unknown_reason: UnknownReason | None = Field(
        default=None,
        description="Why the status is `unknown`: `no_evidence` (nothing recorded speaks of that "
        "time), `imprecise_date` (a change happened then, on a day the sources do not give), "
        "`past_coverage` (after the last observation of the dataset), `missing_data` (the "
        "dataset codes it as missing). Null for any other status.",
    )
    source: str | None = Field(
        default=None,
        description="Id of the imported dataset (a source) the period comes from; null when "
        "curated events say it.",
    )


class KnownStatus(BaseModel):
    """The nearest period on one side of an `unknown` one whose status is known."""

    status: MembershipStatus
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str | None = Field(description="The dataset it comes from; null: curated events.")
    evidence: Event | None = Field(description="The event it rests on, with its sources.")


class Membership(BaseModel):
    id: str = Field(examples=["mem_ba3vdubq6z7y"])
    country: CountryRef
    organization: OrganizationRef
    basis: MembershipBasis
    basis_verification: Verification
    note: str | None
    status_today: MembershipStatus
    periods: list[StatusPeriod]
    events: list[Event] = Field(
        description="Every recorded event, oldest first; unknown dates last."
    )


class MembershipAsOf(BaseModel):
    """What the status of the pair was on `as_of`, since when, and which event says so."""

    id: str
    country: CountryRef
    organization: OrganizationRef
    basis: MembershipBasis
    as_of: dt.date
    status: MembershipStatus = Field(
        description="`unknown` when the registry holds no evidence for `as_of`: then "
        "`last_known` and `next_known` say what is known on either side."
    )
    period: StatusPeriod | None = Field(description="The period covering `as_of`.")
    evidence: Event | None = Field(description="The period's evidence event, with its sources.")
    last_known: KnownStatus | None = Field(
        default=None,
        description="For an `unknown` status: the last period before `as_of` whose status is "
        "known (its status, dates, source and evidence); null otherwise or if there is none.",
    )
    next_known: KnownStatus | None = Field(
        default=None,
        description="For an `unknown` status: the first period after `as_of` whose status is "
        "known; null otherwise or if there is none.",
    )


class AddedEvent(BaseModel):
    membership_id: str
    event_id: str
    revision: int = Field(description="The membership's revision after this event.")
    status_changed: bool = Field(description="Whether the event changed the status periods.")


class AddedEvents(BaseModel):
    items: list[AddedEvent]


class MembershipVersion(BaseModel):
    """What the registry answered for the pair from one moment until the next change."""

    known_from: dt.datetime = Field(description="When the registry began to answer this.")
    known_until: dt.datetime | None = Field(
        description="When the answer changed; null for the answer given now."
    )
    data_version: int = Field(description="The data version at `known_from`.")
    membership: Membership | None = Field(
        description="The answer, as GET /v1/memberships/{id} gave it then (its `status_today` "
        "is computed for today); null while the registry held no such membership."
    )
    revisions: list[RevisionOut] = Field(
        description="The changes recorded at `known_from` to this membership, its "
        "organization or the registry as a whole: who (the key's name), what and why. Empty "
        "when the answer changed through something else (a seed load before history began)."
    )


class MembershipHistory(BaseModel):
    """How the registry's answer for one pair changed over time, oldest first."""

    membership_id: str
    history_began_at: dt.datetime | None = Field(
        description="Nothing before this moment is kept (null: no history kept yet)."
    )
    versions: list[MembershipVersion]
