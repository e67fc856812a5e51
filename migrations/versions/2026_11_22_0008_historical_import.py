"""What a historical import needs: countries that no longer exist (ISO 3166-3), dissolved
organizations, external identifiers, events whose date is a range, the `membership_ended`
event, the conflicts an import finds with curated data, and the COW IGO dataset as a source.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = Path(__file__).resolve().parents[2] / "seed"
PRECISIONS = ("day", "month", "year", "unknown")
CLAIM_FIELDS_BEFORE = ("founded", "headquarters", "website")
CLAIM_FIELDS_AFTER = (*CLAIM_FIELDS_BEFORE, "dissolved")
EVENT_TYPES_BEFORE = (
    "signed",
    "joined",
    "ratified",
    "entered_into_force",
    "rejoined",
    "became_associate",
    "became_observer",
    "elected",
    "suspended",
    "reinstated",
    "funding_reduced",
    "funding_suspended",
    "funding_prohibited",
    "funding_restored",
    "review_ordered",
    "withdrawal_announced",
    "withdrawal_intent_notified",
    "withdrawal_notified",
    "withdrawal_effective",
    "withdrawal_retracted",
    "rejoin_requested",
    "rejoin_instrument_deposited",
)
EVENT_TYPES_AFTER = (*EVENT_TYPES_BEFORE, "membership_ended")

COW_SOURCE = {
    "id": "src_cow_igo_v3",
    "url": "https://correlatesofwar.org/data-sets/igos/",
    "title": "Correlates of War Intergovernmental Organizations (IGO) data set, version 3.0 "
    "(Pevehouse, Nordstrom, McManus and Jamison 2020, Journal of Peace Research 57(3): "
    "492-503, doi:10.1177/0022343319881175)",
    "publisher": "Correlates of War Project",
    "published_on": dt.date(2020, 1, 1),
    "published_precision": "year",
    "kind": "reference_work",
    "confidence_note": "Yearly codes (every five years before 1965 in the original collection); "
    "coded from yearbooks, so a year can be off where the data says so. Curated, dated events "
    "win where both speak about the same country, organization and time (GET /v1/conflicts).",
}


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _historical_countries() -> list[dict[str, object]]:
    with (SEED / "historical_countries.csv").open(encoding="utf-8", newline="") as handle:
        return [
            {
                "code": row["code"],
                "alpha3": row["alpha3"],
                "numeric": row["numeric"],
                "name_en": row["name_en"],
                "historical": True,
                "valid_from": dt.date.fromisoformat(row["valid_from"]),
                "valid_to": dt.date.fromisoformat(row["valid_to"]),
                "source_url": row["source_url"],
            }
            for row in csv.DictReader(handle)
        ]


def upgrade() -> None:
    op.alter_column("countries", "code", type_=sa.String(length=4))
    op.add_column(
        "countries", sa.Column("historical", sa.Boolean(), server_default="false", nullable=False)
    )
    op.add_column("countries", sa.Column("valid_from", sa.Date()))
    op.add_column("countries", sa.Column("valid_to", sa.Date()))
    op.add_column("countries", sa.Column("source_url", sa.String()))
    # ISO 3166-3 reuses numeric codes (Yugoslavia and Serbia and Montenegro are both 891).
    op.drop_constraint("uq_countries_numeric", "countries", type_="unique")
    op.create_index(
        "uq_countries_numeric_current",
        "countries",
        ["numeric"],
        unique=True,
        postgresql_where=sa.text("NOT historical"),
    )
    op.create_check_constraint(
        "historical_dated", "countries", "historical = (valid_to IS NOT NULL)"
    )
    countries = sa.table(
        "countries",
        *(
            sa.column(name)
            for name in ("code", "alpha3", "numeric", "name_en", "historical", "source_url")
        ),
        sa.column("valid_from", sa.Date),
        sa.column("valid_to", sa.Date),
    )
    op.bulk_insert(countries, _historical_countries())

    op.add_column("organizations", sa.Column("dissolved_on", sa.Date()))
    op.add_column(
        "organizations",
        sa.Column("dissolved_precision", sa.String(), server_default="unknown", nullable=False),
    )
    op.create_check_constraint(
        "dissolved_precision", "organizations", _in("dissolved_precision", PRECISIONS)
    )
    op.create_check_constraint(
        "dissolved_dated",
        "organizations",
        "(dissolved_on IS NULL) = (dissolved_precision = 'unknown')",
    )
    op.drop_constraint(op.f("ck_organization_claims_field"), "organization_claims", type_="check")
    op.create_check_constraint("field", "organization_claims", _in("field", CLAIM_FIELDS_AFTER))
    op.create_table(
        "organization_identifiers",
        sa.Column("scheme", sa.String(), primary_key=True),
        sa.Column("value", sa.String(), primary_key=True),
        sa.Column(
            "organization_id",
            sa.String(),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.CheckConstraint("scheme ~ '^[a-z][a-z0-9_]*$'", name="scheme_format"),
        sa.CheckConstraint("btrim(value) <> ''", name="value_not_blank"),
    )

    op.add_column("membership_events", sa.Column("date_earliest", sa.Date()))
    op.add_column("membership_events", sa.Column("date_latest", sa.Date()))
    op.add_column("membership_events", sa.Column("qualifiers", postgresql.JSONB()))
    op.create_check_constraint(
        "date_range",
        "membership_events",
        "(date_earliest IS NULL OR date_earliest <= date) "
        "AND (date_latest IS NULL OR date_latest >= date)",
    )
    op.drop_constraint(op.f("ck_membership_events_type"), "membership_events", type_="check")
    op.create_check_constraint("type", "membership_events", _in("type", EVENT_TYPES_AFTER))

    op.create_table(
        "import_conflicts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "membership_id",
            sa.String(),
            sa.ForeignKey("memberships.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("source_id", sa.String(), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("during", postgresql.DATERANGE(), nullable=False),
        sa.Column("dataset_says", sa.String(), nullable=False),
        sa.Column("registry_says", sa.String(), nullable=False),
        sa.Column("followed", sa.String(), nullable=False),
        sa.Column(
            "detected_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.UniqueConstraint("membership_id", "source_id", "during"),
        sa.CheckConstraint("followed IN ('registry', 'dataset')", name="followed"),
    )
    sources = sa.table(
        "sources",
        *(sa.column(name) for name in COW_SOURCE if name != "published_on"),
        sa.column("published_on", sa.Date),
    )
    op.bulk_insert(sources, [COW_SOURCE])


def downgrade() -> None:
    op.execute(
        "DELETE FROM memberships WHERE country_code IN "
        "(SELECT code FROM countries WHERE historical)"
    )
    op.execute(
        "DELETE FROM membership_events WHERE id IN (SELECT event_id FROM "
        "membership_event_sources WHERE source_id = 'src_cow_igo_v3')"
    )
    op.execute("DELETE FROM membership_events WHERE type = 'membership_ended'")
    op.execute("DELETE FROM membership_event_sources WHERE source_id = 'src_cow_igo_v3'")
    op.drop_table("import_conflicts")
    op.execute("DELETE FROM sources WHERE id = 'src_cow_igo_v3'")
    op.drop_constraint(op.f("ck_membership_events_type"), "membership_events", type_="check")
    op.create_check_constraint("type", "membership_events", _in("type", EVENT_TYPES_BEFORE))
    op.drop_constraint(op.f("ck_membership_events_date_range"), "membership_events", type_="check")
    op.drop_column("membership_events", "qualifiers")
    op.drop_column("membership_events", "date_latest")
    op.drop_column("membership_events", "date_earliest")
    op.drop_table("organization_identifiers")
    op.execute("DELETE FROM organization_claims WHERE field = 'dissolved'")
    op.drop_constraint(op.f("ck_organization_claims_field"), "organization_claims", type_="check")
    op.create_check_constraint("field", "organization_claims", _in("field", CLAIM_FIELDS_BEFORE))
    op.drop_constraint(op.f("ck_organizations_dissolved_dated"), "organizations", type_="check")
    op.drop_constraint(op.f("ck_organizations_dissolved_precision"), "organizations", type_="check")
    op.drop_column("organizations", "dissolved_precision")
    op.drop_column("organizations", "dissolved_on")
    op.execute("DELETE FROM countries WHERE historical")
    op.drop_constraint(op.f("ck_countries_historical_dated"), "countries", type_="check")
    op.drop_index("uq_countries_numeric_current", table_name="countries")
    op.create_unique_constraint("uq_countries_numeric", "countries", ["numeric"])
    op.drop_column("countries", "source_url")
    op.drop_column("countries", "valid_to")
    op.drop_column("countries", "valid_from")
    op.drop_column("countries", "historical")
    op.alter_column("countries", "code", type_=sa.String(length=2))
