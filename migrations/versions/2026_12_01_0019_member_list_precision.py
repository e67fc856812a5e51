"""A member list's date has a precision: a page dated only "2024" speaks for the year 2024,
and a page that states no date (a copy whose age only its content bounds) has none.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRECISIONS = ("day", "month", "year", "unknown")


def upgrade() -> None:
    op.add_column(
        "member_lists",
        sa.Column("observed_precision", sa.String(), nullable=False, server_default="day"),
    )
    op.create_check_constraint(
        "observed_precision",
        "member_lists",
        f"observed_precision IN ({', '.join(repr(p) for p in PRECISIONS)})",
    )
    op.alter_column("member_lists", "observed_on", nullable=True)
    op.create_check_constraint(
        "observed_on_known",
        "member_lists",
        "(observed_on IS NULL) = (observed_precision = 'unknown')",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_member_lists_observed_on_known"), "member_lists", type_="check")
    op.execute("DELETE FROM member_lists WHERE observed_on IS NULL")
    op.alter_column("member_lists", "observed_on", nullable=False)
    op.drop_constraint(op.f("ck_member_lists_observed_precision"), "member_lists", type_="check")
    op.drop_column("member_lists", "observed_precision")
