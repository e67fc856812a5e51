"""Sourced corrections to the US histories: completed exits, dated joins, stronger sources.

Applies seed/corrections_2026_12_01.csv, a frozen file (its digest is checked): every row
quotes the public page it rests on. `set_date` gives an existing event the day or month a
source states; `add_event` records an event the seed lacked; `add_source` cites a stronger
page for an existing event. The memorandum's republication is filed as what it is (`other`),
not as the official text. Status periods are derived again after the migrations have run.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import csv
import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILE = Path(__file__).resolve().parents[2] / "seed" / "corrections_2026_12_01.csv"
DIGEST = "1b17482c6859a98d5932c0056da86c51a5a1e9a90506e0478f9b168e3fe2c6c8"
REPUBLICATION = "https://americanfocus.online/"
COUNTRY = "US"

sources = sa.table(
    "sources",
    *(sa.column(c) for c in ("id", "url", "title", "publisher", "published_precision", "kind")),
    sa.column("published_on", sa.Date),
)
events = sa.table(
    "membership_events",
    *(sa.column(c) for c in ("id", "membership_id", "type", "date_precision", "verification")),
    sa.column("note"),
    sa.column("date", sa.Date),
)
event_sources = sa.table("membership_event_sources", sa.column("event_id"), sa.column("source_id"))


def _rows() -> list[dict[str, str]]:
    data = FILE.read_bytes()
    if hashlib.sha256(data).hexdigest() != DIGEST:
        raise RuntimeError(f"{FILE.name} changed since migration 0010 was written")
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _source_id(url: str) -> str:
    return f"src_c{_key(url)[:11]}"


def _event_id(row: dict[str, str]) -> str:
    return f"evt_c{_key(row['organization'] + row['type'] + row['date'])[:11]}"


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def upgrade() -> None:
    bind = op.get_bind()
    rows = _rows()
    known = set(bind.execute(sa.select(sources.c.url)).scalars())
    new_sources: dict[str, dict[str, object]] = {}
    for row in rows:
        if row["url"] not in known and row["url"] not in new_sources:
            new_sources[row["url"]] = {
                "id": _source_id(row["url"]),
                "url": row["url"],
                "title": row["title"] or None,
                "publisher": row["publisher"],
                "published_on": _date(row["published_on"]),
                "published_precision": "day" if row["published_on"] else "unknown",
                "kind": row["kind"],
            }
    if new_sources:
        op.bulk_insert(sources, list(new_sources.values()))
    source_of = dict(bind.execute(sa.select(sources.c.url, sources.c.id)).all())

    for row in rows:
        source = source_of[row["url"]]
        if row["action"] == "add_event":
            membership = bind.execute(
                sa.text(
                    "SELECT m.id FROM memberships m JOIN organizations o ON o.id = "
                    "m.organization_id WHERE o.slug = :slug AND m.country_code = :country"
                ),
                {"slug": row["organization"], "country": COUNTRY},
            ).scalar_one()
            event_id = _event_id(row)
            op.bulk_insert(
                events,
                [
                    {
                        "id": event_id,
                        "membership_id": membership,
                        "type": row["type"],
                        "date": _date(row["date"]),
                        "date_precision": row["date_precision"],
                        "verification": "confirmed",
                        "note": f'"{row["quote"]}" ({row["publisher"]})',
                    }
                ],
            )
        else:
            event_id = row["event"]
            if row["action"] == "set_date":
                op.execute(
                    events.update()
                    .where(events.c.id == event_id)
                    .values(
                        date=_date(row["date"]),
                        date_precision=row["date_precision"],
                        verification="confirmed",
                    )
                )
        op.execute(
            sa.text(
                "INSERT INTO membership_event_sources (event_id, source_id) "
                "VALUES (:event, :source) ON CONFLICT DO NOTHING"
            ).bindparams(event=event_id, source=source)
        )
    op.execute(
        sources.update()
        .where(sources.c.url.startswith(REPUBLICATION), sources.c.kind == "official_text")
        .values(kind="other")
    )


def downgrade() -> None:
    rows = _rows()
    op.execute(
        sources.update()
        .where(sources.c.url.startswith(REPUBLICATION), sources.c.kind == "other")
        .values(kind="official_text")
    )
    added = [_event_id(r) for r in rows if r["action"] == "add_event"]
    op.execute(events.delete().where(events.c.id.in_(added)))
    for row in rows:
        if row["action"] == "set_date":
            op.execute(
                events.update()
                .where(events.c.id == row["event"])
                .values(date=_date(row["old_date"]), date_precision=row["old_date_precision"])
            )
    new_ids = [_source_id(r["url"]) for r in rows]
    op.execute(event_sources.delete().where(event_sources.c.source_id.in_(new_ids)))
    op.execute(sources.delete().where(sources.c.id.in_(new_ids)))
