"""Load from a separate process when wrk is not installed: N connections for D seconds.

python bench/driver.py URL SECONDS CONNECTIONS [PATHS_FILE]   -> JSON: rps, p50_ms, p99_ms, errors

With PATHS_FILE, each request takes the next path of the file on URL's host (varied keys).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
import sys
import time

import httpx


async def drive(
    url: str, seconds: float, connections: int, paths: list[str] | None = None
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    targets = itertools.cycle([url.rstrip("/") + p for p in paths] if paths else [url])

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await client.get(next(targets))
                if response.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(connections)))
        elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": quantiles[49],
        "p99_ms": quantiles[98],
        "errors": errors,
        "requests": len(latencies),
    }


if __name__ == "__main__":
    given = open(sys.argv[4]).read().split() if len(sys.argv) > 4 else None  # noqa: SIM115
    print(json.dumps(asyncio.run(drive(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), given))))
