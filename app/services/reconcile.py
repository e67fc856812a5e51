"""Reconciliation (W3C Entity Reconciliation Service API 0.2): names as people write them in
spreadsheets, matched to organizations by the registry's own search (app.services.search).

Candidates are the organizations `best_matches` finds for the query's name, kept by the
query's types and properties, best tier first. Each gets a score from 0 to 100:

    tier (app.services.search)              score, s = trigram similarity of the matched name
    0  an acronym equals the query            90 + 10 s
    1  a name equals the query                90 + 10 s
    2  a name starts with the query           60 + 25 s
    3  full-text or Chinese n-gram match      40 + 40 s
    4  typo-tolerant trigram match            20 + 55 (s - 0.3) / 0.7    (s >= 0.3)

plus 20 when an `acronym` property equals one of its acronyms and 5 when a `country` property
names one of its members on `as_of` (default today); at most 100. An exact id as the query
scores 100. Bands do not overlap, so without boosts the order is the search's own.

`match` (what OpenRefine auto-matches) is true for the first candidate only, and only when
it is unambiguous: it matched exactly (tier 0 or 1, or by id), no other candidate matched
exactly, and it leads the second by at least 10 points. A typo, a prefix or a partial name
never auto-matches.

Properties: `country` (ISO 3166 code, or an English or Chinese country name; several values
mean any of them) keeps organizations the registry holds a membership record of it for, or,
with `as_of`, those where its status on that date is a recorded one (what `member=` lists keep:
anything but non_member and unknown); a country the registry does not know keeps nothing.
`system` (`un`, `non_un`) keeps that system. `acronym` only boosts; alone (no `query`) it is
also the name looked for. Types narrow the same way: `organization` is every one,
`system:<system>` and `kind:<kind>` narrower ones; `type_strict` `all` keeps those of every
type given, `any` and `should` (what OpenRefine sends) those of at least one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    all_,
    and_,
    any_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.errors import PayloadTooLarge
from app.models.tables import memberships, organization_names, organizations, status_periods
from app.schemas.reconcile import EntityValue, PropertyValue, ReconcileQuery
from app.services.organizations import DISPLAY_NAME, LIVE, SUMMARY_COLUMNS, preferred_name
from app.services.search import TYPO_THRESHOLD, SearchQuery, best_matches
from app.services.search_text import compact, fold
from app.services.sql import TEXT_ARRAY
from app.vocabulary import MembershipStatus, OrganizationKind, System

MAX_BATCH = 100
"""Most queries one batch may hold (the manifest's `batchSize`); more answer 413."""
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
MATCH_GAP = 10.0
"""How far an exact match must lead the second candidate to be auto-matched."""
ACRONYM_BOOST = 20.0
MEMBER_BOOST = 5.0
EXTRA_CANDIDATES = 10
"""Boosts reorder the best `limit + EXTRA_CANDIDATES` matches, not the whole registry."""
TIERS: Mapping[int, tuple[float, float]] = {
    0: (90, 10),
    1: (90, 10),
    2: (60, 25),
    3: (40, 40),
    4: (20, 55),
}
"""Per search tier: the lowest score and the span the similarity moves it across."""
TIED = [
    s.value
    for s in MembershipStatus
    if s not in (MembershipStatus.non_member, MembershipStatus.unknown)
]
"""Statuses that tie a country to an organization on a date (what `member=` lists keep)."""
ORGANIZATION_ID = re.compile(r"^org_[a-z2-7]{12}$")


@dataclass(frozen=True)
class EntityType:
    id: str
    name: str
    description: str
    broader: tuple[str, ...] = ()

    def ref(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}

    def document(self) -> dict[str, Any]:
        """As type.json spells it, with its broader types."""
        doc: dict[str, Any] = {"id": self.id, "name": self.name, "description": self.description}
        if self.broader:
            doc["broader"] = [TYPES[b].document() for b in self.broader]
        return doc


ORGANIZATION = EntityType(
    "organization",
    "International organization",
    "Any organization, treaty body, programme or forum the registry holds.",
)
SYSTEM_NAMES = {System.un: "UN system organization", System.non_un: "Organization outside the UN"}


def _kind_label(kind: OrganizationKind) -> str:
    return kind.value.replace("_", " ")


TYPES: dict[str, EntityType] = {
    t.id: t
    for t in (
        ORGANIZATION,
        *(
            EntityType(
                f"system:{s.value}",
                SYSTEM_NAMES[s],
                f"Organizations whose system is {s.value}.",
                ("organization",),
            )
            for s in System
        ),
        *(
            EntityType(
                f"kind:{k.value}",
                _kind_label(k).capitalize(),
                f"Organizations whose kind is {k.value}.",
                ("organization",),
            )
            for k in OrganizationKind
        ),
    )
}
"""Every type the service knows; `organization` is the default one."""


@dataclass(frozen=True)
class PropertyInfo:
    id: str
    name: str
    description: str


PROPERTIES: tuple[PropertyInfo, ...] = (
    PropertyInfo(
        "country",
        "Country",
        "A state tied to the organization: an ISO 3166 code (alpha-2, alpha-3) or its English "
        "or Chinese name. Keeps organizations it has a membership record in (on `as_of`, when "
        "given) and ranks those it is a member of first.",
    ),
    PropertyInfo("system", "System", "`un` (the UN system) or `non_un`: keeps that system."),
    PropertyInfo("acronym", "Acronym", "Ranks the organizations with exactly this acronym first."),
    PropertyInfo(
        "as_of",
        "As of",
        "A date (YYYY-MM-DD): `country` then keeps organizations it was tied to on that date.",
    ),
)


class QueryError(ValueError):
    """A query batch the service cannot use; `field` is the path inside the batch."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


_BATCH = TypeAdapter(dict[str, ReconcileQuery])


def parse_batch(raw: Any) -> dict[str, ReconcileQuery]:
    """A decoded query batch, checked against the specification's query schema."""
    if not isinstance(raw, dict):
        raise QueryError("", "A query batch is a JSON object of queries, by key.")
    if len(raw) > MAX_BATCH:
        raise PayloadTooLarge(f"A batch holds at most {MAX_BATCH} queries; this one {len(raw)}.")
    try:
        batch = _BATCH.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(part) for part in first["loc"])
        raise QueryError(path, f"{path}: {first['msg']}") from None
    for key, query in batch.items():
        if not (query.query or "").strip() and not query.properties:
            raise QueryError(key, f"{key}: give `query`, `properties`, or both.")
    return batch


