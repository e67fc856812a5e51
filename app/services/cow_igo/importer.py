"""`orgreg import cow-igo PATH`: the COW IGO dataset into organizations, memberships, events and
status periods, in one transaction (all or nothing): read one IGO at a time, written in bulk
for several thousand pairs at once (`_Run.flush`).

Organizations are matched (app.services.cow_igo.matching) or created through the same service
as `POST /v1/organizations`. For each country x organization pair:
- with curated events (the seed's histories, anything a curator entered), the curated events
  win where they say something and COW fills what they leave unknown; every stretch where both
  say something and disagree becomes a row of `import_conflicts` (GET /v1/conflicts);
- COW's events and its layer of periods (`dataset_periods`) replace the pair's earlier COW
  ones when they differ, the registry's periods are derived again (app.services.periods), and
  one revision is recorded per pair changed. A pair COW never shows tied gets no record.
A re-run of the same file therefore writes nothing and records no revision.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import all_or_nothing
from app.ids import new_id
from app.models.tables import (
    countries,
    dataset_periods,
    import_conflicts,
    membership_event_sources,
    membership_events,
    memberships,
    organization_claim_sources,
    organization_claims,
    organization_identifiers,
    organization_names,
    organizations,
)
from app.schemas.writes import CategoryAssignment, IdentifierIn, NameIn, OrganizationCreate
from app.services import revisions
from app.services.cow_igo.dataset import DATASET, SOURCE_ID, Igo, read_igos
from app.services.cow_igo.matching import Candidate, How, Matcher, curated_matches
from app.services.cow_igo.series import PairHistory, igo_history
from app.services.cow_igo.states import StateMapper
from app.services.periods import (
    curated_layers,
    founding_floor,
    load_dataset_layers,
    period_row,
    replace_periods,
)
from app.services.sql import insert_rows
from app.services.status_periods import DerivedPeriod, derive_periods, disagreements, overlay
from app.services.writes.common import Actor
from app.services.writes.memberships import periods_json
from app.services.writes.organizations import create_organizations
from app.vocabulary import (
    DatePrecision,
    Followed,
    MembershipBasis,
    MembershipStatus,
    OrganizationKind,
    System,
    Verification,
)

SCHEME = "cow_igo"
S = MembershipStatus
CATEGORY_OF_FLAG = {
    "political": "peace-security-law",
    "economic": "economy-development",
    "social": "society-culture",
}
COW_CODE = {S.member: 1, S.associate: 2, S.observer: 3, S.non_member: 0}


@dataclass(frozen=True)
class ConflictLine:
    country: str
    organization: str
    start: dt.date | None
    end: dt.date | None
    dataset_says: str
    registry_says: str


@dataclass
class CowReport:
    dry_run: bool = False
    igos: int = 0
    organizations_created: int = 0
    matched: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(ionum, ioname, slug, how) for IGOs matched to an existing organization."""
    ambiguous: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    memberships_created: int = 0
    memberships_updated: int = 0
    memberships_unchanged: int = 0
    curated_pairs: int = 0
    events_written: int = 0
    conflicts: list[ConflictLine] = field(default_factory=list)
    unmapped: dict[str, int] = field(default_factory=dict)
    """COW state -> IGO-years with a tie that no ISO country carries (skipped)."""

    def render(self) -> str:
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"{self.igos} IGOs: {self.organizations_created} organizations {verb} created, "
            f"{len(self.matched)} matched, {len(self.ambiguous)} skipped as ambiguous.",
            f"Memberships: {self.memberships_created} created, {self.memberships_updated} "
            f"updated, {self.memberships_unchanged} unchanged ({self.curated_pairs} with "
            f"curated events, which win where they say something); {self.events_written} "
            "events written.",
            f"Conflicts with curated data (the registry follows the curated events): "
            f"{len(self.conflicts)}.",
        ]
        if self.matched:
            lines.append("Matched:")
            lines += [f"  {n} {name} -> {slug} ({how})" for n, name, slug, how in self.matched]
        if self.ambiguous:
            lines.append("Ambiguous, not imported (add a row to seed/cow_igo_matches.csv):")
            lines += [f"  {n} {name}: {', '.join(c)}" for n, name, c in self.ambiguous]
        if self.conflicts:
            lines.append("Conflicts:")
            lines += [
                f"  {c.country} in {c.organization}, {c.start or '...'} to {c.end or '...'}: "
                f"COW says "
                f"{c.dataset_says}, the registry says {c.registry_says}"
                for c in self.conflicts
            ]
        if self.unmapped:
            lines.append("States without an ISO 3166 code (their IGO-years with a tie skipped):")
            lines += [f"  {state}: {years}" for state, years in sorted(self.unmapped.items())]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


