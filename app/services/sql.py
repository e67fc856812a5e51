"""SQL building blocks shared by the services."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    String,
    Table,
    any_,
    bindparam,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

TEXT_ARRAY = ARRAY(String)


def text_array(values: Iterable[str]) -> BindParameter[Any]:
    """The values as one array parameter."""
    return bindparam(None, list(values), type_=TEXT_ARRAY)


def one_of(column: ColumnElement[Any], values: Iterable[str]) -> ColumnElement[bool]:
    """`column = ANY($1)` with the values as one array parameter.

    `column.in_(values)` renders one parameter per value, so every list length is a new SQL
    text to render and to prepare; one array keeps a single prepared statement whatever the
    length, which matters on paths that run on every request.
    """
    return column == any_(text_array(values))


def in_param(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`column = ANY(:name)`, the array given at execution: for statements built once at import,
    whose cache key SQLAlchemy then computes once instead of on every execution."""
    return column == any_(bindparam(name, type_=TEXT_ARRAY))


def ids_of(column: ColumnElement[str], *where: ColumnElement[bool]) -> ScalarSelect[Any]:
    """The values of `column` over the rows `where` selects, in order, as one array: a
    correlated subquery that brings a row's links (its sources, say) in the query that reads
    the row, instead of a query of their own. Empty, not NULL, when there are none."""
    return (
        select(
            func.coalesce(
                func.array_agg(aggregate_order_by(column, column)), literal([], TEXT_ARRAY)
            )
        )
        .where(*where)
        .scalar_subquery()
    )


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """A `daterange` literal, `[start,end)`; a missing bound is unbounded."""
    return f"[{start or ''},{end or ''})"


async def insert_rows(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows in one statement: the rows travel as one JSON array that PostgreSQL
    turns into the table's row type (`jsonb_populate_recordset`). A per-row `executemany`
    spends more time converting parameters than PostgreSQL spends inserting; this is the bulk
    path for imports and derived periods. Values must be JSON-encodable or dates; ranges are
    given as literals (`date_range`)."""
    if not rows:
        return
    columns = ", ".join(rows[0])
    statement = text(
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} "
        f"FROM jsonb_populate_recordset(NULL::{table.name}, CAST(:rows AS jsonb))"
    )
    await session.execute(statement, {"rows": json.dumps(rows, default=_json_value)})


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