@dataclass(frozen=True)
class Plan:
    """One query, interpreted: what the candidate statement takes."""

    search: SearchQuery | None
    exact_id: str | None
    limit: int
    type_systems: list[str]
    type_kinds: list[str]
    type_all: bool
    systems: list[str]
    acronyms: list[str]
    country_values: list[str]
    countries: list[str] = field(default_factory=list)
    tied_on: dt.date | None = None
    member_on: dt.date | None = None


def _values(values: PropertyValue | list[PropertyValue]) -> list[PropertyValue]:
    return values if isinstance(values, list) else [values]


def _texts(field_path: str, values: PropertyValue | list[PropertyValue]) -> list[str]:
    texts = []
    for value in _values(values):
        if isinstance(value, EntityValue):
            texts.append(value.id)
            if value.name:
                texts.append(value.name)
        elif isinstance(value, str):
            texts.append(value)
        else:
            raise QueryError(field_path, f"{field_path}: give text, not {json.dumps(value)}.")
    return [t.strip() for t in texts if t.strip()]


def _types(key: str, query: ReconcileQuery) -> tuple[list[str], list[str], bool]:
    given = [query.type] if isinstance(query.type, str) else list(query.type or [])
    unknown = [t for t in given if t not in TYPES]
    if unknown:
        raise QueryError(
            f"{key}.type",
            f"{key}.type: unknown type '{unknown[0]}'; the types are listed by "
            "/v1/reconcile/suggest/type.",
        )
    type_all = query.type_strict == "all"
    if not type_all and ORGANIZATION.id in given:
        return [], [], False
    systems = [t.removeprefix("system:") for t in given if t.startswith("system:")]
    kinds = [t.removeprefix("kind:") for t in given if t.startswith("kind:")]
    return systems, kinds, type_all


