"""Request paths drawn from the loaded data, as client services ask: every request a different
organization, country, date or search word, never one URL repeated.

`paths(url, endpoint, n)` reads the database the service serves and returns `n` paths for one
read endpoint (shuffled, seeded: the same data gives the same paths). Dates are drawn across
the data's range (1900-2026); search words and autocomplete prefixes from the organizations'
names, English and Chinese alike.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

import asyncpg

from app.db import driver_connection

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2026, 12, 31)
SEED = 20261201


def a_day(rng: random.Random) -> str:
    return (FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))).isoformat()


def words(names: Sequence[str]) -> list[str]:
    """Search words from names: English words of 4+ letters, Chinese runs cut to 2-4 chars."""
    found: set[str] = set()
    for name in names:
        found |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", name)}
        for run in re.findall(r"[\u4e00-\u9fff]+", name):
            found |= {run[i : i + size] for size in (2, 4) for i in range(0, len(run) - 1, size)}
    return sorted(w for w in found if len(w) >= 2)


async def _draw(
    connection: asyncpg.Connection, endpoint: str, rng: random.Random
) -> Callable[[], str]:
    async def column(query: str) -> list[str]:
        return [row[0] for row in await connection.fetch(query)]

    if endpoint == "organization by id":
        keys = await column(
            "SELECT unnest(ARRAY[id, slug]) FROM organizations "
            "WHERE deleted_at IS NULL AND merged_into_id IS NULL"
        )
        return lambda: f"/v1/organizations/{quote(rng.choice(keys))}"
    if endpoint == "list page of 50, filtered":
        categories = await column("SELECT slug FROM categories")
        return lambda: (
            f"/v1/organizations?system={rng.choice(['un', 'non_un'])}"
            f"&category={rng.choice(categories)}&page_size=50"
        )
    if endpoint in ("search q", "autocomplete"):
        names = await column("SELECT value FROM organization_names")
        terms = words(names)
        if endpoint == "search q":
            return lambda: f"/v1/organizations?q={quote(rng.choice(terms))}&page_size=20"
        prefixes = sorted({t[: rng.randint(2, 4)] for t in terms})
        return lambda: f"/v1/organizations/autocomplete?q={quote(rng.choice(prefixes))}&limit=10"
    if endpoint == "country memberships as_of":
        codes = await column("SELECT DISTINCT country_code FROM memberships")
        return lambda: (
            f"/v1/countries/{rng.choice(codes)}/memberships?as_of={a_day(rng)}&page_size=50"
        )
    if endpoint == "organization members as_of":
        slugs = await column(
            "SELECT DISTINCT o.slug FROM organizations o JOIN memberships m "
            "ON m.organization_id = o.id WHERE o.deleted_at IS NULL AND o.merged_into_id IS NULL"
        )
        return lambda: (
            f"/v1/organizations/{quote(rng.choice(slugs))}/memberships"
            f"?as_of={a_day(rng)}&page_size=50"
        )
    if endpoint == "timeline":
        pairs = [
            (row[0], row[1])
            for row in await connection.fetch(
                "SELECT m.country_code, o.slug FROM memberships m "
                "JOIN organizations o ON o.id = m.organization_id "
                "WHERE o.deleted_at IS NULL AND o.merged_into_id IS NULL"
            )
        ]

        def timeline() -> str:
            code, slug = rng.choice(pairs)
            return f"/v1/countries/{code}/timeline?organization={quote(slug)}"

        return timeline
    raise ValueError(f"no keys for {endpoint!r}")


async def paths(url: str, endpoint: str, n: int) -> list[str]:
    rng = random.Random(f"{SEED}:{endpoint}")
    connection = await driver_connection(url)
    try:
        draw = await _draw(connection, endpoint, rng)
    finally:
        await connection.close()
    return [draw() for _ in range(n)]
