"""What the registry held at any past moment: system-versioned history for `known_at` reads.

- `history.<table>`: every version a row of an answered table has had, with `valid`, the
  moments (transaction start times, `now()`) from which and until which the registry held it.
  Statement-level triggers with transition tables keep it: an INSERT adds open versions, an
  UPDATE or DELETE closes the open ones (or drops them when they were added in the same
  transaction, so a version nobody could see is not kept). Each table's indexes are copied,
  not unique, so a read of the past finds rows the way a read of the present does.
- `known.<table>`: a view of the versions valid at `known.at()` (the transaction's setting
  `orgreg.known_at`), with exactly the table's columns; `known.revisions` is the change feed
  up to that moment. A read with `SET LOCAL search_path = known, public` therefore runs the
  very statement a current read runs, against the past.
- `history.keep(table)` versions a table (a later migration adding an answered table calls
  it); a migration that alters a versioned table alters `history.<table>` and recreates
  `known.<table>` alike (tests/migrations checks they match).

History starts with `history.start()`, which migrations/env.py calls once the migrations of a
run are applied and the status periods derived again (in that transaction, so the first
versions are whole): it records every row as held from that moment, and a revision
(`registry`, `history_started`) marks it. Loads after the migrations (the COW import) come
later, so "before the COW import" is a moment one can ask about.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = (
    "sources", "categories", "countries", "organizations", "organization_names",
    "organization_name_sources", "organization_categories", "organization_claims",
    "organization_claim_sources", "organization_identifiers", "listings", "listing_sources",
    "memberships", "membership_events", "membership_event_sources", "status_periods",
    "member_lists", "dataset_periods", "import_conflicts", "contributions",
    "contribution_sources", "data_version",
)  # fmt: skip

TRACK = r"""
CREATE FUNCTION history.track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    versions text := format('history.%I', TG_TABLE_NAME);
    same_row text := (SELECT string_agg(format('h.%1$I = o.%1$I', key), ' AND ')
                      FROM unnest(TG_ARGV) AS key);
    latest text := (SELECT string_agg(format('h.%1$I = n.%1$I', key), ' AND ')
                    FROM unnest(TG_ARGV) AS key);
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- A version opened in this transaction (or, by a concurrent writer that started
        -- later, after it) was never seen by anyone: drop it rather than keep an empty range.
        EXECUTE format('DELETE FROM %s h USING old_rows o WHERE %s AND upper(h.valid) IS NULL '
                       'AND lower(h.valid) >= now()', versions, same_row);
        EXECUTE format('UPDATE %s h SET valid = tstzrange(lower(h.valid), now()) '
                       'FROM old_rows o WHERE %s AND upper(h.valid) IS NULL', versions, same_row);
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- Deleted and inserted again unchanged in this transaction (periods derived again):
        -- the version it had goes on, and no change is recorded.
        EXECUTE format('UPDATE %1$s h SET valid = tstzrange(lower(h.valid), NULL) '
                       'FROM new_rows n WHERE %2$s AND upper(h.valid) = now() '
                       'AND to_jsonb(h) - ''valid'' = to_jsonb(n)', versions, latest);
        EXECUTE format('INSERT INTO %1$s SELECT n.*, tstzrange(now(), NULL) FROM new_rows n '
                       'WHERE NOT EXISTS (SELECT 1 FROM %1$s h WHERE %2$s '
                       'AND upper(h.valid) IS NULL)', versions, latest);
    ELSIF TG_OP = 'UPDATE' THEN
        -- Never before the version it replaces ends: versions of a row do not overlap.
        EXECUTE format('INSERT INTO %1$s SELECT n.*, tstzrange(greatest(now(), '
                       '(SELECT max(upper(h.valid)) FROM %1$s h WHERE %2$s)), NULL) '
                       'FROM new_rows n', versions, latest);
    END IF;
    RETURN NULL;
END $$
"""

KEY_OF = r"""
CREATE FUNCTION history.key_of(name text) RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT array_agg(a.attname::text ORDER BY k.position)
    FROM pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.conrelid = format('public.%I', name)::regclass AND c.contype = 'p'
