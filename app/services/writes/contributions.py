"""Creating, correcting and deleting contributions.

The rules that tie fields together (an organization exactly when the recipient is one, a
currency with every amount, a period with both ends in order, at least one figure) are checked
on the row as it will be after the write, so a merge patch cannot leave it half-changed. The
CHECK constraints of migration 0023 say the same and remain the last line of defence.
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Gone, InvalidBody, NotFound
from app.ids import new_id
from app.models.tables import contribution_sources, contributions
from app.schemas.contributions import Contribution, ContributionCreate, ContributionPatch
from app.schemas.writes import parse_partial_date
from app.services import revisions
from app.services.contributions import get_contribution
from app.services.countries import find_country_code
from app.services.organizations import resolve_organization_field
from app.services.writes.common import Actor, Precondition, bumped, lock_row, require_version
from app.services.writes.organizations import check_sources
from app.vocabulary import DatePrecision, Qualifier, Recipient

FIELDS = (
    "country_code",
    "recipient",
    "organization_id",
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
)
REQUIRED = ("country", "recipient", "kind", "verification", "sources")


def period_bound(value: str, *, end: bool) -> dt.date:
    """A partial date as a period's first day (`start`) or last day (`end`): `2024` is
    2024-01-01 or 2024-12-31, `2023-09` is 2023-09-01 or 2023-09-30."""
    day, precision = parse_partial_date(value)
    if not end or precision == DatePrecision.day:
        return day
    if precision == DatePrecision.month:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return dt.date(day.year, 12, 31)


async def _columns(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
    """API fields to columns: codes and keys resolved, partial dates to days, enums to text."""
    columns: dict[str, Any] = {}
    for name, value in values.items():
        if name == "country":
            code = await find_country_code(session, value)
            if code is None:
                raise InvalidBody(f"'{value}' is not an ISO 3166 country code.", field="country")
            columns["country_code"] = code
        elif name == "organization":
            columns["organization_id"] = (
                await resolve_organization_field(session, value, "organization")
                if value is not None
                else None
            )
        elif name in ("period_start", "period_end"):
            columns[name] = (
                period_bound(value, end=name == "period_end") if value is not None else None
            )
        elif name != "sources":
            columns[name] = value.value if isinstance(value, StrEnum) else value
    return columns


def _checked(row: dict[str, Any]) -> dict[str, Any]:
    """The row as it will be stored, its qualifiers defaulted; 422 naming the field that
    breaks a rule."""
    row = dict(row)
    for figure in ("amount", "share"):
        if row[figure] is not None and row[f"{figure}_qualifier"] is None:
            row[f"{figure}_qualifier"] = Qualifier.exact.value
    to_organization = row["recipient"] == Recipient.organization.value
    if to_organization and row["organization_id"] is None:
        raise InvalidBody(
            "A contribution to an organization names it (id or slug).", field="organization"
        )
    if not to_organization and row["organization_id"] is not None:
        raise InvalidBody(
            f"A contribution to `{row['recipient']}` names no organization; send "
            "`organization: null`, or the recipient `organization`.",
            field="organization",
        )
    start, end = row["period_start"], row["period_end"]
    if (start is None) != (end is None):
        raise InvalidBody(
            "Give both ends of the period, or neither when the source gives none.",
            field="period_end" if end is None else "period_start",
        )
    if start is not None and end < start:
        raise InvalidBody(
            f"The period ends ({end}) before it starts ({start}).", field="period_end"
        )
    if row["amount"] is not None and row["currency"] is None:
        raise InvalidBody("An amount needs its ISO 4217 currency.", field="currency")
    if row["amount"] is None:
        for field in ("currency", "amount_qualifier"):
            if row[field] is not None:
                raise InvalidBody(f"`{field}` is given without an amount.", field=field)
    if row["share"] is None and row["share_qualifier"] is not None:
        raise InvalidBody("`share_qualifier` is given without a share.", field="share_qualifier")
    if row["amount"] is None and row["share"] is None:
        raise InvalidBody(
            "A contribution states a figure: an amount, a share, or both.", field="amount"
        )
    return row


def _snapshot(row: Any, source_ids: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: (str(row[name]) if row[name] is not None else None) for name in FIELDS
    }
    values["sources"] = sorted(source_ids)
    return values


async def _source_ids(session: AsyncSession, contribution_id: str) -> list[str]:
    found = await session.execute(
        select(contribution_sources.c.source_id).where(
            contribution_sources.c.contribution_id == contribution_id
        )
    )
    return sorted(found.scalars())


async def _cite(session: AsyncSession, contribution_id: str, source_ids: list[str]) -> None:
    await check_sources(session, source_ids, "sources")
    await session.execute(
        contribution_sources.insert(),
        [{"contribution_id": contribution_id, "source_id": s} for s in dict.fromkeys(source_ids)],
    )


def _change(
    contribution_id: str, action: str, revision: int, diff: dict[str, Any], row: Any
) -> revisions.ChangeRecord:
    return revisions.ChangeRecord(
        "contribution",
        contribution_id,
        action,
        revision,
        diff,
        [f"contribution.{action}"],
        country=row["country_code"],
        organization_id=row["organization_id"],
    )


async def create_contribution(
    session: AsyncSession, body: ContributionCreate, actor: Actor
) -> Contribution:
    row = _checked(await _columns(session, body.model_dump()))
    contribution_id = new_id("ctb")
    stored = (
        (
            await session.execute(
                contributions.insert().values(id=contribution_id, **row).returning(*contributions.c)
            )
        )
        .mappings()
        .one()
    )  # as stored (1250000.5 reads back 1250000.50): the revision says what a read gives
    await _cite(session, contribution_id, body.sources)
    result = await get_contribution(session, contribution_id)
    cited = sorted(set(body.sources))
    await revisions.record(
        session,
        _change(
            contribution_id, "created", 1, revisions.diff({}, _snapshot(stored, cited)), stored
        ),
        actor=actor.name,
        reason=actor.reason,
    )
    return result


async def _locked(session: AsyncSession, contribution_id: str) -> Any:
    row = await lock_row(
        session,
        contributions,
        contributions.c.id == contribution_id,
        NotFound(f"No contribution with id '{contribution_id}'."),
    )
    if row["deleted_at"] is not None:
        raise Gone(f"Contribution '{contribution_id}' was deleted.")
    return row


async def update_contribution(
    session: AsyncSession,
    contribution_id: str,
    patch: ContributionPatch,
    expected: Precondition | None,
    actor: Actor,
) -> Contribution:
    before = await _locked(session, contribution_id)
    require_version(expected, await get_contribution(session, contribution_id))
    given = patch.model_dump(exclude_unset=True)
    for required in REQUIRED:
        if required in given and given[required] is None:
            raise InvalidBody(f"`{required}` cannot be cleared.", field=required)
    row = _checked({**{name: before[name] for name in FIELDS}, **await _columns(session, given)})
    cited_before = await _source_ids(session, contribution_id)
    after = (
        (
            await session.execute(
                contributions.update()
                .where(contributions.c.id == contribution_id)
                .values(**row, **bumped(contributions))
                .returning(*contributions.c)
            )
        )
        .mappings()
        .one()
    )
    cited_after = cited_before
    if patch.sources is not None:
        cited_after = sorted(set(patch.sources))
        await session.execute(
            delete(contribution_sources).where(
                contribution_sources.c.contribution_id == contribution_id
            )
        )
        await _cite(session, contribution_id, patch.sources)
    result = await get_contribution(session, contribution_id)
    await revisions.record(
        session,
        _change(
            contribution_id,
            "updated",
            after["revision"],
            revisions.diff(_snapshot(before, cited_before), _snapshot(after, cited_after)),
            after,
        ),
        actor=actor.name,
        reason=actor.reason,
    )
    return result


async def delete_contribution(
    session: AsyncSession, contribution_id: str, expected: Precondition | None, actor: Actor
) -> None:
    """A tombstone: the id answers 410 from now on, and its history stays readable."""
    before = await _locked(session, contribution_id)
    require_version(expected, await get_contribution(session, contribution_id))
    cited = await _source_ids(session, contribution_id)
    await session.execute(
        contributions.update()
        .where(contributions.c.id == contribution_id)
        .values(deleted_at=func.now(), **bumped(contributions))
    )
    await revisions.record(
        session,
        _change(
            contribution_id,
            "deleted",
            before["revision"] + 1,
            revisions.diff(_snapshot(before, cited), {}),
            before,
        ),
        actor=actor.name,
        reason=actor.reason,
    )
