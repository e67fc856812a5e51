"""Today's members of the main organizations, and more of other states' exits.

Applies five frozen files (their digests are checked), built from the reviewed research by
seed/tools/build_research_2026_12_01.py, every row quoting the page it rests on:
- organizations_2026_12_01_b.csv: the United Nations, the ILO, the FAO, the OECD, the African
  Union, the OIF, the OAS, OPEC, the IOM, the Commonwealth and the mine-ban convention, one
  sourced fact a row (English and Chinese names, acronym, founding). The COW importer matches
  them to their COW entries (seed/cow_igo_matches.csv); one that an earlier import created
  already (same COW number) is reused, not created twice.
- member_lists_2026_12_01.csv and member_list_entries_2026_12_01.csv: published member lists
  (a list is one source read as of a date, or of no stated date) and the states they name,
  each a `listed` event pointing to its list.
- membership_starts_2026_12_01.csv: when a state's tie began, where a page dates it (`joined`,
  `rejoined` where the state had left before, `entered_into_force`, `became_associate`,
  `became_observer`).
- exits_2026_12_01_b.csv: exits and returns since 2015 in the organizations added here.
A state's membership is created where the registry has none. Status periods are derived again
after the migrations have run.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""

import csv
import datetime as dt
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = Path(__file__).resolve().parents[2] / "seed"
INPUTS = {
    "organizations_2026_12_01_b.csv": (
        "581a03473141702b3510a5f33768e29cd71985021b60bd1ccd4116d60cf8bca2"
    ),
    "member_lists_2026_12_01.csv": (
        "9cbca5165276796ed3e8139039f289ba8c2da3220bfc7e2784f8ba0a0a139cfe"
    ),
    "member_list_entries_2026_12_01.csv": (
        "670a0ed6b58d033ba94af5d8a8b8e7638ac7083f233af77eda7487426f8e1fe2"
    ),
    "membership_starts_2026_12_01.csv": (
        "6b9663b64b463685d6bbefddb08b0e32f934bef7edfefa2ca02dede23432d10b"
    ),
    "exits_2026_12_01_b.csv": ("259fb1570674ec07e98a2d7201db7c4a32d7194dd10643db82bb9b2b849b5bab"),
}
COW_SCHEME = "cow_igo"

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
member_lists = sa.table(
    "member_lists",
    *(sa.column(c) for c in ("id", "organization_id", "source_id", "observed_precision", "note")),
    sa.column("observed_on", sa.Date),
)
memberships = sa.table(
    "memberships",
    *(sa.column(c) for c in ("id", "country_code", "organization_id", "basis")),
    sa.column("basis_verification"),
    sa.column("note"),
)
events = sa.table(
    "membership_events",
    *(
        sa.column(c)
        for c in ("id", "membership_id", "type", "date_precision", "verification", "member_list_id")
    ),
    sa.column("note"),
    sa.column("date", sa.Date),
)
event_sources = sa.table("membership_event_sources", sa.column("event_id"), sa.column("source_id"))
NAME_FIELDS = {
    "name_en": ("en", "official"),
    "acronym": ("en", "acronym"),
    "name_zh": ("zh-Hans", "official"),
}


def _read(filename: str) -> list[dict[str, str]]:
    data = (SEED / filename).read_bytes()
    if hashlib.sha256(data).hexdigest() != INPUTS[filename]:
        raise RuntimeError(f"seed/{filename} changed since migration 0020 was written")
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


def _key(prefix: str, text: str) -> str:
    return f"{prefix}_x{hashlib.sha256(text.encode()).hexdigest()[:11]}"


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


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


class _Sources:
    """Source ids by URL: the registry's own where it cites the page already, else a new one,
    written at once (the rows citing it follow)."""

    def __init__(self, bind: sa.Connection) -> None:
        self.bind = bind
        self.ids: dict[str, str] = dict(bind.execute(sa.select(sources.c.url, sources.c.id)).all())

    def of(self, url: str, publisher: str, kind: str, title: str = "") -> str:
        if url not in self.ids:
            self.ids[url] = _key("src", url)
            self.bind.execute(
                sources.insert().values(
                    id=self.ids[url],
                    url=url,
                    title=title or None,
                    publisher=publisher,
                    published_precision="unknown",
                    kind=kind,
                )
            )
        return self.ids[url]


def _organizations(
    bind: sa.Connection, cited: _Sources, rows: list[dict[str, str]]
) -> dict[str, str]:
    """Each organization's id by the slug the files use (an organization an earlier COW import
    created keeps that import's slug)."""
    ids: dict[str, str] = {}
    by_slug: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_slug[row["slug"]].append(row)
    category_of = dict(bind.execute(sa.text("SELECT slug, id FROM categories")).all())
    for slug, facts in by_slug.items():
        first = facts[0]
        org_id = bind.execute(
            sa.text(
                "SELECT organization_id FROM organization_identifiers "
                "WHERE scheme = :scheme AND value = :ionum"
            ),
            {"scheme": COW_SCHEME, "ionum": first["cow_ionum"]},
        ).scalar_one_or_none()
        created = org_id is None
        ids[slug] = org_id = org_id or _key("org", slug)
        founded = [f for f in facts if f["field"] == "founded"]
        if created:
            bind.execute(
                organizations.insert().values(
                    id=org_id,
                    slug=slug,
                    system=first["system"],
                    kind=first["kind"],
                    founded_on=dt.date.fromisoformat(_full(founded[0]["value"])),
                    founded_precision=founded[0]["precision"],
                )
            )
            bind.execute(
                categories.insert().values(
                    organization_id=org_id,
                    category_id=category_of[first["category"]],
                    is_primary=True,
                )
            )
            bind.execute(
                claims.insert().values(
                    organization_id=org_id,
                    field="founded",
                    verification=_strongest(f["verification"] for f in founded),
                )
            )
            for fact in founded:
                bind.execute(
                    claim_sources.insert().values(
                        organization_id=org_id,
                        field="founded",
                        source_id=cited.of(fact["url"], fact["publisher"], fact["source_kind"]),
                    )
                )
        held = {
            tuple(row)
            for row in bind.execute(
                sa.text(
                    "SELECT lang, type FROM organization_names "
                    "WHERE organization_id = :org AND is_preferred"
                ),
                {"org": org_id},
            )
        }
        for fact in facts:
            if fact["field"] not in NAME_FIELDS:
                continue
            lang, kind = NAME_FIELDS[fact["field"]]
            name_id = _key("nam", f"{slug}:{lang}:{kind}")
            if (lang, kind) not in held:
                folded = _fold(fact["value"])
                bind.execute(
                    names.insert().values(
                        id=name_id,
                        organization_id=org_id,
                        lang=lang,
                        type=kind,
                        value=fact["value"],
                        is_preferred=True,
                        verification=fact["verification"],
                        search_text=folded,
                        search_compact=folded.replace(" ", ""),
                        grams=_grams(folded),
                    )
                )
                held.add((lang, kind))
            elif not created:
                continue
            bind.execute(
                name_sources.insert().values(
                    name_id=name_id,
                    source_id=cited.of(fact["url"], fact["publisher"], fact["source_kind"]),
                )
            )
    return ids


