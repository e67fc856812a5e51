"""What a `known_at` read costs: the same reads, with many different keys, answered for the
present and for past moments, as a share of the minimal-FastAPI ceiling measured in the run.

    .venv/bin/python bench/known_at.py                     # COW data, 10 s per run
    .venv/bin/python bench/known_at.py --size seed --duration 5

The database holds the seed and the COW IGO import, which came after history began: so a
moment before the import (the seed alone) and one after it (everything) are both asked about.
The response cache is off, so every read (present or past) takes the database path. Results
go to bench/results/known_at.{json,md}.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db import driver_connection  # noqa: E402
from bench.processes import database_server, free_port, stop, wait_ready  # noqa: E402
from bench.run import (  # noqa: E402
    BIN,
    RESULTS,
    build_database,
    load,
    measure_ceiling,
    write_paths,
)

MEASURED = ("organization by id", "country memberships as_of", "timeline")


async def moments(url: str) -> dict[str, str]:
    """When history began (the seed alone), and now (after the import)."""
    connection = await driver_connection(url)
    try:
        began: dt.datetime = await connection.fetchval(
            "SELECT occurred_at FROM revisions WHERE action = 'history_started'"
        )
        now: dt.datetime = await connection.fetchval("SELECT clock_timestamp()")
    finally:
        await connection.close()
    return {"before the import": began.isoformat(), "after the import": now.isoformat()}


def with_known_at(paths_file: Path, moment: str) -> Path:
    """The same paths, each asking about `moment`."""
    target = paths_file.with_name(paths_file.stem + "-known-at.txt")
    lines = paths_file.read_text(encoding="utf-8").split()
    joined = [f"{p}{'&' if '?' in p else '?'}known_at={quote(moment)}" for p in lines]
    target.write_text("\n".join(joined) + "\n", encoding="utf-8")
    return target


def bench(url: str, size: str, duration: int, connections: int) -> list[dict[str, Any]]:
    paths = write_paths(url, size)
    asked = asyncio.run(moments(url))
    top = measure_ceiling(1, duration, connections)
    rows: list[dict[str, Any]] = [{"endpoint": "ceiling (minimal FastAPI)", "when": "", **top}]
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ORGREG_WEBHOOK_WORKER": "false",
        "ORGREG_LOG_LEVEL": "warning",
        "ORGREG_DB_POOL_SIZE": "20",
        "ORGREG_RESPONSE_CACHE": "false",
    }
    service = subprocess.Popen(
        [str(BIN / "orgreg"), "serve", "--no-migrate", "--port", str(port), "--workers", "1"],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{base}/readyz", service, workers=1)
        for name in MEASURED:
            variants = {"now (no known_at)": paths[name]}
            variants |= {
                f"known_at {when}": with_known_at(paths[name], m) for when, m in asked.items()
            }
            present = 0.0
            for when, paths_file in variants.items():
                load(base, 2, connections, paths_file)
                result = load(base, duration, connections, paths_file)
                present = present or result["rps"]
                rows.append(
                    {
                        "endpoint": name,
                        "when": when,
                        **result,
                        "ratio": result["rps"] / top["rps"],
                        "of_present": result["rps"] / present,
                    }
                )
                print(
                    f"{name:<28} {when:<26} {result['rps']:7.0f} req/s "
                    f"({result['rps'] / top['rps']:.0%} of ceiling, "
                    f"{result['rps'] / present:.0%} of the present) p99 {result['p99_ms']:.1f} ms "
                    f"errors {result['errors']}",
                    flush=True,
                )
    finally:
        stop(service)
    return rows


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        f"Run {meta['when']}, {meta['cpus']} CPUs, size {meta['size']}, {meta['connections']} "
        f"connections, {meta['duration_s']} s each, 1 worker, response cache off.",
        "",
        "| endpoint | asked about | req/s | share of ceiling | share of the present | p50 ms "
        "| p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        of_present = f"{row['of_present']:.0%}" if "of_present" in row else ""
        lines.append(
            f"| {row['endpoint']} | {row['when']} | {row['rps']:.0f} | "
            f"{row.get('ratio', 1.0):.0%} | {of_present} | {row['p50_ms']:.1f} | "
            f"{row['p99_ms']:.1f} | {row['errors']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="cow", choices=("seed", "cow"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    with database_server("orgreg-bench-known-") as server_url:
        started = time.perf_counter()
        url = asyncio.run(build_database(server_url, args.size))
        print(f"{args.size}: database built in {time.perf_counter() - started:.0f} s", flush=True)
        rows = bench(url, args.size, args.duration, args.connections)
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "size": args.size,
        "duration_s": args.duration,
        "connections": args.connections,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "known_at.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    (RESULTS / "known_at.md").write_text(markdown(rows, meta))
    print(markdown(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
