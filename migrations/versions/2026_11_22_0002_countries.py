"""Countries: ISO 3166-1 from pycountry, with Chinese names from its iso-codes translations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import gettext
from collections.abc import Sequence

import pycountry
import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

countries = sa.table(
    "countries",
    sa.column("code", sa.String),
    sa.column("alpha3", sa.String),
    sa.column("numeric", sa.String),
    sa.column("name_en", sa.String),
    sa.column("official_name_en", sa.String),
    sa.column("name_zh_hans", sa.String),
    sa.column("name_zh_hant", sa.String),
)


def _translator(locale: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


def _translated(translator: gettext.NullTranslations, name: str) -> str | None:
    translated = translator.gettext(name)
    return translated if translated != name else None


def upgrade() -> None:
    hans, hant = _translator("zh_CN"), _translator("zh_TW")
    rows = [
        {
            "code": c.alpha_2,
            "alpha3": c.alpha_3,
            "numeric": c.numeric,
            "name_en": c.name,
            "official_name_en": getattr(c, "official_name", None),
            "name_zh_hans": _translated(hans, c.name),
            "name_zh_hant": _translated(hant, c.name),
        }
        for c in pycountry.countries
    ]
    op.bulk_insert(countries, rows)


def downgrade() -> None:
    codes = [c.alpha_2 for c in pycountry.countries]
    op.execute(countries.delete().where(countries.c.code.in_(codes)))