def _full(value: str) -> str:
    """A research date (YYYY, YYYY-MM or YYYY-MM-DD) as the first day it names."""
    return {4: f"{value}-01-01", 7: f"{value}-01"}.get(len(value), value)


def _strongest(verifications: Any) -> str:
    found = set(verifications)
    return "confirmed" if "confirmed" in found else "partial"


class _Memberships:
    """Membership ids by (country, organization id), created where the registry has none."""

    def __init__(self, bind: sa.Connection) -> None:
        rows = bind.execute(
            sa.select(memberships.c.country_code, memberships.c.organization_id, memberships.c.id)
        ).all()
        self.ids: dict[tuple[str, str], str] = {(c, o): m for c, o, m in rows}
        self.new: list[dict[str, Any]] = []

    def of(self, country: str, org_id: str, basis: str, why: str) -> str:
        if (country, org_id) not in self.ids:
            membership_id = _key("mem", f"{country}:{org_id}:0020")
            self.ids[(country, org_id)] = membership_id
            self.new.append(
                {
                    "id": membership_id,
                    "country_code": country,
                    "organization_id": org_id,
                    "basis": basis,
                    "basis_verification": "partial",
                    "note": why,
                }
            )
        return self.ids[(country, org_id)]


def _quoted(row: dict[str, str], publisher: str) -> str:
    note = f'"{row["quote"]}" ({publisher})'
    return f"{note} {row['note']}" if row.get("note") else note


