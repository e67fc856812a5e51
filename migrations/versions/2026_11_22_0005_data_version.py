"""Data version: a sequence every write to a registry table advances (statement triggers).

Clients see it as `X-Data-Version` and in `/v1/meta`; it changes whenever the data does. A
sequence, unlike a counter row, never makes two writers wait for each other; a rolled-back
write may still advance it, which only costs a needless cache miss.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "sources", "categories", "countries", "organizations", "organization_names",
    "organization_name_sources", "organization_categories", "organization_claims",
    "organization_claim_sources", "listings", "listing_sources", "memberships",
    "membership_events", "membership_event_sources", "status_periods",
)  # fmt: skip


def upgrade() -> None:
    op.execute("CREATE SEQUENCE data_version_seq")
    op.execute("SELECT nextval('data_version_seq')")
    op.execute(
        """
        CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM nextval('data_version_seq');
            RETURN NULL;
        END $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
    op.execute("DROP FUNCTION bump_data_version()")
    op.execute("DROP SEQUENCE data_version_seq")