$$
"""

KEEP = r"""
CREATE FUNCTION history.keep(name text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    live regclass := format('public.%I', name)::regclass;
    keys text;
    key_columns text;
    columns text;
    index_definition text;
BEGIN
    SELECT string_agg(quote_literal(key), ', ') INTO keys FROM unnest(history.key_of(name)) key;
    IF keys IS NULL THEN
        RAISE EXCEPTION 'history.keep: % has no primary key', name;
    END IF;
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
    FROM pg_attribute WHERE attrelid = live AND attnum > 0 AND NOT attisdropped;

    EXECUTE format('CREATE TABLE history.%I (LIKE public.%I)', name, name);
    EXECUTE format('ALTER TABLE history.%I ADD COLUMN valid tstzrange NOT NULL', name);
    FOR index_definition IN
        SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = name
    LOOP
        EXECUTE regexp_replace(
            index_definition,
            '^CREATE (UNIQUE )?INDEX (\S+) ON (ONLY )?public\.(\S+)',
            'CREATE INDEX \2 ON history.\4'
        );
    END LOOP;
    -- The triggers find a row's open and latest versions through this: a row changed on every
    -- write (data_version) must not make each write scan all its versions.
    SELECT string_agg(quote_ident(key), ', ') INTO key_columns
    FROM unnest(history.key_of(name)) key;
    EXECUTE format('CREATE INDEX %I ON history.%I (%s, upper(valid))', name || '_versions', name,
                   key_columns);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON public.%I REFERENCING NEW TABLE AS '
                   'new_rows FOR EACH STATEMENT EXECUTE FUNCTION history.track(%s)',
                   name || '_history_insert', name, keys);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON public.%I REFERENCING OLD TABLE AS '
                   'old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
                   'EXECUTE FUNCTION history.track(%s)', name || '_history_update', name, keys);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON public.%I REFERENCING OLD TABLE AS '
                   'old_rows FOR EACH STATEMENT EXECUTE FUNCTION history.track(%s)',
                   name || '_history_delete', name, keys);
    EXECUTE format('CREATE VIEW known.%I AS SELECT %s FROM history.%I WHERE valid @> known.at()',
                   name, columns, name);
END $$
"""


START = r"""
CREATE FUNCTION history.start() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    name text;
    same_row text;
BEGIN
    IF EXISTS (SELECT 1 FROM revisions
               WHERE resource_type = 'registry' AND action = 'history_started') THEN
        RETURN false;
    END IF;
    FOR name IN SELECT tablename FROM pg_tables WHERE schemaname = 'history' LOOP
        same_row := (SELECT string_agg(format('h.%1$I = p.%1$I', key), ' AND ')
                     FROM unnest(history.key_of(name)) AS key);
        EXECUTE format('INSERT INTO history.%1$I SELECT p.*, tstzrange(now(), NULL) '
                       'FROM public.%1$I p WHERE NOT EXISTS (SELECT 1 FROM history.%1$I h '
                       'WHERE %2$s AND upper(h.valid) IS NULL)', name, same_row);
    END LOOP;
    INSERT INTO revisions (resource_type, resource_id, action, revision, actor, reason, diff)
    VALUES ('registry', 'registry', 'history_started', 1, 'orgreg',
            'The registry as the migrations built it; earlier states are not kept.', '{}');
    RETURN true;
END $$
"""


def upgrade() -> None:
    op.execute("CREATE SCHEMA history")
    op.execute("CREATE SCHEMA known")
    op.execute(
        "CREATE FUNCTION known.at() RETURNS timestamptz LANGUAGE sql STABLE "
        "AS $$ SELECT current_setting('orgreg.known_at')::timestamptz $$"
    )
    op.execute(TRACK)
    op.execute(KEY_OF)
    op.execute(KEEP)
    op.execute(START)
    for table in VERSIONED:
        op.execute(f"SELECT history.keep('{table}')")
    # One version per commit: reading the data version of a moment must not scan them all.
    op.execute("CREATE INDEX data_version_valid ON history.data_version USING gist (valid)")
    op.execute(
        "CREATE VIEW known.revisions AS SELECT * FROM public.revisions "
        "WHERE occurred_at <= known.at()"
    )


def downgrade() -> None:
    for table in VERSIONED:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER {table}_history_{event} ON {table}")
    op.execute(
        "DELETE FROM revisions WHERE resource_type = 'registry' AND action = 'history_started'"
    )
    op.execute("DROP SCHEMA known CASCADE")
    op.execute("DROP SCHEMA history CASCADE")
