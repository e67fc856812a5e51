"""`unknown` is a status: periods cover a pair's whole time line, and datasets keep a layer.

- status_periods: the statuses `participant`, `donor`, `non_member` and `unknown`; why a
  period is unknown (`unknown_reason`); the dataset a period comes from (`source_id`).
- dataset_periods: what an imported dataset says of a pair, period by period, kept apart so
  that curated events can be laid over it again after every write.
The periods themselves are derived again after the migrations have run (migrations/env.py).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRECISIONS = ("day", "month", "year", "unknown")
STATUSES_BEFORE = (
    "member",
    "associate",
    "observer",
    "suspended",
    "withdrawal_pending",
    "withdrawn",
)
STATUSES_AFTER = (
    "member",
    "associate",
    "observer",
    "participant",
    "donor",
    "suspended",
    "withdrawal_pending",
    "withdrawn",
    "non_member",
    "unknown",
)
UNKNOWN_REASONS = ("no_evidence", "imprecise_date", "past_coverage", "missing_data")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


REASON_CHECK = (
    f"(status = 'unknown') = (unknown_reason IS NOT NULL) AND "
    f"(unknown_reason IS NULL OR {_in('unknown_reason', UNKNOWN_REASONS)})"
)


def _period_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "membership_id",
            sa.String(),
            sa.ForeignKey("memberships.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("source_id", sa.String(), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("during", postgresql.DATERANGE(), nullable=False),
        sa.Column("valid_from_precision", sa.String(), nullable=False),
        sa.Column("valid_to_precision", sa.String()),
        sa.Column(
            "evidence_event_id",
            sa.String(),
            sa.ForeignKey("membership_events.id", ondelete="CASCADE"),
        ),
        sa.Column("unknown_reason", sa.String()),
    ]


def upgrade() -> None:
    op.execute("DELETE FROM status_periods")  # derived again once the migrations have run
    op.drop_constraint(op.f("ck_status_periods_status"), "status_periods", type_="check")
    op.create_check_constraint("status", "status_periods", _in("status", STATUSES_AFTER))
    op.add_column("status_periods", sa.Column("unknown_reason", sa.String()))
    op.add_column(
        "status_periods", sa.Column("source_id", sa.String(), sa.ForeignKey("sources.id"))
    )
    op.create_check_constraint("unknown_reason", "status_periods", REASON_CHECK)

    op.create_table(
        "dataset_periods",
        *_period_columns(),
        sa.CheckConstraint(_in("status", STATUSES_AFTER), name="status"),
        sa.CheckConstraint(_in("valid_from_precision", PRECISIONS), name="valid_from_precision"),
        sa.CheckConstraint(
            f"valid_to_precision IS NULL OR {_in('valid_to_precision', PRECISIONS)}",
            name="valid_to_precision",
        ),
        sa.CheckConstraint(REASON_CHECK, name="unknown_reason"),
        sa.CheckConstraint("NOT isempty(during)", name="not_empty"),
        postgresql.ExcludeConstraint(
            (sa.column("membership_id"), "="),
            (sa.column("source_id"), "="),
            (sa.column("during"), "&&"),
            using="gist",
            name="ex_dataset_periods_no_overlap",
        ),
    )


def downgrade() -> None:
    op.drop_table("dataset_periods")
    op.execute("DELETE FROM status_periods")
    op.drop_constraint(op.f("ck_status_periods_unknown_reason"), "status_periods", type_="check")
    op.drop_column("status_periods", "source_id")
    op.drop_column("status_periods", "unknown_reason")
    op.drop_constraint(op.f("ck_status_periods_status"), "status_periods", type_="check")
    op.create_check_constraint("status", "status_periods", _in("status", STATUSES_BEFORE))
