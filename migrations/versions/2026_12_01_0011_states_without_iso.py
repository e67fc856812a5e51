"""States the COW data covers that have no ISO 3166 code (Austria-Hungary, Bavaria, the
Republic of Vietnam, Kosovo, ...), under codes from ISO 3166-1's user-assigned range (alpha-2
XA-XZ, alpha-3 XAA-XZZ, numeric 900-999: "at the disposal of users", never used by ISO), with
their COW state number (`cow_ccode`) and the dates of their membership in COW's state system.

Reads seed/cow_states_without_iso.csv, a frozen file (its digest is checked).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import csv
import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILE = Path(__file__).resolve().parents[2] / "seed" / "cow_states_without_iso.csv"
DIGEST = "a61e4b5d6e32d818604b28027524899b77e6926c3f526283063cf7fbaa161dec"
SOURCE_URL = "https://correlatesofwar.org/data-sets/state-system-membership"

countries = sa.table(
    "countries",
    *(sa.column(c) for c in ("code", "alpha3", "numeric", "name_en", "source_url")),
    sa.column("historical", sa.Boolean),
    sa.column("valid_from", sa.Date),
    sa.column("valid_to", sa.Date),
    sa.column("cow_ccode", sa.Integer),
)


def _rows() -> list[dict[str, str]]:
    data = FILE.read_bytes()
    if hashlib.sha256(data).hexdigest() != DIGEST:
        raise RuntimeError(f"{FILE.name} changed since migration 0011 was written")
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


def upgrade() -> None:
    op.add_column("countries", sa.Column("cow_ccode", sa.Integer()))
    op.bulk_insert(
        countries,
        [
            {
                "code": row["code"],
                "alpha3": row["alpha3"],
                "numeric": row["numeric"],
                "name_en": row["name_en"],
                "historical": bool(row["valid_to"]),
                "valid_from": dt.date.fromisoformat(row["valid_from"]),
                "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                "source_url": SOURCE_URL,
                "cow_ccode": int(row["cow_ccode"]),
            }
            for row in _rows()
        ],
    )


def downgrade() -> None:
    codes = [row["code"] for row in _rows()]
    op.execute(countries.delete().where(countries.c.code.in_(codes)))
    op.drop_column("countries", "cow_ccode")
