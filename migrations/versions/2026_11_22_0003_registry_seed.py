"""Seed the registry from seed/*.csv: sources, categories, organizations, the US relations.

Reads the seed files through ad-hoc `sa.table()` definitions (never app.models). Status periods
are derived state, not data: they are derived from the events once the migrations have run
(migrations/env.py), by the same rules as every write. `downgrade` deletes exactly the rows
whose keys the seed files name.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = Path(__file__).resolve().parents[2] / "seed"


def _table(name: str, *columns: str, **typed: sa.types.TypeEngine[Any]) -> sa.TableClause:
    return sa.table(
        name,
        *(sa.column(c, sa.String) for c in columns),
        *(sa.column(c, t) for c, t in typed.items()),
    )


sources = _table(
    "sources",
    "id",
    "url",
    "title",
    "publisher",
    "published_precision",
    "kind",
    "confidence_note",
    published_on=sa.Date(),
)
categories = _table(
    "categories", "id", "slug", "parent_id", "name_en", "name_zh", position=sa.Integer()
)
organizations = _table(
    "organizations",
    "id",
    "slug",
    "system",
    "kind",
    "parent_id",
    "founded_precision",
    "headquarters",
    "website",
    founded_on=sa.Date(),
)
organization_categories = _table(
    "organization_categories", "organization_id", "category_id", is_primary=sa.Boolean()
)
organization_names = _table(
    "organization_names",
    "id",
    "organization_id",
    "lang",
    "type",
    "value",
    "verification",
    "note",
    is_preferred=sa.Boolean(),
)
organization_name_sources = _table("organization_name_sources", "name_id", "source_id")
organization_claims = _table(
    "organization_claims", "organization_id", "field", "verification", "note"
)
organization_claim_sources = _table(
    "organization_claim_sources", "organization_id", "field", "source_id"
)
listings = _table(
    "listings", "id", "organization_id", "source_id", "section", "note", position=sa.Integer()
)
listing_sources = _table("listing_sources", "listing_id", "source_id")
memberships = _table(
    "memberships", "id", "country_code", "organization_id", "basis", "basis_verification", "note"
)
membership_events = _table(
    "membership_events",
    "id",
    "membership_id",
    "type",
    "date_precision",
    "verification",
    "note",
    date=sa.Date(),
)
membership_event_sources = _table("membership_event_sources", "event_id", "source_id")


INPUTS = {
    "sources.csv": "e89182be5e0ed86a20f30576fc47b6439a912bc16b24039faf4af96e53786070",
    "categories.csv": "dd9eb531e8210ebd9b06fa68afc42b2a94f827426f3a4948bb8f29d5cca03535",
    "organizations.csv": "b46d416c2c29c6fe59384a23b357f581e79e9d1a2b13b1a40c22532ba43cd081",
    "organization_names.csv": "36bcbca8906e33cd451f8eae18f7402d560f2e076d0a65db4bcca95c0b6b8454",
    "organization_claims.csv": "f8e872bf69344eb0af2e4cb1c823f8fc4c758408f31a65bbb5c0cff32366a8b7",
    "listings.csv": "0a59be45d1d3ce1d49a76da39d68aa365af5053973183821b74722705b0576c9",
    "memberships.csv": "25d004fcfeb1d6f91f2f09517afd98080a4cfe913783884f57e187740e30c67c",
    "membership_events.csv": "465865908eace26f3ab1aabd791e74339b601630e601f2b8c2349bdcb1faf56e",
}
"""The seed files this migration reads, by SHA-256: a fresh database gets exactly what the
databases migrated before got. A change to one of them is made by a new migration."""


def _read(filename: str) -> list[dict[str, str]]:
    data = (SEED / filename).read_bytes()
    if hashlib.sha256(data).hexdigest() != INPUTS[filename]:
        raise RuntimeError(
            f"seed/{filename} is not the file migration 0003 was written for; put the change "
            "in a new migration and restore the file (git checkout -- seed/)."
        )
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _or_none(value: str) -> str | None:
    return value or None


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _ids(value: str) -> list[str]:
    return [v for v in value.split(";") if v]


def upgrade() -> None:
    op.bulk_insert(
        sources,
        [
            {
                **row,
                "url": _or_none(row["url"]),
                "title": _or_none(row["title"]),
                "confidence_note": _or_none(row["confidence_note"]),
                "published_on": _date(row["published_on"]),
            }
            for row in _read("sources.csv")
        ],
    )

    category_rows = _read("categories.csv")
    category_id = {row["slug"]: row["id"] for row in category_rows}
    op.bulk_insert(
        categories,
        [
            {
                "id": row["id"],
                "slug": row["slug"],
                "parent_id": category_id.get(row["parent"]),
                "name_en": row["name_en"],
                "name_zh": row["name_zh"],
                "position": int(row["position"]),
            }
            for row in category_rows
        ],
    )

    org_rows = _read("organizations.csv")
    org_id = {row["slug"]: row["id"] for row in org_rows}
    op.bulk_insert(
        organizations,
        [
            {
                "id": row["id"],
                "slug": row["slug"],
                "system": row["system"],
                "kind": row["kind"],
                "parent_id": None,
                "founded_on": _date(row["founded_on"]),
                "founded_precision": row["founded_precision"],
                "headquarters": _or_none(row["headquarters"]),
                "website": _or_none(row["website"]),
            }
            for row in org_rows
        ],
    )
    for row in org_rows:  # parents after all rows exist
        if row["parent"]:
            op.execute(
                organizations.update()
                .where(organizations.c.id == row["id"])
                .values(parent_id=org_id[row["parent"]])
            )
    op.bulk_insert(
        organization_categories,
        [
            {"organization_id": row["id"], "category_id": category_id[slug], "is_primary": i == 0}
            for row in org_rows
            for i, slug in enumerate(_ids(row["categories"]))
        ],
    )

    name_rows = _read("organization_names.csv")
    op.bulk_insert(
        organization_names,
        [
            {
                "id": row["id"],
                "organization_id": org_id[row["organization"]],
                "lang": row["lang"],
                "type": row["type"],
                "value": row["value"],
                "is_preferred": row["preferred"] == "true",
                "verification": row["verification"],
                "note": _or_none(row["note"]),
            }
            for row in name_rows
        ],
    )
    op.bulk_insert(
        organization_name_sources,
        [
            {"name_id": row["id"], "source_id": source}
            for row in name_rows
            for source in _ids(row["sources"])
        ],
    )

    claim_rows = _read("organization_claims.csv")
    op.bulk_insert(
        organization_claims,
        [
            {
                "organization_id": org_id[row["organization"]],
                "field": row["field"],
                "verification": row["verification"],
                "note": _or_none(row["note"]),
            }
            for row in claim_rows
        ],
    )
    op.bulk_insert(
        organization_claim_sources,
        [
            {
                "organization_id": org_id[row["organization"]],
                "field": row["field"],
                "source_id": source,
            }
            for row in claim_rows
            for source in _ids(row["sources"])
        ],
    )

    listing_rows = _read("listings.csv")
    op.bulk_insert(
        listings,
        [
            {
                "id": row["id"],
                "organization_id": org_id[row["organization"]],
                "source_id": row["source"],
                "section": row["section"],
                "position": int(row["position"]),
                "note": _or_none(row["note"]),
            }
            for row in listing_rows
        ],
    )
    op.bulk_insert(
        listing_sources,
        [
            {"listing_id": row["id"], "source_id": source}
            for row in listing_rows
            for source in _ids(row["sources"])
        ],
    )

    membership_rows = _read("memberships.csv")
    op.bulk_insert(
        memberships,
        [
            {
                "id": row["id"],
                "country_code": row["country"],
                "organization_id": org_id[row["organization"]],
                "basis": row["basis"],
                "basis_verification": row["basis_verification"],
                "note": _or_none(row["note"]),
            }
            for row in membership_rows
        ],
    )
    event_rows = _read("membership_events.csv")
    op.bulk_insert(
        membership_events,
        [
            {
                "id": row["id"],
                "membership_id": row["membership"],
                "type": row["type"],
                "date": _date(row["date"]),
                "date_precision": row["date_precision"],
                "verification": row["verification"],
                "note": _or_none(row["note"]),
            }
            for row in event_rows
        ],
    )
    op.bulk_insert(
        membership_event_sources,
        [
            {"event_id": row["id"], "source_id": source}
            for row in event_rows
            for source in _ids(row["sources"])
        ],
    )


def downgrade() -> None:
    membership_ids = [row["id"] for row in _read("memberships.csv")]
    org_ids = [row["id"] for row in _read("organizations.csv")]
    # Child rows (names, claims, categories, listings, events, periods) go with their parents.
    op.execute(memberships.delete().where(memberships.c.id.in_(membership_ids)))
    op.execute(organizations.update().where(organizations.c.id.in_(org_ids)).values(parent_id=None))
    op.execute(organizations.delete().where(organizations.c.id.in_(org_ids)))
    op.execute(
        categories.update()
        .values(parent_id=None)
        .where(categories.c.id.in_([row["id"] for row in _read("categories.csv")]))
    )
    op.execute(
        categories.delete().where(
            categories.c.id.in_([row["id"] for row in _read("categories.csv")])
        )
    )
    op.execute(
        sources.delete().where(sources.c.id.in_([row["id"] for row in _read("sources.csv")]))
    )
