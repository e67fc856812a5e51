"""Country x organization pairs, their dated events, and the status periods derived from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import DATERANGE, JSONB, ExcludeConstraint
from sqlmodel import Field, SQLModel

from app.models.common import Tracked


class Membership(Tracked, table=True):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("country_code", "organization_id"),)

    id: str = Field(primary_key=True)
    country_code: str = Field(foreign_key="countries.code", index=True)
    organization_id: str = Field(foreign_key="organizations.id", index=True)
    basis: str
    basis_verification: str = "unconfirmed"
    note: str | None = None


class MemberList(SQLModel, table=True):
    """An organization's published list of members as it stood on `observed_on` (to
    `observed_precision`: a page dated only by its year speaks for that year): one source for a
    `listed` event of every state it names."""

    __tablename__ = "member_lists"

    id: str = Field(primary_key=True)
    organization_id: str = Field(foreign_key="organizations.id", ondelete="CASCADE", index=True)
    source_id: str = Field(foreign_key="sources.id")
    observed_on: dt.date | None = None
    """None when the page states no date (`observed_precision` is then `unknown`)."""
    observed_precision: str = "day"
    note: str | None = None


class MembershipEvent(SQLModel, table=True):
    __tablename__ = "membership_events"

    id: str = Field(primary_key=True)
    membership_id: str = Field(foreign_key="memberships.id", ondelete="CASCADE", index=True)
    type: str
    date: dt.date | None = None
    date_precision: str = "unknown"
    # A date known only within a range (yearly data, "accurate within 5 years"): `date` is the
    # day the range points at, these are its bounds.
    date_earliest: dt.date | None = None
    date_latest: dt.date | None = None
    verification: str = "unconfirmed"
    note: str | None = None
    qualifiers: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    """What an imported dataset says about the row the event comes from (imputed, accuracy)."""
    member_list_id: str | None = Field(
        default=None, foreign_key="member_lists.id", ondelete="CASCADE", index=True
    )
    """For a `listed` event: the member list that names the state."""
    created_at: dt.datetime = Field(
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now()},
    )


class MembershipEventSource(SQLModel, table=True):
    __tablename__ = "membership_event_sources"

    event_id: str = Field(primary_key=True, foreign_key="membership_events.id", ondelete="CASCADE")
    source_id: str = Field(primary_key=True, foreign_key="sources.id", index=True)


class PeriodFields(SQLModel):
    """What a period says; the same for the registry's answer and for a dataset's layer."""

    id: int | None = Field(default=None, primary_key=True)
    membership_id: str = Field(foreign_key="memberships.id", ondelete="CASCADE", index=True)
    status: str
    during: Any = Field(sa_type=DATERANGE, nullable=False)
    valid_from_precision: str
    valid_to_precision: str | None = None
    evidence_event_id: str | None = Field(
        default=None, foreign_key="membership_events.id", ondelete="CASCADE"
    )
    unknown_reason: str | None = None
    """Set exactly when the status is `unknown` (app.vocabulary.UnknownReason)."""


class StatusPeriod(PeriodFields, table=True):
    """The registry's answer for a pair, day by day: gap-free, curated events laid over the
    datasets' layers. The exclusion constraint forbids two overlapping periods for one pair
    (keyed by a 64-bit hash of the membership id: see migration 0015)."""

    __tablename__ = "status_periods"
    __table_args__ = (
        ExcludeConstraint(
            (func.hashtextextended(Column("membership_id"), 0), "="),
            (Column("during"), "&&"),
            using="gist",
            name="ex_status_periods_no_overlap",
        ),
    )

    source_id: str | None = Field(default=None, foreign_key="sources.id")
    """The dataset the period comes from; null when curated events say it."""


class DatasetPeriod(PeriodFields, table=True):
    """What one imported dataset says of a pair, kept so that curated events can be laid over
    it again after every write. Written only by an import, from one gap-free derivation; the
    registry's answer (status_periods) keeps the exclusion constraint."""

    __tablename__ = "dataset_periods"

    source_id: str = Field(foreign_key="sources.id")


class ImportConflict(SQLModel, table=True):
    """Where an imported dataset disagrees with curated events about one pair and time."""

    __tablename__ = "import_conflicts"
    __table_args__ = (UniqueConstraint("membership_id", "source_id", "during"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    membership_id: str = Field(foreign_key="memberships.id", ondelete="CASCADE", index=True)
    source_id: str = Field(foreign_key="sources.id")
    during: Any = Field(sa_column=Column(DATERANGE, nullable=False))
    dataset_says: str
    registry_says: str
    followed: str
    detected_at: dt.datetime = Field(
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now()},
    )
