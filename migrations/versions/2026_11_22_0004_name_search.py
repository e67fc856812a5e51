"""Search keys on organization names: folded text, compact text, CJK grams, a tsvector.

Folding (OpenCC traditional-to-simplified, case, accents, punctuation) happens in Python, in
app.services.search_text.fold, so that writes and queries fold alike; this migration fills the
keys of the names that exist, with a copy of that function as it was when it was written.
Indexes: trigram (typos, substrings), text_pattern_ops (prefix), GIN on the CJK grams and on
the English tsvector.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import re
import unicodedata
from collections.abc import Sequence

import opencc
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

names = sa.table(
    "organization_names",
    sa.column("id", sa.String),
    sa.column("value", sa.String),
    sa.column("search_text", sa.String),
    sa.column("search_compact", sa.String),
    sa.column("grams", postgresql.ARRAY(sa.String())),
)


# Folding as app.services.search_text did when this migration was written, copied so that it
# keeps that meaning (a migration never imports live app code).
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if _CJK_RUN.search(text):
        text = opencc.OpenCC("t2s").convert(text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def compact(folded: str) -> str:
    return folded.replace(" ", "")


def grams(folded: str) -> list[str]:
    found: dict[str, None] = {}
    for run in _CJK_RUN.findall(folded):
        for i, ch in enumerate(run):
            found[ch] = None
            if i + 1 < len(run):
                found[run[i : i + 2]] = None
    return list(found)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column(
        "organization_names",
        sa.Column("search_text", sa.String(), server_default="", nullable=False),
    )
    op.add_column(
        "organization_names",
        sa.Column("search_compact", sa.String(), server_default="", nullable=False),
    )
    op.add_column(
        "organization_names",
        sa.Column("grams", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False),
    )
    op.add_column(
        "organization_names",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('english'::regconfig, search_text)", persisted=True),
        ),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(names.c.id, names.c.value)).all()
    for name_id, value in rows:
        folded = fold(value)
        connection.execute(
            names.update()
            .where(names.c.id == name_id)
            .values(search_text=folded, search_compact=compact(folded), grams=grams(folded))
        )
    op.create_index(
        "ix_organization_names_search_trgm",
        "organization_names",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_organization_names_search_prefix",
        "organization_names",
        ["search_text"],
        postgresql_ops={"search_text": "text_pattern_ops"},
    )
    op.create_index(
        "ix_organization_names_compact_prefix",
        "organization_names",
        ["search_compact"],
        postgresql_ops={"search_compact": "text_pattern_ops"},
    )
    op.create_index(
        "ix_organization_names_grams", "organization_names", ["grams"], postgresql_using="gin"
    )
    op.create_index(
        "ix_organization_names_search_vector",
        "organization_names",
        ["search_vector"],
        postgresql_using="gin",
    )


def downgrade() -> None:
    for index in (
        "ix_organization_names_search_vector",
        "ix_organization_names_grams",
        "ix_organization_names_compact_prefix",
        "ix_organization_names_search_prefix",
        "ix_organization_names_search_trgm",
    ):
        op.drop_index(index, table_name="organization_names")
    for column in ("search_vector", "grams", "search_compact", "search_text"):
        op.drop_column("organization_names", column)
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
