"""How well reconciliation matches names as people write them: the batch in
bench/data/reconcile_names.csv (name, expected_slug, kind) run through /v1/reconcile.

    DATABASE_URL=postgresql://... .venv/bin/python bench/reconcile_score.py   # in-process
    .venv/bin/python bench/reconcile_score.py --url http://127.0.0.1:8000      # a running server

Per kind and overall it prints how many names come back right at rank 1 and in the top 3, how
many the service auto-matches (`match: true`, what OpenRefine accepts without asking) and how
many of those are wrong. Reads only: the queries are POSTed, which changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

NAMES = Path(__file__).resolve().parent / "data" / "reconcile_names.csv"
BATCH = 50
COLUMNS = ("kind", "names", "rank 1", "top 3", "auto-matched", "auto-matched wrong")


@asynccontextmanager
async def client_for(url: str | None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the server at `url`, or of the app in this process (on DATABASE_URL)."""
    if url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            yield client
        return
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL (or give --url).")
    from app.config import get_settings
    from app.db import get_engine
    from app.main import create_app

    get_settings.cache_clear()
    transport = httpx.ASGITransport(app=create_app())
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            yield client
    finally:
        await get_engine().dispose()


async def slugs_by_id(client: httpx.AsyncClient, slugs: set[str]) -> dict[str, str]:
    response = await client.get(
        "/v1/organizations", params={"ids": ",".join(sorted(slugs)), "page_size": "500"}
    )
    response.raise_for_status()
    body = response.json()
    if body["missing"]:
        raise SystemExit(f"Expected organizations not in this registry: {body['missing']}")
    return {item["id"]: item["slug"] for item in body["items"]}


async def results(client: httpx.AsyncClient, names: list[str]) -> list[list[dict[str, Any]]]:
    found: list[list[dict[str, Any]]] = []
    for start in range(0, len(names), BATCH):
        chunk = names[start : start + BATCH]
        batch = {f"q{i}": {"query": name, "limit": 3} for i, name in enumerate(chunk)}
        response = await client.post("/v1/reconcile", data={"queries": json.dumps(batch)})
        response.raise_for_status()
        answer = response.json()
        found += [answer[f"q{i}"]["result"] for i in range(len(chunk))]
    return found


def table(
    rows: list[dict[str, str]], found: list[list[dict[str, Any]]], slugs: dict[str, str]
) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row, candidates in zip(rows, found, strict=True):
        ranked = [slugs.get(c["id"], c["id"]) for c in candidates]
        for kind in (row["kind"], "all"):
            tally = counts[kind]
            tally["names"] += 1
            tally["rank 1"] += ranked[:1] == [row["expected_slug"]]
            tally["top 3"] += row["expected_slug"] in ranked[:3]
            matched = bool(candidates) and candidates[0]["match"]
            tally["auto-matched"] += matched
            tally["auto-matched wrong"] += matched and ranked[0] != row["expected_slug"]
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for kind in [*sorted(k for k in counts if k != "all"), "all"]:
        tally = counts[kind]
        cells = [f"**{kind}**" if kind == "all" else kind]
        cells += [str(tally[c]) for c in COLUMNS[1:]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def misses(
    rows: list[dict[str, str]], found: list[list[dict[str, Any]]], slugs: dict[str, str]
) -> str:
    out = []
    for row, candidates in zip(rows, found, strict=True):
        first = slugs.get(candidates[0]["id"], candidates[0]["name"]) if candidates else None
        if first != row["expected_slug"]:
            out.append(f"  {row['kind']}: {row['name']!r} -> {first} (want {row['expected_slug']})")
    return "\n".join(out)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="A running orgreg server; default: in-process")
    parser.add_argument("--names", type=Path, default=NAMES)
    parser.add_argument("--misses", action="store_true", help="Also list what was not rank 1")
    args = parser.parse_args()
    with args.names.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    async with client_for(args.url) as client:
        found = await results(client, [row["name"] for row in rows])
        expected = {row["expected_slug"] for row in rows}
        ids = {c["id"] for candidates in found for c in candidates}
        slugs = await slugs_by_id(client, expected)
        slugs |= await slugs_by_id(client, ids - set(slugs)) if ids - set(slugs) else {}
    print(table(rows, found, slugs))
    if args.misses:
        print(misses(rows, found, slugs))


if __name__ == "__main__":
    asyncio.run(main())
