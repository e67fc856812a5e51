"""Identifiers say how sure they are and who says so; Wikidata items; Chinese short names.

- `organization_identifiers` gains `verification`, `source_id` and `note`. The COW numbers the
  import wrote are the dataset's own (`confirmed`, citing it).
- seed/wikidata_2026_12_01.csv: the Wikidata item of 55 curated organizations, each read from a
  public page that pairs the organization's name with its item (a commit-pinned file of a
  public repository; the evidence column quotes it). None is checked on wikidata.org itself, so
  each is `unconfirmed`, with its page as the source.
- seed/zh_aliases_2026_12_01.csv: Chinese short forms people search with (世卫组织, 人居署,
  贸发会议, 伊核协议, ...), each an `alias` citing the page that uses it; `confirmed` where that
  page is the organization's, the UN's, a government's, a news agency's or Chinese Wikipedia,
  `unconfirmed` where it is a mirror or a reprint.
Both files are frozen (their digests are checked).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01
"""

import csv
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import opencc
import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = Path(__file__).resolve().parents[2] / "seed"
INPUTS = {
    "wikidata_2026_12_01.csv": "3125490c22c7f9bc63fb36db7cda55caa23607870afec93b818ce97659ee2e8f",
    "zh_aliases_2026_12_01.csv": "0379ca6fb093c2503bcd6a37b91f4598e459683b218650f8dffc64a6c5155019",
}
VERIFICATIONS = ("confirmed", "partial", "disputed", "unconfirmed")
COW_SOURCE = "src_cow_igo_v3"
WIKIDATA_NOTE = (
    "Stated by a public list that pairs the organization with its Wikidata item; not checked "
    "on wikidata.org itself."
)

sources = sa.table(
    "sources",
    *(sa.column(c) for c in ("id", "url", "title", "publisher", "published_precision", "kind")),
)
identifiers = sa.table(
    "organization_identifiers",
    *(sa.column(c) for c in ("scheme", "value", "organization_id", "verification", "source_id")),
    sa.column("note"),
)
names = sa.table(
    "organization_names",
    sa.column("grams", sa.ARRAY(sa.String())),
    sa.column("is_preferred", sa.Boolean),
    *(
        sa.column(c)
        for c in (
            "id",
            "organization_id",
            "lang",
            "type",
            "value",
            "verification",
            "note",
            "search_text",
            "search_compact",
        )
    ),
)
name_sources = sa.table("organization_name_sources", sa.column("name_id"), sa.column("source_id"))


def _read(filename: str) -> list[dict[str, str]]:
    data = (SEED / filename).read_bytes()
    if hashlib.sha256(data).hexdigest() != INPUTS[filename]:
        raise RuntimeError(f"seed/{filename} changed since migration 0022 was written")
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


def _key(prefix: str, text: str) -> str:
    return f"{prefix}_x{hashlib.sha256(text.encode()).hexdigest()[:11]}"


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


def _fold(text: str) -> str:
    """Search folding of app.services.search_text as it was (traditional to simplified too)."""
    text = _TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", text))
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text)).strip()


def _grams(folded: str) -> list[str]:
    found: dict[str, None] = {}
    for run in _CJK_RUN.findall(folded):
        for i, ch in enumerate(run):
            found[ch] = None
            if i + 1 < len(run):
                found[run[i : i + 2]] = None
    return list(found)


class _Sources:
    """Source ids by URL: the registry's own where it cites the page already, else a new one."""

    def __init__(self, bind: sa.Connection) -> None:
        self.bind = bind
        self.ids: dict[str, str] = dict(bind.execute(sa.select(sources.c.url, sources.c.id)).all())

    def of(self, url: str, publisher: str, kind: str) -> str:
        if url not in self.ids:
            self.ids[url] = _key("src", url)
            self.bind.execute(
                sources.insert().values(
                    id=self.ids[url],
                    url=url,
                    publisher=publisher,
                    published_precision="unknown",
                    kind=kind,
                )
            )
        return self.ids[url]


def upgrade() -> None:
    op.add_column(
        "organization_identifiers",
        sa.Column("verification", sa.String(), nullable=False, server_default="unconfirmed"),
    )
    op.add_column("organization_identifiers", sa.Column("source_id", sa.String(), nullable=True))
    op.add_column("organization_identifiers", sa.Column("note", sa.String(), nullable=True))
    op.create_check_constraint(
        "verification",
        "organization_identifiers",
        "verification IN (" + ", ".join(f"'{v}'" for v in VERIFICATIONS) + ")",
    )
    op.create_foreign_key(
        op.f("fk_organization_identifiers_source_id_sources"),
        "organization_identifiers",
        "sources",
        ["source_id"],
        ["id"],
    )
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE organization_identifiers SET verification = 'confirmed', source_id = :cow "
            "WHERE scheme = 'cow_igo' AND EXISTS (SELECT 1 FROM sources WHERE id = :cow)"
        ),
        {"cow": COW_SOURCE},
    )
    org_ids = dict(bind.execute(sa.text("SELECT slug, id FROM organizations")).all())
    cited = _Sources(bind)
    for row in _read("wikidata_2026_12_01.csv"):
        bind.execute(
            identifiers.insert().values(
                scheme="wikidata",
                value=row["qid"],
                organization_id=org_ids[row["slug"]],
                verification="unconfirmed",
                source_id=cited.of(row["url"], row["publisher"], "reference_work"),
                note=WIKIDATA_NOTE,
            )
        )
    for row in _read("zh_aliases_2026_12_01.csv"):
        folded = _fold(row["value"])
        name_id = _key("nam", f"{row['slug']}:{row['lang']}:alias:{row['value']}")
        bind.execute(
            names.insert().values(
                id=name_id,
                organization_id=org_ids[row["slug"]],
                lang=row["lang"],
                type="alias",
                value=row["value"],
                is_preferred=False,
                verification=row["verification"],
                note="A short form in common use.",
                search_text=folded,
                search_compact=folded.replace(" ", ""),
                grams=_grams(folded),
            )
        )
        bind.execute(
            name_sources.insert().values(
                name_id=name_id, source_id=cited.of(row["url"], row["publisher"], "other")
            )
        )


def downgrade() -> None:
    """The sources added stay: other rows may cite them by now."""
    bind = op.get_bind()
    aliases = [
        _key("nam", f"{row['slug']}:{row['lang']}:alias:{row['value']}")
        for row in _read("zh_aliases_2026_12_01.csv")
    ]
    bind.execute(sa.text("DELETE FROM organization_names WHERE id = ANY(:ids)"), {"ids": aliases})
    bind.execute(sa.text("DELETE FROM organization_identifiers WHERE scheme = 'wikidata'"))
    op.drop_constraint(
        op.f("fk_organization_identifiers_source_id_sources"),
        "organization_identifiers",
        type_="foreignkey",
    )
    op.drop_constraint(
        op.f("ck_organization_identifiers_verification"), "organization_identifiers", type_="check"
    )
    for column in ("note", "source_id", "verification"):
        op.drop_column("organization_identifiers", column)
