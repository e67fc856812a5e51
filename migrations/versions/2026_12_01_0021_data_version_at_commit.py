"""The data version moves at commit and lives in a row, so a reader that sees version N sees
exactly the data of version N: on the primary and on a streaming replica alike.

Before, a sequence moved when a write statement ran: until that write committed, readers saw
the new version beside the old data (and the response cache kept the old answer under the new
version). And a standby reads a sequence as it was WAL-logged, up to 32 values ahead of the
primary, so a replica's version was wrong.

Now a write transaction's first change to answered data queues one row in
`data_version_pending` (a transaction-local setting remembers that it did). A deferred
constraint trigger on that row runs at commit: it increments the single row of `data_version`
and announces the new version with `NOTIFY orgreg_data, '<version>'`. Writers wait for each
other only between that moment and their commit, as they already do for the change feed's
lock, so versions follow commit order.

Tables added since 0005 whose contents answers show get the statement trigger too.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEWLY_WATCHED = (
    "dataset_periods", "import_conflicts", "member_lists", "organization_identifiers",
    "revisions",
)  # fmt: skip


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE data_version (
            only_row boolean DEFAULT true,
            version bigint NOT NULL,
            CONSTRAINT pk_data_version PRIMARY KEY (only_row),
            CONSTRAINT ck_data_version_only_row CHECK (only_row)
        )
        """
    )
    op.execute("INSERT INTO data_version (version) SELECT last_value FROM data_version_seq")
    op.execute(
        "CREATE TABLE data_version_pending (id bigint GENERATED ALWAYS AS IDENTITY, "
        "CONSTRAINT pk_data_version_pending PRIMARY KEY (id))"
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('orgreg.data_version_pending', true) IS DISTINCT FROM 'yes' THEN
                PERFORM set_config('orgreg.data_version_pending', 'yes', true);
                INSERT INTO data_version_pending DEFAULT VALUES;
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION commit_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            committed bigint;
        BEGIN
            UPDATE data_version SET version = version + 1 RETURNING version INTO committed;
            DELETE FROM data_version_pending WHERE id = NEW.id;
            PERFORM set_config('orgreg.data_version_pending', '', true);
            PERFORM pg_notify('orgreg_data', committed::text);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER data_version_at_commit AFTER INSERT ON data_version_pending "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commit_data_version()"
    )
    for table in NEWLY_WATCHED:
        op.execute(
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
        )
    op.execute("DROP SEQUENCE data_version_seq")


def downgrade() -> None:
    op.execute("CREATE SEQUENCE data_version_seq")
    op.execute("SELECT setval('data_version_seq', (SELECT version FROM data_version))")
    for table in NEWLY_WATCHED:
        op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
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
    op.execute("DROP TABLE data_version_pending")
    op.execute("DROP FUNCTION commit_data_version()")
    op.execute("DROP TABLE data_version")