def plan(key: str, query: ReconcileQuery, today: dt.date) -> Plan:
    """What one query asks, checked: its properties' values, its types, its limit."""
    systems: list[str] = []
    acronyms: list[str] = []
    countries: list[str] = []
    as_of: dt.date | None = None
    for i, prop in enumerate(query.properties or []):
        where = f"{key}.properties.{i}.v"
        texts = _texts(where, prop.v)
        if prop.pid == "system":
            for value in texts:
                folded = fold(value).replace(" ", "_")  # non-UN, non_un, Non UN
                if folded not in {s.value for s in System}:
                    raise QueryError(where, f"{where}: `system` is `un` or `non_un`.")
                systems.append(folded)
        elif prop.pid == "acronym":
            acronyms += [compact(fold(value)) for value in texts if fold(value)]
        elif prop.pid == "country":
            countries += texts
            if not texts:  # a blank cell names no country: keep nothing rather than all
                countries.append("")
        elif prop.pid == "as_of":
            as_of = _date(where, texts)
    type_systems, type_kinds, type_all = _types(key, query)
    text_query = (query.query or "").strip()
    if not text_query and acronyms:
        text_query = acronyms[0]  # properties alone: the acronym is the name to look for
    exact_id = text_query if ORGANIZATION_ID.match(text_query) else None
    return Plan(
        search=SearchQuery.parse(text_query) if text_query and not exact_id else None,
        exact_id=exact_id,
        limit=min(query.limit or DEFAULT_LIMIT, MAX_LIMIT),
        type_systems=type_systems,
        type_kinds=type_kinds,
        type_all=type_all,
        systems=systems,
        acronyms=acronyms,
        country_values=countries,
        tied_on=as_of,
        member_on=as_of or today,
    )


def _date(where: str, texts: list[str]) -> dt.date:
    if len(texts) != 1 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", texts[0]):
        raise QueryError(where, f"{where}: `as_of` is one date written YYYY-MM-DD.")
    try:
        return dt.date.fromisoformat(texts[0])
    except ValueError:
        raise QueryError(where, f"{where}: '{texts[0]}' is not a date.") from None


_COUNTRIES = text(
    """
    SELECT DISTINCT ON (v) v, c.code
    FROM unnest(CAST(:values AS text[])) AS v
    JOIN countries c
      ON upper(v) IN (c.code, c.alpha3)
      OR lower(v) IN (lower(c.name_en), lower(coalesce(c.official_name_en, '')))
      OR v IN (c.name_zh_hans, c.name_zh_hant)
    ORDER BY v, upper(v) IN (c.code, c.alpha3) DESC, c.historical, c.code
    """
)


async def resolve_countries(
    session: AsyncSession | AsyncConnection, values: Iterable[str]
) -> dict[str, str]:
    """Registry country codes for codes or names, in one statement; unknown ones are left out."""
    wanted = sorted({v for v in values if v})
    if not wanted:
        return {}
    rows = await session.execute(_COUNTRIES, {"values": wanted})
    return {value: code for value, code in rows.all()}


