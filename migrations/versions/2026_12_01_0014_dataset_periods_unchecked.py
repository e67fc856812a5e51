"""dataset_periods without the exclusion constraint: it doubled the import's time.

Checking an exclusion constraint over (text, daterange) costs about 0.1 ms a row (measured:
9 s for 88,000 rows, 0.7 s without it). A dataset's layer is written only by its import, from
one gap-free derivation, and is never the registry's answer; status_periods, which is, keeps
its constraint.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE dataset_periods DROP CONSTRAINT ex_dataset_periods_no_overlap")


def downgrade() -> None:
    op.create_exclude_constraint(
        "ex_dataset_periods_no_overlap",
        "dataset_periods",
        ("membership_id", "="),
        ("source_id", "="),
        ("during", "&&"),
        using="gist",
    )
