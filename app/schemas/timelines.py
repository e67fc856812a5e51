"""Timelines, status changes, upcoming changes and membership statistics."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.schemas.countries import CountryRef
from app.schemas.memberships import Event, StatusPeriod
from app.schemas.organizations import OrganizationRef
from app.vocabulary import DatePrecision, MembershipBasis, MembershipStatus, Verification


class TimelinePeriod(StatusPeriod):
    events: list[Event] = Field(description="The dated events that fall in this period.")


class Timeline(BaseModel):
    """A pair's whole history as one gap-free sequence of periods, `unknown` ones included."""

    membership_id: str
    country: CountryRef
    organization: OrganizationRef
    basis: MembershipBasis
    basis_verification: Verification
    periods: list[TimelinePeriod]
    undated_events: list[Event] = Field(description="Events whose date is unknown.")


class StatusChange(BaseModel):
    date: dt.date = Field(
        description="First day of the new status (first day of the period `date_precision` names)."
    )
    date_precision: DatePrecision
    membership_id: str
    country: CountryRef
    organization: OrganizationRef
    from_status: MembershipStatus
    to_status: MembershipStatus
    events: list[Event] = Field(description="The events on that date behind the change.")


class PendingWithoutDate(BaseModel):
    """A change under way whose effective date no source gives: never given a made-up date."""

    membership_id: str
    country: CountryRef
    organization: OrganizationRef
    status: MembershipStatus
    since: dt.date | None
    since_precision: DatePrecision
    evidence: Event | None
    expected: list[Event] = Field(
        description="Recorded events of unknown date, e.g. the effect itself."
    )


class Upcoming(BaseModel):
    today: dt.date
    until: dt.date
    scheduled: list[StatusChange] = Field(description="Changes with a known date, soonest first.")
    unscheduled: list[PendingWithoutDate] = Field(description="Pending changes with no known date.")


class StatsCell(BaseModel):
    status: MembershipStatus
    system: str
    category: str = Field(description="Primary category slug.")
    count: int


class MembershipStats(BaseModel):
    country: CountryRef
    as_of: dt.date
    listed_in: str | None
    total: int = Field(description="Organizations counted.")
    by_status: dict[str, int]
    by_system: dict[str, int]
    by_category: dict[str, int] = Field(
        description="Per category slug, counting each organization in every category it has."
    )
    cells: list[StatsCell] = Field(description="Status x system x primary category.")
