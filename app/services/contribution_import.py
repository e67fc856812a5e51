"""`orgreg import contributions`: contribution figures from a plain CSV file, all rows or none.

Every row goes through the same service as `POST /v1/contributions` (so the same rules,
revisions and webhook outbox). Rows run inside one outer transaction; a failing row is rolled
back to its savepoint and reported, the others are still checked, and the outer transaction
commits only if no row failed and this is not a dry run.

The columns (a header row names them; README "Money: contributions" explains each):
country, recipient, organization, kind, period_start, period_end, period_type, period_label,
amount, currency, amount_qualifier, share, share_qualifier, verification, note, sources
(source ids, `;`-separated). An empty cell is a value the source does not give.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.db import all_or_nothing
from app.schemas.contributions import ContributionCreate
from app.services.importer import RowsReport, write_row
from app.services.writes.common import Actor
from app.services.writes.contributions import create_contribution

COLUMNS = (
    "country",
    "recipient",
    "organization",
    "kind",
    "period_start",
    "period_end",
    "period_type",
    "period_label",
    "amount",
    "currency",
    "amount_qualifier",
    "share",
    "share_qualifier",
    "verification",
    "note",
    "sources",
)
REQUIRED = ("country", "kind", "sources")
HEADER_ROW = 1
"""Data rows are numbered as a spreadsheet shows them: the first is row 2."""


@dataclass
class ImportReport(RowsReport):
    added: int = 0

    def render(self) -> str:
        return self.summary(f"{self.added} contributions")


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The data rows, empty cells left out; ValueError for a file that is not this layout
    (a misspelt column would otherwise drop its values silently)."""
    if path.suffix.lower() != ".csv":
        raise ValueError(f"{path.name}: use a .csv file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        unknown = [name for name in header if name not in COLUMNS]
        if unknown:
            raise ValueError(f"unknown columns {', '.join(unknown)}; the columns are {COLUMNS}")
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise ValueError(f"missing columns {', '.join(missing)}")
        reader.fieldnames = header
        rows: list[dict[str, Any]] = []
        for raw in reader:
            if None in raw:
                raise ValueError(f"row {reader.line_num} has more cells than the header")
            row: dict[str, Any] = {k: v.strip() for k, v in raw.items() if v and v.strip()}
            row["sources"] = [s.strip() for s in row.get("sources", "").split(";") if s.strip()]
            rows.append(row)
        return rows


async def import_contributions(
    url: str,
    rows: list[dict[str, Any]],
    *,
    dry_run: bool,
    actor: str,
    reason: str | None,
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    who = Actor(actor, reason)
    async with all_or_nothing(url, keep=lambda: not (report.errors or dry_run)) as session:
        for number, row in enumerate(rows, start=HEADER_ROW + 1):

            async def write(row: dict[str, Any] = row) -> None:
                await create_contribution(session, ContributionCreate.model_validate(row), who)

            if await write_row(session, number, report.errors, write):
                report.added += 1
            if on_row:
                on_row(1)
    return report
