"""`orgreg check cow-igo PATH`: the registry's answers against the COW file, cell by cell.

Every coded cell (a state, an IGO, a year) is compared with what the registry says for that
country and organization on 1 July of the year, the day a yearly code is read as describing.
The figures that must be zero: ties the registry states where COW codes none and no curated
event says so, and cells with a tie whose state the registry cannot name ("lost states").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from app.db import all_or_nothing
from app.models.tables import countries, memberships, organization_identifiers, status_periods
from app.services.cow_igo.dataset import read_igos
from app.services.cow_igo.series import TIE_CODES, observed_on
from app.services.cow_igo.states import StateMapper
from app.services.status_periods import DerivedPeriod, covering
from app.vocabulary import TIES, DatePrecision, MembershipStatus

S = MembershipStatus
COMPATIBLE = {
    S.member: {S.member, S.suspended, S.withdrawal_pending},
    S.associate: {S.associate},
    S.observer: {S.observer},
}
"""Registry statuses that say what a COW tie code says."""


@dataclass
class CheckReport:
    tie_cells: Counter[str] = field(default_factory=Counter)
    """COW codes a tie (1-3): what the registry says."""
    none_cells: Counter[str] = field(default_factory=Counter)
    """COW codes 0: what the registry says."""
    missing_cells: Counter[str] = field(default_factory=Counter)
    """COW codes -9: what the registry says."""
    lost: Counter[str] = field(default_factory=Counter)
    """State column -> tie cells no registry country carries."""
    invented: list[tuple[str, str, int]] = field(default_factory=list)
    """(country, IGO, year): a tie where COW codes 0 and no curated event says so."""
    examples: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    """A few (country, IGO, year) cells for each kind of answer that is not agreement."""

    @property
    def ok(self) -> bool:
        return not self.invented and not self.lost and not self.tie_cells["no record (unknown)"]

    def render(self) -> str:
        def line(title: str, counts: Counter[str]) -> str:
            total = sum(counts.values())
            parts = ", ".join(
                f"{k} {v:,} ({v / total:.1%})" for k, v in counts.most_common() if total
            )
            return f"{title}: {total:,} cells. {parts}"

        lines = [
            "The COW file against the registry, on 1 July of each year coded:",
            line("COW codes a tie (1-3)", self.tie_cells),
            line("COW codes no tie (0)", self.none_cells),
            line("COW codes missing (-9)", self.missing_cells),
            f"Ties where COW has none and no curated event says so: {len(self.invented)}",
            f"Cells with a tie whose state the registry cannot name (lost): "
            f"{sum(self.lost.values())}; tie cells with no record of the pair: "
            f"{self.tie_cells['no record (unknown)']}",
        ]
        lines += [f"  {c} {igo} {year}" for c, igo, year in self.invented[:20]]
        lines.append("Examples of each answer that is not agreement (country, IGO, year):")
        lines += [
            f"  {verdict}: " + "; ".join(f"{c} {igo} {year}" for c, igo, year in cells)
            for verdict, cells in sorted(self.examples.items())
        ]
        lines += [f"  lost: {state} {n}" for state, n in self.lost.most_common()]
        return "\n".join(lines)


def judge_tie(code: int, period: DerivedPeriod) -> str:
    if period.status == S.unknown:
        return f"unknown ({period.unknown_reason})"
    if period.status in COMPATIBLE[TIE_CODES[code]]:
        return "agrees"
    if period.status in TIES:
        return "another tie"
    if period.source_id is not None:
        return "no tie (COW: the state had ceased)"
    if period.evidence_event_id is None:
        return "no tie (before the founding the registry gives)"
    return "no tie (curated events, a listed conflict)"


def judge_none(period: DerivedPeriod) -> str:
    if period.status == S.unknown:
        return f"unknown ({period.unknown_reason})"
    if period.status in TIES:
        return "tie (curated, a listed conflict)" if period.source_id is None else "tie (COW)"
    return "agrees"


async def check_cow_igo(url: str, path: Path) -> CheckReport:
    async with all_or_nothing(url, keep=lambda: False) as session:
        known = set((await session.execute(select(countries.c.code))).scalars())
        organization_of = dict(
            (
                await session.execute(
                    select(
                        organization_identifiers.c.value, organization_identifiers.c.organization_id
                    ).where(organization_identifiers.c.scheme == "cow_igo")
                )
            ).all()
        )
        periods: dict[tuple[str, str], list[DerivedPeriod]] = defaultdict(list)
        rows = await session.execute(
            select(
                memberships.c.country_code,
                memberships.c.organization_id,
                status_periods.c.status,
                func.lower(status_periods.c.during),
                func.upper(status_periods.c.during),
                status_periods.c.evidence_event_id,
                status_periods.c.unknown_reason,
                status_periods.c.source_id,
            ).join(memberships, memberships.c.id == status_periods.c.membership_id)
        )
        for country, org, status, lower, upper, evidence, reason, source in rows:
            periods[(country, org)].append(
                DerivedPeriod(
                    S(status), lower, upper, DatePrecision.day, None, evidence, reason, source
                )
            )
    report = CheckReport()
    mapper = StateMapper(known)
    for igo in read_igos(path):
        org = organization_of.get(igo.ionum)
        for column, runs in igo.series.items():
            for run in runs:
                for year in range(run.first, run.last + 1):
                    if run.code == -1:
                        continue
                    country = mapper.country(column, year)
                    if country is None:
                        if run.code in TIE_CODES:
                            report.lost[column] += 1
                        continue
                    pair = periods.get((country, org or ""))
                    if pair is None:
                        _no_record(report, run.code)
                    else:
                        period = covering(pair, observed_on(year))
                        _tally(report, run.code, period, country, igo.ioname, year)
    return report


def _no_record(report: CheckReport, code: int) -> None:
    """The registry holds nothing for the pair: it answers `unknown`. COW's never-tied pairs
    get no record; a tie cell here is a lost one."""
    counts = (
        report.tie_cells
        if code in TIE_CODES
        else (report.none_cells if code == 0 else report.missing_cells)
    )
    counts["no record (unknown)"] += 1


def _tally(
    report: CheckReport, code: int, period: DerivedPeriod, country: str, igo: str, year: int
) -> None:
    if code in TIE_CODES:
        verdict = f"tie: {judge_tie(code, period)}"
        report.tie_cells[verdict[5:]] += 1
    elif code == 0:
        verdict = f"none: {judge_none(period)}"
        report.none_cells[verdict[6:]] += 1
        if verdict == "none: tie (COW)":
            report.invented.append((country, igo, year))
    else:
        status = period.status.value
        verdict = f"missing: {status if status != 'unknown' else 'unknown (as it should)'}"
        report.missing_cells[verdict[9:]] += 1
    if not verdict.endswith(("agrees", "as it should)")):
        seen = report.examples.setdefault(verdict, [])
        if len(seen) < 3:
            seen.append((country, igo, year))
