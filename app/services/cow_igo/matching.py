"""Which registry organization a COW IGO is, if any. Pure.

In order: the COW number already recorded on an organization (identifier `cow_igo`); the
project's curated table `seed/cow_igo_matches.csv` (an organization's slug, or empty for "a
different organization than any the names suggest"); then names, folded as search folds them:
one organization whose acronym and a name both agree, or whose name agrees and no other's
acronym does, is a match. Anything else that some name or acronym suggests is ambiguous: it is
reported with its candidates and not imported until the table says which it is. Nothing is
merged on an acronym alone, since acronyms collide (IPC, ICC, ...).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.services.cow_igo.dataset import Igo
from app.services.search_text import fold

SEED = Path(__file__).resolve().parents[3] / "seed"


class How(StrEnum):
    identifier = "identifier"
    curated = "curated match"
    acronym_and_name = "acronym and name"
    name = "name"
    new = "new"
    ambiguous = "ambiguous"


@dataclass(frozen=True)
class Candidate:
    id: str
    slug: str
    acronyms: frozenset[str]
    names: frozenset[str]
    """Folded (app.services.search_text.fold)."""


@dataclass(frozen=True)
class Match:
    how: How
    organization_id: str | None = None
    slug: str | None = None
    candidates: tuple[str, ...] = ()
    """Slugs an ambiguous IGO could be."""


def curated_matches(path: Path = SEED / "cow_igo_matches.csv") -> dict[str, str | None]:
    """ionum -> slug, or None for "a new organization"."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["ionum"]: row["organization"] or None for row in csv.DictReader(handle)}


class Matcher:
    def __init__(
        self,
        candidates: list[Candidate],
        identifiers: dict[str, str],
        curated: dict[str, str | None],
    ) -> None:
        self._by_id = {c.id: c for c in candidates}
        self._by_slug = {c.slug: c for c in candidates}
        self._identifiers = identifiers
        self._curated = curated

    def match(self, igo: Igo) -> Match:
        known = self._identifiers.get(igo.ionum)
        if known is not None:
            candidate = self._by_id.get(known)
            return Match(How.identifier, known, candidate.slug if candidate else None)
        if igo.ionum in self._curated:
            slug = self._curated[igo.ionum]
            if slug is None:
                return Match(How.new)
            chosen = self._by_slug.get(slug)
            if chosen is None:
                return Match(How.ambiguous, candidates=(f"{slug} (named in the table, unknown)",))
            return Match(How.curated, chosen.id, chosen.slug)
        acronym = fold(igo.ioname)
        names = {fold(n) for n in (igo.orgname, *igo.aliases)}
        by_acronym = {c.id for c in self._by_id.values() if acronym in c.acronyms}
        by_name = {c.id for c in self._by_id.values() if names & c.names}
        both = by_acronym & by_name
        if len(both) == 1:
            return self._matched(How.acronym_and_name, both)
        if len(by_name) == 1 and by_acronym <= by_name:
            return self._matched(How.name, by_name)
        if by_acronym or by_name:
            slugs = sorted(self._by_id[i].slug for i in by_acronym | by_name)
            return Match(How.ambiguous, candidates=tuple(slugs))
        return Match(How.new)

    def _matched(self, how: How, ids: set[str]) -> Match:
        (only,) = ids
        return Match(how, only, self._by_id[only].slug)
