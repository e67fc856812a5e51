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


def upgrade() -> None:
    op.execute(
        r"UPDATE sources SET confidence_note = regexp_replace(confidence_note, "
        r"'summarized in \S+news_2026-01\.md', 'summarized in seed/reference/news_2026-01.md') "
        r"WHERE confidence_note ~ 'summarized in \S+news_2026-01\.md'"
    )


def downgrade() -> None:
    """The note keeps naming the file where the repository keeps it: nothing to undo."""
