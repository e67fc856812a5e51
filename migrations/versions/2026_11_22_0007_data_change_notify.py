"""Announce data changes with NOTIFY orgreg_data, so each service process can drop its response
cache at once instead of asking the database for the data version on every request.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM nextval('data_version_seq');
            PERFORM pg_notify('orgreg_data', '');
            RETURN NULL;
        END $$
        """
    )


def downgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM nextval('data_version_seq');
            RETURN NULL;
        END $$
        """
    )
