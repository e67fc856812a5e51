"""SQL building blocks shared by the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, String, any_, bindparam, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by

TEXT_ARRAY = ARRAY(String)


def one_of(column: ColumnElement[Any], values: Iterable[str]) -> ColumnElement[bool]:
    """`column = ANY($1)` with the values as one array parameter.

    `column.in_(values)` renders one parameter per value, so every list length is a new SQL
    text to render and to prepare; one array keeps a single prepared statement whatever the
    length, which matters on paths that run on every request.
    """
    return column == any_(bindparam(None, list(values), type_=TEXT_ARRAY))


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