@dataclass
class _Existing:
    id: str
    revision: int
    curated: bool = False
    imported: list[tuple[Any, ...]] = field(default_factory=list)
    imported_ids: list[str] = field(default_factory=list)
    has_layer: bool = False


async def import_cow_igo(
    url: str,
    path: Path,
    *,
    dry_run: bool,
    actor: str,
    reason: str | None,
    on_igo: Callable[[Igo], None] | None = None,
) -> CowReport:
    report = CowReport(dry_run=dry_run)
    who = Actor(actor, reason or f"Import of {path.name} ({DATASET})")
    async with all_or_nothing(url, keep=lambda: not dry_run) as session:
        run = _Run(session, who, report)
        await run.load_context()
        for igo in read_igos(path):
            await run.import_igo(igo)
            if len(run.pending.periods) >= FLUSH_PAIRS:
                await run.flush()
            if on_igo:
                on_igo(igo)
        await run.flush()
        await session.execute(_ANALYZE_ALL)
    return report


FLUSH_PAIRS = 5000
"""Pairs whose writes are gathered before they are made together."""
_ANALYZE_READ = text("ANALYZE memberships, membership_events, dataset_periods")
"""The import is one transaction in which the tables it reads back (an organization's pairs,
their events and layers) grow from the seed's few hundred rows to tens of thousands:
statistics taken after each flush keep the planner from treating them as nearly empty (without
them one join per IGO ran past the statement timeout)."""
_ANALYZE_ALL = text(
    "ANALYZE memberships, membership_events, membership_event_sources, status_periods, "
    "dataset_periods, organizations, organization_names, revisions"
)
"""Once at the end, for the queries the service runs next."""


@dataclass
class _Pending:
    """Writes gathered over several IGOs, made together by `_Run.flush`."""

    organizations: set[str] = field(default_factory=set)
    """Organizations whose pairs are pending."""
    created: dict[str, OrganizationCreate] = field(default_factory=dict)
    claims: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    layers: list[dict[str, Any]] = field(default_factory=list)
    periods: dict[str, list[DerivedPeriod]] = field(default_factory=dict)
    replaced_events: list[str] = field(default_factory=list)
    touched: list[str] = field(default_factory=list)
    changes: list[revisions.ChangeRecord] = field(default_factory=list)


