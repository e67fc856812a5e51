"""SQL building blocks shared by the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def one_of(column: ColumnElement[Any], values: Iterable[str]) -> ColumnElement[bool]:
    """`column = ANY($1)` with the values as one array parameter.

    `column.in_(values)` renders one parameter per value, so every list length is a new SQL
    text to render and to prepare; one array keeps a single prepared statement whatever the
    length, which matters on paths that run on every request.
    """
    return column == any_(bindparam(None, list(values), type_=ARRAY(String)))
