"""A rate limit shared by every worker and keyed on verified API keys; one name, one key.

Token buckets move from each process's memory into `rate_buckets` (UNLOGGED: nothing to keep
after a crash), so N workers no longer allow N times the limit. API key names become unique,
since revisions name the key that wrote them: keys sharing a name keep the oldest's, the others
get their id appended (`name (key_...)`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_buckets",
        sa.Column("client", sa.String(), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("client", name="pk_rate_buckets"),
        prefixes=["UNLOGGED"],
    )
    op.execute(
        """
        UPDATE api_keys AS k SET name = k.name || ' (' || k.id || ')'
        FROM (
            SELECT id, row_number() OVER (PARTITION BY name ORDER BY created_at, id) AS nth
            FROM api_keys
        ) AS ranked
        WHERE ranked.id = k.id AND ranked.nth > 1
        """
    )
    op.create_unique_constraint("uq_api_keys_name", "api_keys", ["name"])


def downgrade() -> None:
    op.drop_constraint("uq_api_keys_name", "api_keys", type_="unique")
    op.drop_table("rate_buckets")
