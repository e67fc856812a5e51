"""Contributions: money flows from a country to an organization, or to a whole (the UN system,
all international organizations) that no single organization stands for.

- `contributions`: kind, period (inclusive dates, fiscal or calendar, as the source labels it),
  amount and currency, the country's share of the recipient's total, each with the qualifier
  the source gives it (`over`, `nearly`, `about`, ...), verification and note;
  `contribution_sources` cites the documents. Both tables move the data version.
- seed/contributions_2026_12_01.csv: the figures seed/reference/news_2026-01.md reports, all
  from the Yicai article already cited (src_krcankqrk5kh); frozen (its digest is checked). Its
  columns are those `orgreg import contributions` reads.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01
"""

import calendar
import csv
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = Path(__file__).resolve().parents[2] / "seed"
INPUT = "contributions_2026_12_01.csv"
DIGEST = "c6caae76253eae444dc1f2afd314df97742fd609881e10933a946ae5d4e1c276"
VERIFICATIONS = ("confirmed", "partial", "disputed", "unconfirmed")
RECIPIENTS = ("organization", "un_system", "all_international_organizations")
KINDS = (
    "assessed",
    "voluntary",
    "voluntary_core",
    "voluntary_earmarked",
    "pledge",
    "arrears",
    "total",
)
QUALIFIERS = ("exact", "about", "over", "nearly", "under")
PERIOD_TYPES = ("calendar", "fiscal")
WATCHED = ("contributions", "contribution_sources")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

contributions = sa.table(
    "contributions",
    *(
        sa.column(c)
        for c in (
            "id",
            "country_code",
            "recipient",
            "organization_id",
            "kind",
            "period_type",
            "period_label",
            "currency",
            "amount_qualifier",
            "share_qualifier",
            "verification",
            "note",
        )
    ),
    sa.column("period_start", sa.Date),
    sa.column("period_end", sa.Date),
    sa.column("amount", sa.Numeric(20, 2)),
    sa.column("share", sa.Numeric(7, 6)),
)
contribution_sources = sa.table(
    "contribution_sources", sa.column("contribution_id"), sa.column("source_id")
)


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _read() -> list[dict[str, str]]:
    data = (SEED / INPUT).read_bytes()
    if hashlib.sha256(data).hexdigest() != DIGEST:
        raise RuntimeError(f"seed/{INPUT} changed since migration 0023 was written")
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


def _key(row: dict[str, str]) -> str:
    parts = ("country", "recipient", "organization", "kind", "period_start")
    text = "|".join(row[c] for c in parts)
    return f"ctb_x{hashlib.sha256(text.encode()).hexdigest()[:11]}"


def _day(value: str, *, end: bool) -> dt.date | None:
    """`2024` -> 2024-01-01 (start) or 2024-12-31 (end); `2023-09` -> 2023-09-01 or -30."""
    if not value:
        return None
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise RuntimeError(f"{INPUT}: {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if day:
        return dt.date(int(year), int(month), int(day))
    if month:
        last = calendar.monthrange(int(year), int(month))[1] if end else 1
        return dt.date(int(year), int(month), last)
    return dt.date(int(year), 12, 31) if end else dt.date(int(year), 1, 1)


def _tracked() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "contributions",
        *_tracked(),
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column(
            "country_code", sa.String(), sa.ForeignKey("countries.code"), nullable=False, index=True
        ),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("organization_id", sa.String(), sa.ForeignKey("organizations.id"), index=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("period_start", sa.Date()),
        sa.Column("period_end", sa.Date()),
        sa.Column("period_type", sa.String()),
        sa.Column("period_label", sa.String()),
        sa.Column("amount", sa.Numeric(20, 2)),
        sa.Column("currency", sa.String()),
        sa.Column("amount_qualifier", sa.String()),
        sa.Column("share", sa.Numeric(7, 6)),
        sa.Column("share_qualifier", sa.String()),
        sa.Column("verification", sa.String(), nullable=False),
        sa.Column("note", sa.String()),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(_in("recipient", RECIPIENTS), name="recipient"),
        sa.CheckConstraint(_in("kind", KINDS), name="kind"),
        sa.CheckConstraint(_in("period_type", PERIOD_TYPES), name="period_type"),
        sa.CheckConstraint(_in("amount_qualifier", QUALIFIERS), name="amount_qualifier"),
        sa.CheckConstraint(_in("share_qualifier", QUALIFIERS), name="share_qualifier"),
        sa.CheckConstraint(_in("verification", VERIFICATIONS), name="verification"),
        sa.CheckConstraint(
            "(recipient = 'organization') = (organization_id IS NOT NULL)",
            name="organization_iff_recipient",
        ),
        sa.CheckConstraint(
            "(period_start IS NULL) = (period_end IS NULL) AND period_end >= period_start",
            name="period",
        ),
        sa.CheckConstraint(
            "(amount IS NULL) = (currency IS NULL) "
            "AND (amount IS NULL) = (amount_qualifier IS NULL) AND amount >= 0",
            name="amount",
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_format"),
        sa.CheckConstraint(
            "(share IS NULL) = (share_qualifier IS NULL) AND share >= 0 AND share <= 1",
            name="share",
        ),
        sa.CheckConstraint("amount IS NOT NULL OR share IS NOT NULL", name="a_figure"),
    )
    op.create_table(
        "contribution_sources",
        sa.Column(
            "contribution_id",
            sa.String(),
            sa.ForeignKey("contributions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "source_id", sa.String(), sa.ForeignKey("sources.id"), primary_key=True, index=True
        ),
    )
    for table in WATCHED:
        op.execute(
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
        )
    bind = op.get_bind()
    org_ids = dict(bind.execute(sa.text("SELECT slug, id FROM organizations")).all())
    for row in _read():
        contribution_id = _key(row)
        bind.execute(
            contributions.insert().values(
                id=contribution_id,
                country_code=row["country"],
                recipient=row["recipient"],
                organization_id=org_ids[row["organization"]] if row["organization"] else None,
                kind=row["kind"],
                period_start=_day(row["period_start"], end=False),
                period_end=_day(row["period_end"], end=True),
                period_type=row["period_type"] or None,
                period_label=row["period_label"] or None,
                amount=Decimal(row["amount"]) if row["amount"] else None,
                currency=row["currency"] or None,
                amount_qualifier=row["amount_qualifier"] or None,
                share=Decimal(row["share"]) if row["share"] else None,
                share_qualifier=row["share_qualifier"] or None,
                verification=row["verification"],
                note=row["note"] or None,
            )
        )
        for source_id in row["sources"].split(";"):
            bind.execute(
                contribution_sources.insert().values(
                    contribution_id=contribution_id, source_id=source_id
                )
            )


def downgrade() -> None:
    for table in WATCHED:
        op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
    op.drop_table("contribution_sources")
    op.drop_table("contributions")
