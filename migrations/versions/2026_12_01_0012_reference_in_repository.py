"""Source notes name the reference files where the repository now keeps them (seed/reference/).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _move(old: str, new: str) -> None:
    op.execute(
        f"UPDATE sources SET confidence_note = replace(confidence_note, '{old}', '{new}') "
        f"WHERE confidence_note LIKE '%{old}%'"
    )


def upgrade() -> None:
    _move("shared/reference/", "seed/reference/")


def downgrade() -> None:
    _move("seed/reference/", "shared/reference/")
