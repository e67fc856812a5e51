"""Other states' exits and returns since 2015, and the organizations they concern.

Applies two frozen files (their digests are checked), every row quoting the page it rests on:
- seed/organizations_2026_12_01.csv: the International Criminal Court, ECOWAS and the European
  Union, with their English and Chinese names and founding dates (the Chinese names come from
  secondary pages: `partial`); the Council of Europe is the seed's own. The COW importer
  matches them to their COW entries (seed/cow_igo_matches.csv), so each exists once.
- seed/exits_2026_12_01.csv: announcements, notices, effective dates, retractions and
  suspensions of states other than the United States (whose histories the seed holds), in the
  ICC, the Council of Europe, ECOWAS, the EU, the WHO, UNESCO and the Human Rights Council.
  A state's membership is created where the registry has none. News sources back an event
  partly (`partial`); the organizations' and governments' own pages confirm it.
Status periods are derived again after the migrations have run.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

import csv
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = Path(__file__).resolve().parents[2] / "seed"
INPUTS = {
    "organizations_2026_12_01.csv": (
        "f29346bdaa2986750e00ee1530914c353916fdd372021ccd68c2c4f666ca3fe5"
    ),
    "exits_2026_12_01.csv": "aca1e98af3994bf50c08faf6f9e8d57ae3327abe69eac4f5d7187b97b0392f5c",
}
CONFIRMING_KINDS = ("organization_statement", "official_text")

sources = sa.table(
    "sources",
    *(sa.column(c) for c in ("id", "url", "title", "publisher", "published_precision", "kind")),
)
organizations = sa.table(
    "organizations",
    *(sa.column(c) for c in ("id", "slug", "system", "kind", "founded_precision")),
    sa.column("founded_on", sa.Date),
)
names = sa.table(
    "organization_names",
    sa.column("grams", sa.ARRAY(sa.String())),
    *(
        sa.column(c)
        for c in (
            "id",
            "organization_id",
            "lang",
            "type",
            "value",
            "verification",
            "search_text",
            "search_compact",
        )
    ),
    sa.column("is_preferred", sa.Boolean),
)
name_sources = sa.table("organization_name_sources", sa.column("name_id"), sa.column("source_id"))
categories = sa.table(
    "organization_categories",
    sa.column("organization_id"),
    sa.column("category_id"),
    sa.column("is_primary", sa.Boolean),
)
claims = sa.table(
    "organization_claims", *(sa.column(c) for c in ("organization_id", "field", "verification"))
)
claim_sources = sa.table(
    "organization_claim_sources", *(sa.column(c) for c in ("organization_id", "field", "source_id"))
)
memberships = sa.table(
    "memberships",
    *(sa.column(c) for c in ("id", "country_code", "organization_id", "basis")),
    sa.column("basis_verification"),
    sa.column("note"),
)
events = sa.table(
    "membership_events",
    *(sa.column(c) for c in ("id", "membership_id", "type", "date_precision", "verification")),
    sa.column("note"),
    sa.column("date", sa.Date),
)
event_sources = sa.table("membership_event_sources", sa.column("event_id"), sa.column("source_id"))


def _read(filename: str) -> list[dict[str, str]]:
    data = (SEED / filename).read_bytes()
    if hashlib.sha256(data).hexdigest() != INPUTS[filename]:
        raise RuntimeError(f"seed/{filename} changed since migration 0018 was written")
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


def _key(prefix: str, text: str) -> str:
    return f"{prefix}_x{hashlib.sha256(text.encode()).hexdigest()[:11]}"


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")


def _fold(text: str) -> str:
    """Search folding of app.services.search_text as it was, for the names here (their Chinese
    is simplified already, so no traditional-to-simplified step is needed)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
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


def _sources(bind: sa.Connection, rows: list[dict[str, str]]) -> dict[str, str]:
    known = dict(bind.execute(sa.select(sources.c.url, sources.c.id)).all())
    new = {}
    for row in rows:
        if row["url"] not in known and row["url"] not in new:
            new[row["url"]] = {
                "id": _key("src", row["url"]),
                "url": row["url"],
                "title": None,
                "publisher": row["publisher"],
                "published_precision": "unknown",
                "kind": row["kind"],
            }
    if new:
        op.bulk_insert(sources, list(new.values()))
    return {**known, **{url: row["id"] for url, row in new.items()}}


