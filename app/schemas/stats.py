"""What the registry says about many pairs at once: members per organization, exits per year."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.schemas.countries import CountryRef
from app.schemas.organizations import OrganizationRef
from app.schemas.sources import SourceRef
from app.vocabulary import DatePrecision


class MemberListRef(BaseModel):
    """An organization's published list of members, as read on a day: the source of a `listed`
    event for every state it names."""

    id: str = Field(examples=["mls_x1b6a7e5d2c4"])
    observed_on: dt.date | None = Field(
        description="The day the list speaks for, to `observed_precision`; null when the page "
        "states no date (its states then count as listed, but on no known day)."
    )
    observed_precision: DatePrecision
    source: SourceRef
    states: int = Field(description="States the list names.")


class OrganizationStats(BaseModel):
    organization: OrganizationRef
    as_of: dt.date
    members: int = Field(
        description="States that are members on `as_of`: `member`, and members whose "
        "withdrawal is pending or who are suspended."
    )
    by_status: dict[str, int] = Field(
        description="Every pair the registry records, by status on `as_of`; `unknown` counts "
        "the pairs no source speaks for on that date (never guessed as `non_member`)."
    )
    member_lists: list[MemberListRef] = Field(
        description="The organization's published member lists the registry holds, oldest first."
    )


class ExitYear(BaseModel):
    year: int
    begun: int = Field(
        description="Withdrawals announced or notified that year (a `withdrawal_pending` period "
        "begins, dated by the event behind it)."
    )
    effective: int = Field(
        description="Withdrawals that took effect that year (`withdrawn`), up to today."
    )
    scheduled: int = Field(description="Withdrawals due to take effect that year, after today.")


class CountryExits(BaseModel):
    country: CountryRef
    effective: int = Field(description="Withdrawals that took effect in the years asked for.")
    scheduled: int = Field(description="Withdrawals due to take effect after today.")
    begun: int = Field(description="Withdrawals announced or notified in the years asked for.")
    organizations: list[str] = Field(description="Slugs of the organizations concerned.")


class ExitStats(BaseModel):
    """Explicit withdrawals only: the curated events' `withdrawn` and `withdrawal_pending`
    periods. The Correlates of War data records yearly membership, not withdrawals, so a tie
    it stops showing is not counted as an exit."""

    from_year: int
    to_year: int
    today: dt.date = Field(description="What separates `effective` from `scheduled`.")
    years: list[ExitYear] = Field(description="Every year asked for, oldest first.")
    countries: list[CountryExits] = Field(
        description="The states with an exit in those years, the most effective exits first."
    )