def _in(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """True when the array parameter is empty (no constraint), else `column = ANY(it)`."""
    values = bindparam(name, type_=TEXT_ARRAY)
    return or_(func.cardinality(values) == 0, column == any_(values))


def _membership_on(countries: Any, status_in: Any, on: Any) -> ColumnElement[bool]:
    periods = (
        select(literal(1))
        .select_from(status_periods)
        .where(
            status_periods.c.membership_id == memberships.c.id,
            status_periods.c.during.contains(on),
            status_periods.c.status == any_(status_in),
        )
    )
    return exists().where(
        memberships.c.organization_id == organizations.c.id,
        memberships.c.country_code == any_(countries),
        periods.exists(),
    )


def _filters() -> list[ColumnElement[bool]]:
    countries = bindparam("countries", type_=TEXT_ARRAY)
    tied_on = bindparam("tied_on", type_=Date)
    type_systems = bindparam("type_systems", type_=TEXT_ARRAY)
    type_kinds = bindparam("type_kinds", type_=TEXT_ARRAY)
    every_type = and_(
        organizations.c.system == all_(type_systems),
        organizations.c.kind == all_(type_kinds),
    )
    some_type = or_(
        and_(func.cardinality(type_systems) == 0, func.cardinality(type_kinds) == 0),
        organizations.c.system == any_(type_systems),
        organizations.c.kind == any_(type_kinds),
    )
    any_record = exists().where(
        memberships.c.organization_id == organizations.c.id,
        memberships.c.country_code == any_(countries),
    )
    return [
        LIVE,
        case((bindparam("type_all", type_=Boolean), every_type), else_=some_type),
        _in(organizations.c.system, "systems"),
        or_(
            bindparam("country_filter", type_=Boolean).is_(False),
            case(
                (tied_on.is_(None), any_record),
                else_=_membership_on(countries, bindparam("tied", type_=TEXT_ARRAY), tied_on),
            ),
        ),
    ]


def _features() -> tuple[ColumnElement[Any], ...]:
    acronyms = bindparam("acronyms", type_=TEXT_ARRAY)
    has_acronym = exists().where(
        organization_names.c.organization_id == organizations.c.id,
        organization_names.c.type == "acronym",
        organization_names.c.search_compact == any_(acronyms),
    )
    member = _membership_on(
        bindparam("countries", type_=TEXT_ARRAY),
        literal([MembershipStatus.member.value], TEXT_ARRAY),
        bindparam("member_on", type_=Date),
    )
    return (
        organizations.c.id,
        DISPLAY_NAME.label("name"),
        preferred_name("en", "acronym").label("acronym"),
        organizations.c.system,
        organizations.c.kind,
        organizations.c.founded_on,
        has_acronym.label("acronym_match"),
        member.label("country_member"),
    )


@lru_cache(maxsize=2)
def _search_statement(cjk: bool) -> Select[Any]:
    matches = best_matches(cjk)
    return (
        select(
            *_features(),
            matches.c.tier,
            (-matches.c.neg_score / 1000.0).label("similarity"),
        )
        .join(matches, matches.c.organization_id == organizations.c.id)
        .where(*_filters())
        .order_by(matches.c.tier, matches.c.neg_score, organizations.c.slug)
        .limit(bindparam("limit", type_=Integer))
    )


@lru_cache(maxsize=1)
def _id_statement() -> Select[Any]:
    return select(*_features(), literal(0).label("tier"), literal(1.0).label("similarity")).where(
        organizations.c.id == bindparam("exact_id", type_=String), *_filters()
    )


def score(tier: int, similarity: float) -> float:
    """The search's tier and the matched name's trigram similarity as 0-100 (module doc)."""
    low, span = TIERS[tier]
    if tier == 4:
        similarity = (similarity - TYPO_THRESHOLD) / (1 - TYPO_THRESHOLD)
    return low + span * min(max(similarity, 0.0), 1.0)


def _description(row: Mapping[str, Any]) -> str:
    parts = [
        row["acronym"],
        "UN system" if row["system"] == System.un else "non-UN",
        _kind_label(OrganizationKind(row["kind"])),
        str(row["founded_on"].year) if row["founded_on"] else None,
    ]
    return " · ".join(p for p in parts if p)


def _types_of(system: str, kind: str) -> list[dict[str, str]]:
    return [ORGANIZATION.ref(), TYPES[f"system:{system}"].ref(), TYPES[f"kind:{kind}"].ref()]


def _candidate(row: Mapping[str, Any], p: Plan) -> dict[str, Any]:
    similarity = round(float(row["similarity"]), 3)
    value = score(row["tier"], similarity)
    features: list[dict[str, Any]] = [
        {"id": "name_tier", "value": row["tier"]},
        {"id": "name_similarity", "value": similarity},
    ]
    if p.exact_id:
        features.append({"id": "id_match", "value": True})
        value = 100.0
    if p.acronyms:
        features.append({"id": "acronym_match", "value": bool(row["acronym_match"])})
        value += ACRONYM_BOOST if row["acronym_match"] else 0
    if p.country_values:
        features.append({"id": "country_member", "value": bool(row["country_member"])})
        value += MEMBER_BOOST if row["country_member"] else 0
    return {
        "id": row["id"],
        "name": row["name"],
        "type": _types_of(row["system"], row["kind"]),
        "score": round(min(value, 100.0), 1),
        "match": False,
        "description": _description(row),
        "features": features,
        "_exact": p.exact_id is not None or row["tier"] <= 1,
    }


def rank(candidates: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Best score first (stable: the search's order breaks ties); `match` on an unambiguous
    first candidate (module doc); cut to `limit`."""
    ranked = sorted(candidates, key=lambda c: -c["score"])
    if ranked:
        first, rest = ranked[0], ranked[1:]
        runner_up = rest[0]["score"] if rest else 0.0
        first["match"] = (
            first["_exact"]
            and not any(c["_exact"] for c in rest)
            and first["score"] - runner_up >= MATCH_GAP
        )
    for candidate in ranked:
        del candidate["_exact"]
    return ranked[:limit]


def _parameters(p: Plan) -> dict[str, Any]:
    return {
        "limit": p.limit + EXTRA_CANDIDATES,
        "type_systems": p.type_systems,
        "type_kinds": p.type_kinds,
        "type_all": p.type_all,
        "systems": p.systems,
        "acronyms": p.acronyms,
        "countries": p.countries,
        "country_filter": bool(p.country_values),
        "tied_on": p.tied_on,
        "tied": TIED,
        "member_on": p.member_on,
        "exact_id": p.exact_id,
    }


async def candidates(session: AsyncSession | AsyncConnection, p: Plan) -> list[dict[str, Any]]:
    """The ranked candidates of one planned query: one statement."""
    if p.country_values and not p.countries:
        return []  # only countries the registry does not know: nothing is tied to them
    if p.exact_id is not None:
        statement, values = _id_statement(), _parameters(p)
    elif p.search is not None:
        statement, values = _search_statement(p.search.cjk), _parameters(p) | p.search.values()
    else:
        return []
    rows = (await session.execute(statement, values)).mappings().all()
    return rank([_candidate(row, p) for row in rows], p.limit)


async def reconcile(
    session: AsyncSession | AsyncConnection, batch: Mapping[str, ReconcileQuery], today: dt.date
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every query's candidates, by the query's key: one statement for the countries the
    batch names, then one per query."""
    plans = {key: plan(key, query, today) for key, query in batch.items()}
    codes = await resolve_countries(session, (v for p in plans.values() for v in p.country_values))
    results = {}
    for key, p in plans.items():
        known = sorted({codes[v] for v in p.country_values if v in codes})
        results[key] = {"result": await candidates(session, replace(p, countries=known))}
    return results


_PREVIEW = select(*SUMMARY_COLUMNS, organizations.c.website, organizations.c.dissolved_on).where(
    LIVE,
    or_(
        organizations.c.id == bindparam("key", type_=String),
        organizations.c.slug == bindparam("key", type_=String),
    ),
)


async def preview(session: AsyncSession | AsyncConnection, key: str) -> dict[str, Any] | None:
    """What a preview shows of the live organization `key` names (id or slug), or None."""
    row = (await session.execute(_PREVIEW, {"key": key})).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["description"] = _description(found)
    return found


def suggest_types(prefix: str) -> list[dict[str, Any]]:
    """Types whose id or name has a word starting with `prefix` (all of them for none)."""
    return [t.document() for t in TYPES.values() if _starts_a_word(prefix, t.id, t.name)]


def suggest_properties(prefix: str) -> list[dict[str, str]]:
    return [
        {"id": p.id, "name": p.name, "description": p.description}
        for p in PROPERTIES
        if _starts_a_word(prefix, p.id, p.name)
    ]


def _starts_a_word(prefix: str, *texts: str) -> bool:
    wanted = fold(prefix)
    return not wanted or any(
        f.startswith(wanted) or f" {wanted}" in f" {f}" for f in (fold(t) for t in texts)
    )


def suggest_entities(suggestions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Autocomplete suggestions (app.services.organizations.autocomplete) as the suggest
    protocol spells them: the description says which name matched."""
    found = []
    for s in suggestions:
        shown = [s.get("acronym"), s["matched_name"]]
        described = " · ".join(dict.fromkeys(p for p in shown if p and p != s["name"]))
        found.append(
            {
                "id": s["id"],
                "name": s["name"],
                "description": described,
                "notable": [ORGANIZATION.ref()],
            }
        )
    return found


def manifest(base_url: str, version: str, preview_size: tuple[int, int]) -> dict[str, Any]:
    """The service manifest, its URLs under `base_url` (no trailing slash)."""
    width, height = preview_size
    service = f"{base_url}/v1/reconcile"
    return {
        "versions": ["0.2"],
        "name": "orgreg: international organizations",
        "identifierSpace": f"{base_url}/v1/organizations/",
        "schemaSpace": f"{service}/suggest/type",
        "documentation": f"{base_url}/docs",
        "serviceVersion": version,
        "batchSize": MAX_BATCH,
        "defaultTypes": [
            TYPES[t].document() for t in ("organization", "system:un", "system:non_un")
        ],
        "view": {"url": f"{base_url}/organizations/{{{{id}}}}"},
        "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": width, "height": height},
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
    }