def upgrade() -> None:
    bind = op.get_bind()
    orgs = _read("organizations_2026_12_01.csv")
    exits = _read("exits_2026_12_01.csv")
    chinese = [
        {"url": o["zh_url"], "publisher": o["zh_publisher"], "kind": o["zh_kind"]} for o in orgs
    ]
    source_of = _sources(bind, [*orgs, *chinese, *exits])
    category_of = dict(bind.execute(sa.text("SELECT slug, id FROM categories")).all())
    for org in orgs:
        org_id = _key("org", org["slug"])
        cited = source_of[org["url"]]
        op.bulk_insert(
            organizations,
            [
                {
                    "id": org_id,
                    "slug": org["slug"],
                    "system": "non_un",
                    "kind": "intergovernmental_organization",
                    "founded_on": dt.date.fromisoformat(org["founded_on"]),
                    "founded_precision": org["founded_precision"],
                }
            ],
        )
        given = (
            ("en", "official", org["name_en"], cited, "confirmed"),
            ("en", "acronym", org["acronym"], cited, "confirmed"),
            ("zh-Hans", "official", org["name_zh"], source_of[org["zh_url"]], "partial"),
        )
        for lang, kind, value, source, verification in given:
            name_id = _key("nam", f"{org['slug']}:{lang}:{kind}")
            folded = _fold(value)
            op.bulk_insert(
                names,
                [
                    {
                        "id": name_id,
                        "organization_id": org_id,
                        "lang": lang,
                        "type": kind,
                        "value": value,
                        "is_preferred": True,
                        "verification": verification,
                        "search_text": folded,
                        "search_compact": folded.replace(" ", ""),
                        "grams": _grams(folded),
                    }
                ],
            )
            op.bulk_insert(name_sources, [{"name_id": name_id, "source_id": source}])
        op.bulk_insert(
            categories,
            [
                {
                    "organization_id": org_id,
                    "category_id": category_of[org["category"]],
                    "is_primary": True,
                }
            ],
        )
        op.bulk_insert(
            claims, [{"organization_id": org_id, "field": "founded", "verification": "confirmed"}]
        )
        op.bulk_insert(
            claim_sources, [{"organization_id": org_id, "field": "founded", "source_id": cited}]
        )

    org_of = dict(bind.execute(sa.text("SELECT slug, id FROM organizations")).all())
    for row in exits:
        org_id = org_of[row["organization"]]
        membership = bind.execute(
            sa.text(
                "SELECT id FROM memberships WHERE country_code = :country "
                "AND organization_id = :org"
            ),
            {"country": row["country"], "org": org_id},
        ).scalar_one_or_none()
        if membership is None:
            membership = _key("mem", f"{row['country']}:{row['organization']}")
            op.bulk_insert(
                memberships,
                [
                    {
                        "id": membership,
                        "country_code": row["country"],
                        "organization_id": org_id,
                        "basis": "member_state",
                        "basis_verification": "partial",
                        "note": "Recorded for its exit or return since 2015 (migration 0018).",
                    }
                ],
            )
        event_id = _key(
            "evt", f"{row['country']}:{row['organization']}:{row['type']}:{row['date']}"
        )
        confirmed = row["kind"] in CONFIRMING_KINDS
        note = f'"{row["quote"]}" ({row["publisher"]})'
        if row["note"]:
            note += f" {row['note']}"
        op.bulk_insert(
            events,
            [
                {
                    "id": event_id,
                    "membership_id": membership,
                    "type": row["type"],
                    "date": dt.date.fromisoformat(row["date"]),
                    "date_precision": row["date_precision"],
                    "verification": "confirmed" if confirmed else "partial",
                    "note": note,
                }
            ],
        )
        op.bulk_insert(event_sources, [{"event_id": event_id, "source_id": source_of[row["url"]]}])


def downgrade() -> None:
    orgs = _read("organizations_2026_12_01.csv")
    exits = _read("exits_2026_12_01.csv")
    event_ids = [
        _key("evt", f"{r['country']}:{r['organization']}:{r['type']}:{r['date']}") for r in exits
    ]
    op.execute(events.delete().where(events.c.id.in_(event_ids)))
    created = [_key("mem", f"{r['country']}:{r['organization']}") for r in exits]
    op.execute(memberships.delete().where(memberships.c.id.in_(created)))
    op.execute(
        organizations.delete().where(organizations.c.id.in_([_key("org", o["slug"]) for o in orgs]))
    )
    added = [_key("src", u) for u in [*(o["url"] for o in orgs), *(o["zh_url"] for o in orgs)]]
    added += [_key("src", r["url"]) for r in exits]
    op.execute(
        sa.text(
            "DELETE FROM sources s WHERE s.id = ANY(:ids) AND NOT EXISTS "
            "(SELECT 1 FROM membership_event_sources e WHERE e.source_id = s.id) AND NOT EXISTS "
            "(SELECT 1 FROM organization_name_sources n WHERE n.source_id = s.id)"
        ).bindparams(sa.bindparam("ids", added, type_=sa.ARRAY(sa.String())))
    )
