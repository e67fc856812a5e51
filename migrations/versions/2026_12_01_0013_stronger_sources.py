"""Stronger sources: official texts, agencies and papers beside (or instead of) the blogs,
aggregators and mirrors some curated events rested on, and source kinds told honestly.

Applies seed/corrections_2026_12_01_b.csv, a frozen file (its digest is checked): `add_source`
cites a page for an event (each row quotes it), `set_date` gives an event the day its source
states, `drop_source` removes a weak page from an event that keeps a stronger one, `set_kind`
files a republication as `other`. An event is never left without a source.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import csv
import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILE = Path(__file__).resolve().parents[2] / "seed" / "corrections_2026_12_01_b.csv"
DIGEST = "a854d8675a98135a9c7da3dec69baa183c4f25d420e66fffd06ff81aae7c838a"

sources = sa.table(
    "sources",
    *(sa.column(c) for c in ("id", "url", "title", "publisher", "published_precision", "kind")),
    sa.column("published_on", sa.Date),
)
events = sa.table(
    "membership_events", sa.column("id"), sa.column("date", sa.Date), sa.column("date_precision")
)
event_sources = sa.table("membership_event_sources", sa.column("event_id"), sa.column("source_id"))


def _rows() -> list[dict[str, str]]:
    data = FILE.read_bytes()
    if hashlib.sha256(data).hexdigest() != DIGEST:
        raise RuntimeError(f"{FILE.name} changed since migration 0013 was written")
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


def _source_id(url: str) -> str:
    return f"src_c{hashlib.sha256(url.encode()).hexdigest()[:11]}"


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def upgrade() -> None:
    bind = op.get_bind()
    rows = _rows()
    cited = [r for r in rows if r["action"] in ("add_source", "set_date")]
    known = dict(bind.execute(sa.select(sources.c.url, sources.c.id)).all())
    fresh = {r["url"]: r for r in cited if r["url"] not in known}
    if fresh:
        op.bulk_insert(
            sources,
            [
                {
                    "id": _source_id(url),
                    "url": url,
                    "title": row["title"] or None,
                    "publisher": row["publisher"],
                    "published_on": _date(row["published_on"]),
                    "published_precision": "day" if row["published_on"] else "unknown",
                    "kind": row["kind"],
                }
                for url, row in fresh.items()
            ],
        )
    known.update({url: _source_id(url) for url in fresh})
    for row in cited:
        if row["action"] == "set_date":
            op.execute(
                events.update()
                .where(events.c.id == row["event"])
                .values(date=_date(row["date"]), date_precision=row["date_precision"])
            )
        op.execute(
            sa.text(
                "INSERT INTO membership_event_sources (event_id, source_id) "
                "VALUES (:event, :source) ON CONFLICT DO NOTHING"
            ).bindparams(event=row["event"], source=known[row["url"]])
        )
    for row in rows:
        if row["action"] == "drop_source":
            left = bind.execute(
                sa.text(
                    "SELECT count(*) FROM membership_event_sources "
                    "WHERE event_id = :event AND source_id <> :source"
                ),
                {"event": row["event"], "source": row["source"]},
            ).scalar_one()
            if not left:
                raise RuntimeError(f"{row['event']} would be left without a source")
            op.execute(
                event_sources.delete().where(
                    event_sources.c.event_id == row["event"],
                    event_sources.c.source_id == row["source"],
                )
            )
        elif row["action"] == "set_kind":
            op.execute(sources.update().where(sources.c.id == row["source"]).values(kind="other"))


def downgrade() -> None:
    rows = _rows()
    for row in rows:
        if row["action"] == "drop_source":
            op.execute(
                sa.text(
                    "INSERT INTO membership_event_sources (event_id, source_id) "
                    "VALUES (:event, :source) ON CONFLICT DO NOTHING"
                ).bindparams(event=row["event"], source=row["source"])
            )
        elif row["action"] == "set_kind":
            op.execute(
                sources.update().where(sources.c.id == row["source"]).values(kind="official_text")
            )
        elif row["action"] == "set_date":
            op.execute(
                events.update()
                .where(events.c.id == row["event"])
                .values(date=_date(row["old_date"]), date_precision=row["old_date_precision"])
            )
    bind = op.get_bind()
    known = dict(bind.execute(sa.select(sources.c.url, sources.c.id)).all())
    for row in rows:
        if row["action"] in ("add_source", "set_date") and row["url"] in known:
            op.execute(
                event_sources.delete().where(
                    event_sources.c.event_id == row["event"],
                    event_sources.c.source_id == known[row["url"]],
                )
            )
    # The pages this migration brought in, now cited by nothing (an older one stays).
    op.execute(
        sa.text(
            "DELETE FROM sources s WHERE s.id = ANY(:ids) AND NOT EXISTS "
            "(SELECT 1 FROM membership_event_sources es WHERE es.source_id = s.id)"
        ).bindparams(ids=sorted({_source_id(r["url"]) for r in rows if r["url"]}))
    )