def upgrade() -> None:
    bind = op.get_bind()
    cited = _Sources(bind)
    added = _organizations(bind, cited, _read("organizations_2026_12_01_b.csv"))
    org_of = {**dict(bind.execute(sa.text("SELECT slug, id FROM organizations")).all()), **added}
    owned = _Memberships(bind)
    new_events: list[dict[str, Any]] = []
    new_event_sources: list[dict[str, str]] = []

    def add_event(event: dict[str, Any], source_id: str) -> None:
        new_events.append(event)
        new_event_sources.append({"event_id": event["id"], "source_id": source_id})

    lists = {row["id"]: row for row in _read("member_lists_2026_12_01.csv")}
    list_rows = []
    for list_key, row in lists.items():
        row["source_id"] = cited.of(row["url"], row["publisher"], row["kind"], row["title"])
        row["db_id"] = _key("mls", list_key)
        list_rows.append(
            {
                "id": row["db_id"],
                "organization_id": org_of[row["organization"]],
                "source_id": row["source_id"],
                "observed_on": _day(row["observed_on"]),
                "observed_precision": row["observed_precision"],
                "note": row["note"] or None,
            }
        )
    for entry in _read("member_list_entries_2026_12_01.csv"):
        listing = lists[entry["list"]]
        org_id = org_of[listing["organization"]]
        membership = owned.of(
            entry["country"], org_id, entry["basis"], "Named in a published member list."
        )
        add_event(
            {
                "id": _key("evt", f"{entry['list']}:{entry['country']}:listed"),
                "membership_id": membership,
                "type": "listed",
                "date": _day(listing["observed_on"]),
                "date_precision": listing["observed_precision"],
                "verification": listing["verification"],
                "member_list_id": listing["db_id"],
                "note": _quoted({"quote": entry["quote"]}, listing["publisher"]),
            },
            listing["source_id"],
        )
    starts = _read("membership_starts_2026_12_01.csv")
    exits = _read("exits_2026_12_01_b.csv")
    for row in (*starts, *exits):
        org_id = org_of[row["organization"]]
        basis = "observer_state" if row["type"] == "became_observer" else "member_state"
        membership = owned.of(
            row["country"], org_id, basis, "Recorded for a dated start, exit or return."
        )
        add_event(
            {
                "id": _key(
                    "evt", f"{row['country']}:{row['organization']}:{row['type']}:{row['date']}"
                ),
                "membership_id": membership,
                "type": row["type"],
                "date": _day(row["date"]),
                "date_precision": row["date_precision"],
                "verification": row["verification"],
                "member_list_id": None,
                "note": _quoted(row, row["publisher"]),
            },
            cited.of(row["url"], row["publisher"], row["kind"]),
        )
    op.bulk_insert(member_lists, list_rows)
    if owned.new:
        op.bulk_insert(memberships, owned.new)
    op.bulk_insert(events, new_events)
    op.bulk_insert(event_sources, new_event_sources)


def downgrade() -> None:
    lists = _read("member_lists_2026_12_01.csv")
    op.execute(
        member_lists.delete().where(
            member_lists.c.id.in_([_key("mls", row["id"]) for row in lists])
        )
    )  # their `listed` events go with them (ON DELETE CASCADE)
    dated = [*_read("membership_starts_2026_12_01.csv"), *_read("exits_2026_12_01_b.csv")]
    op.execute(
        events.delete().where(
            events.c.id.in_(
                [
                    _key("evt", f"{r['country']}:{r['organization']}:{r['type']}:{r['date']}")
                    for r in dated
                ]
            )
        )
    )
    op.execute(
        "DELETE FROM memberships m WHERE m.note IN ('Named in a published member list.', "
        "'Recorded for a dated start, exit or return.') AND NOT EXISTS "
        "(SELECT 1 FROM membership_events e WHERE e.membership_id = m.id)"
    )
    slugs = sorted({r["slug"] for r in _read("organizations_2026_12_01_b.csv")})
    op.execute(
        organizations.delete().where(organizations.c.id.in_([_key("org", slug) for slug in slugs]))
    )
    op.execute(
        "DELETE FROM sources s WHERE s.id LIKE 'src_x%' AND NOT EXISTS "
        "(SELECT 1 FROM membership_event_sources e WHERE e.source_id = s.id) AND NOT EXISTS "
        "(SELECT 1 FROM organization_name_sources n WHERE n.source_id = s.id) AND NOT EXISTS "
        "(SELECT 1 FROM organization_claim_sources c WHERE c.source_id = s.id) AND NOT EXISTS "
        "(SELECT 1 FROM member_lists l WHERE l.source_id = s.id)"
    )