class _Run:
    def __init__(self, session: AsyncSession, actor: Actor, report: CowReport) -> None:
        self.session = session
        self.actor = actor
        self.report = report
        self.pending = _Pending()

    async def load_context(self) -> None:
        rows = (await self.session.execute(select(countries.c.code, countries.c.valid_to))).all()
        self.country_end = {code: end for code, end in rows if end is not None}
        self.mapper = StateMapper({code for code, _ in rows})
        names = (
            await self.session.execute(
                select(
                    organizations.c.id,
                    organizations.c.slug,
                    organization_names.c.type,
                    organization_names.c.search_text,
                )
                .join(
                    organization_names, organization_names.c.organization_id == organizations.c.id
                )
                .where(
                    organizations.c.deleted_at.is_(None), organizations.c.merged_into_id.is_(None)
                )
            )
        ).all()
        by_org: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
        for org_id, slug, kind, folded in names:
            acronyms, full = by_org.setdefault((org_id, slug), (set(), set()))
            (acronyms if kind == "acronym" else full).add(folded)
        identifiers = dict(
            (
                await self.session.execute(
                    select(
                        organization_identifiers.c.value, organization_identifiers.c.organization_id
                    ).where(organization_identifiers.c.scheme == SCHEME)
                )
            ).all()
        )
        self.matcher = Matcher(
            [Candidate(i, s, frozenset(a), frozenset(n)) for (i, s), (a, n) in by_org.items()],
            identifiers,
            curated_matches(),
        )
        self.slugs = set((await self.session.execute(select(organizations.c.slug))).scalars())
        self.founding: dict[str, dt.date | None] = {}
        """Founding floors of the organizations this run creates."""

    async def import_igo(self, igo: Igo) -> None:
        self.report.igos += 1
        match = self.matcher.match(igo)
        if match.how == How.ambiguous:
            self.report.ambiguous.append((igo.ionum, igo.ioname, match.candidates))
            return
        existing: dict[str, _Existing] = {}
        if match.organization_id is None:
            org_id = self._create_organization(igo)
        else:
            org_id = match.organization_id
            self.report.matched.append((igo.ionum, igo.ioname, match.slug or org_id, match.how))
            await self.session.execute(
                insert(organization_identifiers)
                .values(
                    scheme=SCHEME,
                    value=igo.ionum,
                    organization_id=org_id,
                    verification=Verification.confirmed.value,
                    source_id=SOURCE_ID,
                )
                .on_conflict_do_nothing()
            )
            if org_id in self.pending.organizations:
                await self.flush()  # a second IGO matched to the same organization sees the first
            existing = await self._existing(org_id)
        history = igo_history(igo, self.mapper.spans, self.country_end.get, untied=existing)
        for column, years in history.unmapped.items():
            label = self.mapper.describe(column)
            self.report.unmapped[label] = self.report.unmapped.get(label, 0) + len(years)
        await self._write_pairs(igo, org_id, history.pairs, existing)

    def _create_organization(self, igo: Igo) -> str:
        """The organization is created with the next flush, under the id returned now."""
        slug = _slug(igo.ioname, igo.ionum, self.slugs)
        self.slugs.add(slug)
        flags = [f for f in ("political", "economic", "social") if getattr(igo, f)]

        def name(kind: str, value: str, preferred: bool = False) -> NameIn:
            return NameIn.model_validate(
                {
                    "lang": "en",
                    "type": kind,
                    "value": value,
                    "preferred": preferred,
                    "verification": Verification.confirmed,
                    "sources": [SOURCE_ID],
                }
            )

        names = [name("official", igo.orgname, True), *(name("alias", a) for a in igo.aliases)]
        if igo.ioname and igo.ioname != igo.orgname:
            names.append(name("acronym", igo.ioname, True))
        body = OrganizationCreate(
            slug=slug,
            system=System.non_un,
            kind=OrganizationKind.intergovernmental_organization,
            founded=str(igo.founded_year) if igo.founded_year else None,
            dissolved=str(igo.dissolved_year) if igo.dissolved_year else None,
            identifiers=[
                IdentifierIn(
                    scheme=SCHEME,
                    value=igo.ionum,
                    verification=Verification.confirmed,
                    source=SOURCE_ID,
                )
            ],
            names=names,
            categories=[
                CategoryAssignment(slug=CATEGORY_OF_FLAG[f], primary=i == 0)
                for i, f in enumerate(flags)
            ],
        )
        org_id = new_id("org")
        self.pending.created[org_id] = body
        years = {"founded": igo.founded_year, "dissolved": igo.dissolved_year}
        self.pending.claims += [
            {"organization_id": org_id, "field": name} for name, year in years.items() if year
        ]
        self.founding[org_id] = (
            founding_floor(dt.date(igo.founded_year, 1, 1), DatePrecision.year.value)
            if igo.founded_year
            else None
        )
        self.report.organizations_created += 1
        return org_id

    async def _existing(self, org_id: str) -> dict[str, _Existing]:
        rows = await self.session.execute(
            select(
                memberships.c.id,
                memberships.c.country_code,
                memberships.c.revision,
                membership_events.c.id.label("event_id"),
                *_SIGNATURE_COLUMNS,
            )
            .outerjoin(membership_events, membership_events.c.membership_id == memberships.c.id)
            .where(memberships.c.organization_id == org_id)
        )
        existing: dict[str, _Existing] = {}
        for row in rows.mappings():
            pair = existing.setdefault(row["country_code"], _Existing(row["id"], row["revision"]))
            if row["event_id"] is None:
                continue
            qualifiers = row["qualifiers"] or {}
            if qualifiers.get("dataset") == DATASET:
                pair.imported.append(_signature_of_row(row))
                pair.imported_ids.append(row["event_id"])
            else:
                pair.curated = True
        layered = set(
            (
                await self.session.execute(
                    select(dataset_periods.c.membership_id)
                    .join(memberships, memberships.c.id == dataset_periods.c.membership_id)
                    .where(
                        memberships.c.organization_id == org_id,
                        dataset_periods.c.source_id == SOURCE_ID,
                    )
                    .distinct()
                )
            ).scalars()
        )
        for pair in existing.values():
            pair.has_layer = pair.id in layered
        return existing

    async def _write_pairs(
        self, igo: Igo, org_id: str, pairs: dict[str, PairHistory], existing: dict[str, _Existing]
    ) -> None:
        changes: list[revisions.ChangeRecord] = []
        event_rows: list[dict[str, Any]] = []
        layer_rows: list[dict[str, Any]] = []
        replaced: list[str] = []
        touched: list[str] = []
        layers: dict[str, list[DerivedPeriod]] = {}
        new_memberships: list[dict[str, Any]] = []
        for country, pair in sorted(pairs.items()):
            known = existing.get(country)
            if known is None and not pair.ties:
                continue
            if known is not None and known.curated:
                self.report.curated_pairs += 1
            wanted = [_signature(e) for e in pair.events]
            if (
                known is not None
                and known.has_layer
                and sorted(known.imported, key=repr) == sorted(wanted, key=repr)
            ):
                self.report.memberships_unchanged += 1
                continue
            if known is None:
                membership_id = new_id("mem")
                new_memberships.append(
                    {
                        "id": membership_id,
                        "country_code": country,
                        "organization_id": org_id,
                        "basis": "member_state",
                        "basis_verification": Verification.partial.value,
                        "note": "From the COW IGO dataset (yearly codes).",
                    }
                )
                self.report.memberships_created += 1
            else:
                membership_id = known.id
                replaced += known.imported_ids
                touched.append(membership_id)
                self.report.memberships_updated += 1
            event_ids = [new_id("evt") for _ in pair.events]
            event_rows += [
                {
                    "id": event_id,
                    "membership_id": membership_id,
                    "type": event.type.value,
                    "date": event.date,
                    "date_precision": event.precision.value,
                    "date_earliest": event.earliest,
                    "date_latest": event.latest,
                    "verification": _verification(event.qualifiers),
                    "note": event.note,
                    "qualifiers": event.qualifiers,
                }
                for event_id, event in zip(event_ids, pair.events, strict=True)
            ]
            layer = [
                p._replace(evidence_event_id=event_ids[int(p.evidence_event_id)])
                if p.evidence_event_id
                else p
                for p in pair.periods
            ]
            layers[membership_id] = layer
            layer_rows += [period_row(membership_id, p) for p in layer]
            changes.append(
                revisions.ChangeRecord(
                    "membership",
                    membership_id,
                    "imported" if known else "created",
                    known.revision + 1 if known else 1,
                    {
                        "events": {
                            "old": [_brief(s) for s in known.imported] if known else None,
                            "new": [_brief(s) for s in wanted],
                        },
                        "periods": {"new": periods_json(layer)},
                    },
                    [
                        "membership.updated" if known else "membership.created",
                        "membership.status_changed",
                    ],
                    country=country,
                    organization_id=org_id,
                    extra={"dataset": DATASET},
                )
            )
        curated = {c: e.id for c, e in existing.items() if e.curated and c in pairs}
        rewritten = sorted(set(layers) & {e.id for e in existing.values()})
        own = await curated_layers(self.session, sorted(set(rewritten) | set(curated.values())))
        if new_memberships:
            # A pair COW alone brings in has no curated events: its own layer is bare.
            founded = await self._founding(org_id)
            bare = derive_periods([], founded=founded, basis=MembershipBasis.member_state)
            own.update({row["id"]: bare for row in new_memberships})
        pending = self.pending
        pending.organizations.add(org_id)
        pending.memberships += new_memberships
        pending.events += event_rows
        pending.layers += layer_rows
        pending.replaced_events += replaced
        pending.touched += touched
        pending.changes += changes
        pending.periods.update({m: overlay(own[m], layer) for m, layer in layers.items()})
        await self._record_conflicts(igo, org_id, curated, layers, own)

    async def _founding(self, org_id: str) -> dt.date | None:
        if org_id in self.founding:
            return self.founding[org_id]
        row = (
            await self.session.execute(
                select(organizations.c.founded_on, organizations.c.founded_precision).where(
                    organizations.c.id == org_id
                )
            )
        ).one()
        return founding_floor(row.founded_on, row.founded_precision)

    async def flush(self) -> None:
        """Make the writes gathered over the last IGOs: a few bulk statements for all of them."""
        pending, self.pending = self.pending, _Pending()
        if not pending.created and not pending.periods:
            return
        await create_organizations(self.session, pending.created, self.actor)
        await insert_rows(
            self.session,
            organization_claims,
            [
                row
                | {
                    "verification": Verification.partial.value,
                    "note": "Year only, from the COW IGO dataset (sdate / deaddate).",
                }
                for row in pending.claims
            ],
        )
        await insert_rows(
            self.session,
            organization_claim_sources,
            [row | {"source_id": SOURCE_ID} for row in pending.claims],
        )
        if pending.replaced_events:
            await self.session.execute(
                delete(membership_events).where(membership_events.c.id.in_(pending.replaced_events))
            )
        if pending.touched:
            await self.session.execute(
                delete(dataset_periods).where(
                    dataset_periods.c.membership_id.in_(pending.touched),
                    dataset_periods.c.source_id == SOURCE_ID,
                )
            )
        await insert_rows(self.session, memberships, pending.memberships)
        await insert_rows(self.session, membership_events, pending.events)
        await insert_rows(
            self.session,
            membership_event_sources,
            [{"event_id": row["id"], "source_id": SOURCE_ID} for row in pending.events],
        )
        await insert_rows(
            self.session,
            dataset_periods,
            [row | {"source_id": SOURCE_ID} for row in pending.layers],
        )
        await replace_periods(self.session, pending.periods)
        if pending.touched:
            await self.session.execute(
                update(memberships)
                .where(memberships.c.id.in_(pending.touched))
                .values(revision=memberships.c.revision + 1, updated_at=func.now())
            )
        self.report.events_written += len(pending.events)
        if pending.changes:
            await revisions.record_many(
                self.session, pending.changes, actor=self.actor.name, reason=self.actor.reason
            )
        await self.session.execute(_ANALYZE_READ)

    async def _record_conflicts(
        self,
        igo: Igo,
        org_id: str,
        curated: dict[str, str],
        layers: dict[str, list[DerivedPeriod]],
        own: dict[str, list[DerivedPeriod]],
    ) -> None:
        """Keep `import_conflicts` equal to today's disagreements for this IGO's curated pairs:
        the stretches where both the curated events and COW say something, and differ."""
        wanted: dict[tuple[str, dt.date | None, dt.date | None], tuple[str, str]] = {}
        if curated:
            ids = list(curated.values())
            missing = [m for m in ids if m not in layers]
            if missing:
                layers = {**layers, **(await load_dataset_layers(self.session, missing))}
            for country, membership_id in curated.items():
                for start, end, registry, cow in disagreements(
                    own[membership_id], layers.get(membership_id, [])
                ):
                    says = f"{cow.value} (code {COW_CODE[cow]})" if cow in COW_CODE else cow.value
                    wanted[(membership_id, start, end)] = (says, registry.value)
                    self.report.conflicts.append(
                        ConflictLine(country, igo.ioname, start, end, says, registry.value)
                    )
        stale = delete(import_conflicts).where(
            import_conflicts.c.source_id == SOURCE_ID,
            import_conflicts.c.membership_id.in_(
                select(memberships.c.id).where(memberships.c.organization_id == org_id)
            ),
        )
        if wanted:
            stale = stale.where(
                tuple_(
                    import_conflicts.c.membership_id,
                    func.lower(import_conflicts.c.during),
                    func.upper(import_conflicts.c.during),
                    import_conflicts.c.dataset_says,
                    import_conflicts.c.registry_says,
                ).not_in([(m, a, b, c, r) for (m, a, b), (c, r) in wanted.items()])
            )
        await self.session.execute(stale)
        if not wanted:
            return
        await self.session.execute(
            insert(import_conflicts)
            .values(
                [
                    {
                        "membership_id": m,
                        "source_id": SOURCE_ID,
                        "during": Range(a, b, bounds="[)"),
                        "dataset_says": c,
                        "registry_says": r,
                        "followed": Followed.registry.value,
                    }
                    for (m, a, b), (c, r) in wanted.items()
                ]
            )
            .on_conflict_do_nothing()
        )


_SIGNATURE_COLUMNS = (
    membership_events.c.type,
    membership_events.c.date,
    membership_events.c.date_precision,
    membership_events.c.date_earliest,
    membership_events.c.date_latest,
    membership_events.c.verification,
    membership_events.c.note,
    membership_events.c.qualifiers,
)


def _signature_of_row(row: Any) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in _SIGNATURE_COLUMNS)


def _signature(event: Any) -> tuple[Any, ...]:
    return (
        event.type.value,
        event.date,
        event.precision.value,
        event.earliest,
        event.latest,
        _verification(event.qualifiers),
        event.note,
        event.qualifiers,
    )


def _brief(signature: tuple[Any, ...]) -> dict[str, Any]:
    return {"type": signature[0], "date": signature[1].isoformat(), "precision": signature[2]}


def _verification(qualifiers: dict[str, Any]) -> str:
    """Yearly codes from yearbooks back an event partly; an imputed code backs it less."""
    return (Verification.unconfirmed if qualifiers.get("imputed") else Verification.partial).value


def _slug(ioname: str, ionum: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", ioname.lower()).strip("-") or f"igo-{ionum}"
    return base if base not in taken else f"{base}-cow-{ionum}"
