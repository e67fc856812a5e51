"""Member lists: an organization's published list of members, observed on a date.

One list page (or a depositary's table of parties) is one source for many facts. A list is a
row of `member_lists` (organization, source, the day it was read); each state it names is a
`listed` event of that state's membership, citing the list's source and pointing to the list.
A `listed` event says the tie held on that day, not when it began (app.services.status_periods).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENT_TYPES_BEFORE = (
    "signed",
    "joined",
    "ratified",
    "entered_into_force",
    "rejoined",
    "became_associate",
    "became_observer",
    "elected",
    "suspended",
    "reinstated",
    "funding_reduced",
    "funding_suspended",
    "funding_prohibited",
    "funding_restored",
    "review_ordered",
    "withdrawal_announced",
    "withdrawal_intent_notified",
    "withdrawal_notified",
    "withdrawal_effective",
    "withdrawal_retracted",
    "rejoin_requested",
    "rejoin_instrument_deposited",
    "membership_ended",
)
EVENT_TYPES_AFTER = (*EVENT_TYPES_BEFORE, "listed")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "member_lists",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("organization_id", sa.String(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name="fk_member_lists_organization_id_organizations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_member_lists_source_id_sources"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_member_lists"),
    )
    op.create_index(
        "ix_member_lists_organization_id", "member_lists", ["organization_id"], unique=False
    )
    op.add_column("membership_events", sa.Column("member_list_id", sa.String(), nullable=True))
    op.create_foreign_key(
        "fk_membership_events_member_list_id_member_lists",
        "membership_events",
        "member_lists",
        ["member_list_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index(
        "ix_membership_events_member_list_id",
        "membership_events",
        ["member_list_id"],
        unique=False,
    )
    op.drop_constraint(op.f("ck_membership_events_type"), "membership_events", type_="check")
    op.create_check_constraint("type", "membership_events", _in("type", EVENT_TYPES_AFTER))


def downgrade() -> None:
    op.execute("DELETE FROM membership_events WHERE type = 'listed'")
    op.drop_constraint(op.f("ck_membership_events_type"), "membership_events", type_="check")
    op.create_check_constraint("type", "membership_events", _in("type", EVENT_TYPES_BEFORE))
    op.drop_index("ix_membership_events_member_list_id", table_name="membership_events")
    op.drop_constraint(
        "fk_membership_events_member_list_id_member_lists", "membership_events", type_="foreignkey"
    )
    op.drop_column("membership_events", "member_list_id")
    op.drop_index("ix_member_lists_organization_id", table_name="member_lists")
    op.drop_table("member_lists")
