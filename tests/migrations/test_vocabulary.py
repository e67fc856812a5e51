"""The database keeps every vocabulary column inside the vocabulary app.vocabulary defines:
the CHECK constraints the migrations wrote list exactly its values, and no constrained column
is missing from `COLUMNS`."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.vocabulary import COLUMNS

_LISTS = text(
    """
    SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE contype = 'c' AND conrelid <> 0 AND pg_get_constraintdef(oid) LIKE '%ANY%ARRAY[%'
    """
)
_LIST = re.compile(r"\(?(\w+)\)?::text = ANY \(+ARRAY\[([^\]]*)\]")
_VALUE = re.compile(r"'([^']*)'::")


async def test_the_database_constraints_list_exactly_each_vocabulary(engine: AsyncEngine) -> None:
    found: dict[str, set[str]] = {}
    async with engine.connect() as connection:
        for table, _, definition in (await connection.execute(_LISTS)).all():
            for column, values in _LIST.findall(definition):
                found[f"{table}.{column}"] = set(_VALUE.findall(values))
    assert set(found) == set(COLUMNS), "constrained columns and app.vocabulary.COLUMNS differ"
    for column, vocabulary in COLUMNS.items():
        assert found[column] == {member.value for member in vocabulary}, column
