"""`orgreg import`: membership events from CSV or NDJSON, all rows or none.

Every row goes through the same services (and so the same rules, revisions and webhook outbox)
as `POST /v1/memberships` and `POST /v1/memberships/{id}/events`. Rows run inside one outer
transaction; a failing row is rolled back to its savepoint and reported, the others are still
checked, and the outer transaction commits only if no row failed and this is not a dry run.

Columns (CSV header or NDJSON keys): country, organization, type, date, date_precision,
verification, note, sources (ids, `;`-separated in CSV), and basis / basis_verification (used
only to create the membership when the pair has none).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import all_or_nothing
from app.errors import DomainError
from app.models.tables import memberships
from app.schemas.writes import EventCreate, MembershipCreate
from app.services.countries import find_country_code
from app.services.organizations import resolve_organization_id
from app.services.writes.common import Actor
from app.services.writes.memberships import add_event, create_membership

EVENT_FIELDS = ("type", "date", "date_precision", "verification", "note", "sources")


@dataclass
class RowError:
    row: int
    field: str | None
    message: str


@dataclass
class RowsReport:
    """What an all-or-nothing import of rows did (or would do): every importer's report."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, added: str) -> str:
        """`added` says what the rows add; then each failing row, or that it was a dry run."""
        verb = "would add" if self.dry_run or self.errors else "added"
        lines = [f"{self.rows} rows: {verb} {added}."]
        if self.errors:
            lines.append(f"{len(self.errors)} rows failed; nothing was written:")
            lines += [
                f"  row {e.row}" + (f" [{e.field}]" if e.field else "") + f": {e.message}"
                for e in self.errors
            ]
        elif self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


@dataclass
class ImportReport(RowsReport):
    memberships_created: int = 0
    events_added: int = 0

    def render(self) -> str:
        return self.summary(
            f"{self.events_added} events and {self.memberships_created} memberships"
        )


async def write_row(
    session: AsyncSession,
    number: int,
    errors: list[RowError],
    write: Callable[[], Awaitable[object]],
) -> bool:
    """One row's writes, under the API's rules: kept when they pass (the row's savepoint ends,
    so a later failure keeps them), rolled back and reported with the field when they do not."""
    try:
        await write()
        await session.commit()
        return True
    except ValidationError as exc:
        await session.rollback()
        for error in exc.errors():
            errors.append(RowError(number, ".".join(map(str, error["loc"])) or None, error["msg"]))
    except DomainError as exc:
        await session.rollback()
        errors.append(RowError(number, exc.errors[0]["name"] if exc.errors else None, exc.detail))
    return False


def read_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix.lower() == ".ndjson":
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows: list[dict[str, Any]] = []
            for raw in csv.DictReader(handle):
                row: dict[str, Any] = {k: (v if v != "" else None) for k, v in raw.items() if k}
                row["sources"] = [s for s in (row.get("sources") or "").split(";") if s]
                rows.append(row)
            return rows
    raise ValueError(f"{path.name}: use a .csv or .ndjson file")


async def _membership_id(
    session: AsyncSession, row: dict[str, Any], actor: Actor, report: ImportReport
) -> str:
    country = await find_country_code(session, str(row.get("country") or ""))
    org_id = await resolve_organization_id(session, str(row.get("organization") or ""))
    found = (
        await session.execute(
            select(memberships.c.id).where(
                memberships.c.country_code == (country or ""),
                memberships.c.organization_id == org_id,
            )
        )
    ).scalar_one_or_none()
    if found is not None:
        return str(found)
    body = MembershipCreate.model_validate(
        {
            k: row.get(k)
            for k in ("country", "organization", "basis", "basis_verification")
            if row.get(k)
        }
    )
    created = await create_membership(session, body, actor)
    report.memberships_created += 1
    return created.id


async def import_rows(
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
        for number, row in enumerate(rows, start=1):

            async def write(row: dict[str, Any] = row) -> None:
                event = EventCreate.model_validate(
                    {k: row[k] for k in EVENT_FIELDS if row.get(k) is not None}
                )
                membership_id = await _membership_id(session, row, who, report)
                await add_event(session, membership_id, event, who)

            if await write_row(session, number, report.errors, write):
                report.events_added += 1
            if on_row:
                on_row(1)
    return report
