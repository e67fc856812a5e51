"""Schema: sources, categories, countries, organizations, memberships, events, status periods.

Vocabularies are spelled out here (not imported from app code) so this migration keeps meaning
what it meant when it was written.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRECISIONS = ("day", "month", "year", "unknown")
VERIFICATIONS = ("confirmed", "partial", "disputed", "unconfirmed")
SYSTEMS = ("un", "non_un")
KINDS = (
    "principal_organ",
    "department_office",
    "programme_fund",
    "regional_commission",
    "specialized_agency",
    "related_organization",
    "subsidiary_body",
    "tribunal",
    "research_training_institute",
    "coordination_mechanism",
    "treaty_agreement",
    "intergovernmental_organization",
    "forum_partnership",
    "register_instrument",
)
NAME_TYPES = ("official", "short", "acronym", "alias")
SOURCE_KINDS = ("official_text", "organization_statement", "news", "reference_work", "other")
CLAIM_FIELDS = ("founded", "headquarters", "website")
BASES = ("member_state", "participant", "donor", "observer_state")
STATUSES = ("member", "associate", "observer", "suspended", "withdrawal_pending", "withdrawn")
EVENT_TYPES = (
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
# BCP 47 shape (language, then script/region subtags); full validation happens in the API.
LANG_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


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
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")

    op.create_table(
        "sources",
        *_tracked(),
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("title", sa.String()),
        sa.Column("publisher", sa.String(), nullable=False),
        sa.Column("url", sa.String(), index=True),
        sa.Column("published_on", sa.Date()),
        sa.Column("published_precision", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("confidence_note", sa.String()),
        sa.CheckConstraint(_in("kind", SOURCE_KINDS), name="kind"),
        sa.CheckConstraint(_in("published_precision", PRECISIONS), name="published_precision"),
        sa.CheckConstraint(
            "(published_on IS NULL) = (published_precision = 'unknown')", name="published_dated"
        ),
    )
    op.create_table(
        "categories",
        *_tracked(),
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("slug", sa.String(), nullable=False, unique=True),
        sa.Column("parent_id", sa.String(), sa.ForeignKey("categories.id"), index=True),
        sa.Column("name_en", sa.String(), nullable=False),
        sa.Column("name_zh", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "countries",
        sa.Column("code", sa.String(length=2), primary_key=True),
        sa.Column("alpha3", sa.String(length=3), nullable=False, unique=True),
        sa.Column("numeric", sa.String(length=3), nullable=False, unique=True),
        sa.Column("name_en", sa.String(), nullable=False),
        sa.Column("official_name_en", sa.String()),
        sa.Column("name_zh_hans", sa.String()),
        sa.Column("name_zh_hant", sa.String()),
    )
    op.create_table(
        "organizations",
        *_tracked(),
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("slug", sa.String(), nullable=False, unique=True),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("parent_id", sa.String(), sa.ForeignKey("organizations.id"), index=True),
        sa.Column("founded_on", sa.Date()),
        sa.Column("founded_precision", sa.String(), nullable=False),
        sa.Column("headquarters", sa.String()),
        sa.Column("website", sa.String()),
        sa.CheckConstraint(_in("system", SYSTEMS), name="system"),
        sa.CheckConstraint(_in("kind", KINDS), name="kind"),
        sa.CheckConstraint(_in("founded_precision", PRECISIONS), name="founded_precision"),
        sa.CheckConstraint(
            "(founded_on IS NULL) = (founded_precision = 'unknown')", name="founded_dated"
        ),
        sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
    )
    op.create_table(
        "organization_names",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column(
            "organization_id",
            sa.String(),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("lang", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("is_preferred", sa.Boolean(), nullable=False),
        sa.Column("verification", sa.String(), nullable=False),
        sa.Column("note", sa.String()),
        sa.UniqueConstraint("organization_id", "lang", "type", "value"),
        sa.CheckConstraint(_in("type", NAME_TYPES), name="type"),
        sa.CheckConstraint(_in("verification", VERIFICATIONS), name="verification"),
        sa.CheckConstraint(f"lang ~ '{LANG_TAG}'", name="lang_tag"),
        sa.CheckConstraint("btrim(value) <> ''", name="value_not_blank"),
    )
    op.create_index(
        "uq_organization_names_preferred",
        "organization_names",
        ["organization_id", "lang", "type"],
        unique=True,
        postgresql_where=sa.text("is_preferred"),
    )
    op.create_table(
        "organization_name_sources",
        sa.Column(
            "name_id",
            sa.String(),
            sa.ForeignKey("organization_names.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "source_id", sa.String(), sa.ForeignKey("sources.id"), primary_key=True, index=True
        ),
    )
    op.create_table(
        "organization_categories",
        sa.Column(
            "organization_id",
            sa.String(),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "category_id", sa.String(), sa.ForeignKey("categories.id"), primary_key=True, index=True
        ),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
    )
    op.create_index(
        "uq_organization_categories_primary",
        "organization_categories",
        ["organization_id"],
        unique=True,
        postgresql_where=sa.text("is_primary"),
    )
    op.create_table(
        "organization_claims",
        sa.Column(
            "organization_id",
            sa.String(),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("field", sa.String(), primary_key=True),
        sa.Column("verification", sa.String(), nullable=False),
        sa.Column("note", sa.String()),
        sa.CheckConstraint(_in("field", CLAIM_FIELDS), name="field"),
        sa.CheckConstraint(_in("verification", VERIFICATIONS), name="verification"),
    )
    op.create_table(
        "organization_claim_sources",
        sa.Column("organization_id", sa.String(), primary_key=True),
        sa.Column("field", sa.String(), primary_key=True),
        sa.Column(
            "source_id", sa.String(), sa.ForeignKey("sources.id"), primary_key=True, index=True
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "field"],
            ["organization_claims.organization_id", "organization_claims.field"],
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "listings",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column(
            "organization_id",
            sa.String(),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "source_id", sa.String(), sa.ForeignKey("sources.id"), nullable=False, index=True
        ),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.String()),
        sa.UniqueConstraint("source_id", "section", "position"),
    )
    op.create_table(
        "listing_sources",
        sa.Column(
            "listing_id",
            sa.String(),
            sa.ForeignKey("listings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "source_id", sa.String(), sa.ForeignKey("sources.id"), primary_key=True, index=True
        ),
    )
    op.create_table(
        "memberships",
        *_tracked(),
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column(
            "country_code", sa.String(), sa.ForeignKey("countries.code"), nullable=False, index=True
        ),
        sa.Column(
            "organization_id",
            sa.String(),
            sa.ForeignKey("organizations.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("basis", sa.String(), nullable=False),
        sa.Column("basis_verification", sa.String(), nullable=False),
        sa.Column("note", sa.String()),
        sa.UniqueConstraint("country_code", "organization_id"),
        sa.CheckConstraint(_in("basis", BASES), name="basis"),
        sa.CheckConstraint(_in("basis_verification", VERIFICATIONS), name="basis_verification"),
    )
    op.create_table(
        "membership_events",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column(
            "membership_id",
            sa.String(),
            sa.ForeignKey("memberships.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("date", sa.Date()),
        sa.Column("date_precision", sa.String(), nullable=False),
        sa.Column("verification", sa.String(), nullable=False),
        sa.Column("note", sa.String()),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(_in("type", EVENT_TYPES), name="type"),
        sa.CheckConstraint(_in("date_precision", PRECISIONS), name="date_precision"),
        sa.CheckConstraint(_in("verification", VERIFICATIONS), name="verification"),
        sa.CheckConstraint("(date IS NULL) = (date_precision = 'unknown')", name="dated"),
    )
    op.create_table(
        "membership_event_sources",
        sa.Column(
            "event_id",
            sa.String(),
            sa.ForeignKey("membership_events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "source_id", sa.String(), sa.ForeignKey("sources.id"), primary_key=True, index=True
        ),
    )
    op.create_table(
        "status_periods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "membership_id",
            sa.String(),
            sa.ForeignKey("memberships.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("during", postgresql.DATERANGE(), nullable=False),
        sa.Column("valid_from_precision", sa.String(), nullable=False),
        sa.Column("valid_to_precision", sa.String()),
        sa.Column(
            "evidence_event_id",
            sa.String(),
            sa.ForeignKey("membership_events.id", ondelete="CASCADE"),
        ),
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.CheckConstraint(_in("valid_from_precision", PRECISIONS), name="valid_from_precision"),
        sa.CheckConstraint(
            f"valid_to_precision IS NULL OR {_in('valid_to_precision', PRECISIONS)}",
            name="valid_to_precision",
        ),
        sa.CheckConstraint("NOT isempty(during)", name="not_empty"),
        postgresql.ExcludeConstraint(
            (sa.column("membership_id"), "="),
            (sa.column("during"), "&&"),
            using="gist",
            name="ex_status_periods_no_overlap",
        ),
    )


def downgrade() -> None:
    for table in (
        "status_periods",
        "membership_event_sources",
        "membership_events",
        "memberships",
        "listing_sources",
        "listings",
        "organization_claim_sources",
        "organization_claims",
        "organization_categories",
        "organization_name_sources",
        "organization_names",
        "organizations",
        "countries",
        "categories",
        "sources",
    ):
        op.drop_table(table)
