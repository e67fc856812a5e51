"""The benchmark harness: the service as it runs in production, under load from another process,
at several data sizes, reported as a share of the framework's ceiling.

    .venv/bin/python bench/run.py                       # seed and 10k organizations, 10 s runs
    .venv/bin/python bench/run.py --sizes seed,10k,100k --duration 15
    .venv/bin/python bench/run.py --sizes seed,cow   # real data: the COW IGO import

For each data size it builds a database (the migrations' seed, plus synthetic organizations,
memberships across all ISO countries and membership events: 10k -> 100k events, 100k -> 1M;
`cow` imports the Correlates of War IGO file instead: about 535 organizations, 17,600 memberships;
10 memberships per synthetic organization, so 100k exports 1M period rows),
starts `orgreg serve` with 1 and 2 uvicorn workers, and drives each endpoint with wrk (Debian's
package; an httpx driver in a separate process when wrk is missing) over loopback with 32
connections. In the same run it measures the ceiling: a minimal FastAPI endpoint returning a
small constant JSON (bench/ceiling.py) on the same uvicorn and worker count. Absolute numbers
on a shared 2-core machine are noise; the ratio to the ceiling is the result. The full export is
timed against PostgreSQL's own COPY of the same rows, and the server's RSS is sampled while it
streams. Results go to bench/results/latest.{json,md} and a latency plot latest.svg
(`--no-cache --output uncached` measures the path a cache miss takes, into uncached.*).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from app.db import driver_connection  # noqa: E402
from app.services.cow_igo.importer import import_cow_igo  # noqa: E402
from app.services.exports import CSV_QUERIES  # noqa: E402
from bench import keys  # noqa: E402
from bench.processes import (  # noqa: E402
    database_server,
    free_port,
    migrated_database,
    stop,
    wait_ready,
)
from bench.synthetic import add_synthetic  # noqa: E402
from bench.writes import measure_writes  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
SIZES = {
    "seed": (0, 0),
    "cow": (0, 0),  # the seed plus the full COW IGO import (--cow-file)
    "10k": (10_000, 100_000),
    "100k": (100_000, 1_000_000),
}
COW_FILE = ROOT / "seed" / "cow-igo-v3" / "igo_year_formatv3.csv.gz"


def unfccc_id() -> str:
    with (ROOT / "seed" / "organizations.csv").open(encoding="utf-8") as handle:
        return next(row["id"] for row in csv.DictReader(handle) if row["slug"] == "unfccc")


ENDPOINTS = {
    "organization by id": f"/v1/organizations/{unfccc_id()}",
    "list page of 50, filtered": "/v1/organizations?system=un&page_size=50",
    "search q": "/v1/organizations?q=climate&page_size=20",
    "autocomplete": "/v1/organizations/autocomplete?q=inter",
    "country memberships as_of": "/v1/countries/US/memberships?as_of=2026-01-06&page_size=50",
    "organization members as_of": "/v1/organizations/who/memberships?as_of=2026-01-06&page_size=50",
    "timeline": "/v1/countries/US/timeline?organization=who",
}
"""The fixed URL of each read, for `--keys fixed` (after the first request, a cache hit)."""
VARIED_PATHS = 20_000
"""Paths drawn per endpoint for `--keys varied` (bench/keys.py)."""
WRK_SCRIPT = ROOT / "bench" / "varied.lua"


def run_wrk(
    url: str, duration: int, connections: int, paths_file: Path | None = None
) -> dict[str, float]:
    script = ["-s", str(WRK_SCRIPT)] if paths_file else []
    extra = ["--", str(paths_file)] if paths_file else []
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *script, url, *extra],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(g) for g in socket_errors.groups()) if socket_errors else 0
    )
    return {
        "rps": rps,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": errors,
        "requests": total,
    }


def run_driver(
    url: str, duration: int, connections: int, paths_file: Path | None = None
) -> dict[str, float]:
    driver = [sys.executable, str(ROOT / "bench" / "driver.py"), url, str(duration)]
    output = subprocess.run(
        [*driver, str(connections), *([str(paths_file)] if paths_file else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(output))


def load(
    url: str, duration: int, connections: int, paths_file: Path | None = None
) -> dict[str, float]:
    """`url` alone, or with `paths_file` each request the next path of the file on its host."""
    return (run_wrk if shutil.which("wrk") else run_driver)(url, duration, connections, paths_file)


def rss_kb(pid: int) -> int:
    total = 0
    for candidate in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in found] + [g for c in found for g in children(int(c))]


async def copy_seconds(url: str) -> tuple[float, int]:
    """How long PostgreSQL's own COPY takes to hand over the export's rows (the baseline)."""
    connection = await driver_connection(url)
    started = time.perf_counter()
    sink = bytearray()

    async def keep(data: bytes) -> None:
        sink.extend(data)

    await connection.copy_from_query(
        CSV_QUERIES["memberships"], output=keep, format="csv", header=True
    )
    elapsed = time.perf_counter() - started
    await connection.close()
    return elapsed, sink.count(b"\n")


def measure_export(base: str, pid: int) -> dict[str, float]:
    before = rss_kb(pid)
    peak = before
    started = time.perf_counter()
    lines = 0
    with httpx.stream("GET", f"{base}/v1/export/memberships?format=csv", timeout=600) as response:
        for chunk in response.iter_bytes():
            lines += chunk.count(b"\n")
            peak = max(peak, rss_kb(pid))
    return {
        "seconds": time.perf_counter() - started,
        "lines": lines,
        "rss_growth_mb": (peak - before) / 1024,
    }


async def build_database(server_url: str, size: str, cow_file: Path = COW_FILE) -> str:
    organizations, events = SIZES[size]
    url = await migrated_database(server_url, f"orgreg_bench_{size}")
    if size == "cow":
        report = await import_cow_igo(url, cow_file, dry_run=False, actor="bench", reason=None)
        print(report.render().splitlines()[1], file=sys.stderr)
    if organizations:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await add_synthetic(conn, organizations, events)
        await engine.dispose()
    return url


def write_paths(url: str, size: str) -> dict[str, Path]:
    """For each read, VARIED_PATHS paths drawn from the data (bench/keys.py), in a file."""
    folder = RESULTS / "paths"
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in ENDPOINTS:
        drawn = asyncio.run(keys.paths(url, name, VARIED_PATHS))
        files[name] = folder / f"{size}-{re.sub(r'[^a-z0-9]+', '-', name)}.txt"
        files[name].write_text("\n".join(drawn) + "\n", encoding="utf-8")
    return files


def measure_ceiling(workers: int, duration: int, connections: int) -> dict[str, float]:
    """A minimal FastAPI endpoint on the same server, listener and worker count."""
    port = free_port()
    ceiling = subprocess.Popen(
        [str(BIN / "python"), "-m", "bench.ceiling", str(port), str(workers)], cwd=ROOT
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/hello", ceiling, workers=workers)
        load(f"http://127.0.0.1:{port}/hello", 2, connections)
        return load(f"http://127.0.0.1:{port}/hello", duration, connections)
    finally:
        stop(ceiling)


def bench_size(
    url: str,
    size: str,
    workers_list: list[int],
    duration: int,
    connections: int,
    cache: bool,
    key_modes: list[str],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    varied = write_paths(url, size) if "varied" in key_modes else {}
    for workers in workers_list:
        top = measure_ceiling(workers, duration, connections)
        rows.append(
            {
                "size": size,
                "workers": workers,
                "endpoint": "ceiling (minimal FastAPI)",
                **top,
                "ratio": 1.0,
            }
        )
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "ORGREG_WEBHOOK_WORKER": "false",
            "ORGREG_LOG_LEVEL": "warning",
            "ORGREG_DB_POOL_SIZE": "20",
            "ORGREG_RESPONSE_CACHE": "true" if cache else "false",
            "ORGREG_WEBHOOK_ALLOWED_HOSTS": '["127.0.0.1"]',
        }
        service = subprocess.Popen(
            [
                str(BIN / "orgreg"),
                "serve",
                "--no-migrate",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(f"{base}/readyz", service, workers=workers)
            for mode in key_modes:
                for name, path in ENDPOINTS.items():
                    paths_file = varied.get(name) if mode == "varied" else None
                    target = base if paths_file else base + path
                    load(target, 2, connections, paths_file)  # warm up
                    result = load(target, duration, connections, paths_file)
                    rows.append(
                        {
                            "size": size,
                            "workers": workers,
                            "keys": mode,
                            "endpoint": name,
                            **result,
                            "ratio": result["rps"] / top["rps"],
                        }
                    )
                    print(
                        f"{size:>5} w{workers} {mode:<6} {name:<28} {result['rps']:8.0f} req/s "
                        f"({result['rps'] / top['rps']:.0%}) p99 {result['p99_ms']:.1f} ms",
                        flush=True,
                    )
            for per_request in (1, 50):
                writes = measure_writes(base, url, duration, per_request=per_request)
                rows.append(
                    {
                        "size": size,
                        "workers": workers,
                        "endpoint": "membership event writes",
                        **writes,
                    }
                )
                print(
                    f"{size:>5} w{workers} writes, {per_request} per request: "
                    f"{writes['events_per_s']:.0f} events/s, {writes['acknowledged']} "
                    f"acknowledged, {writes['revisions']} revisions, {writes['lost']} lost",
                    flush=True,
                )
            if workers == 1:
                export = measure_export(base, service.pid)
                baseline, copied = asyncio.run(copy_seconds(url))
                rows.append(
                    {
                        "size": size,
                        "workers": workers,
                        "endpoint": "full export (CSV)",
                        "seconds": export["seconds"],
                        "lines": export["lines"],
                        "rss_growth_mb": export["rss_growth_mb"],
                        "copy_seconds": baseline,
                        "copy_lines": copied,
                    }
                )
        finally:
            stop(service)
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| size | workers | keys | endpoint | req/s | share of ceiling | p50 ms | p99 ms "
        "| errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(
        (r for r in rows if "rps" in r),
        key=lambda r: (r.get("keys", "") != "varied", r["size"] != "seed", r["workers"]),
    ):
        lines.append(
            f"| {r['size']} | {r['workers']} | {r.get('keys', '')} | {r['endpoint']} "
            f"| {r['rps']:.0f} | {r['ratio']:.0%} "
            f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} |"
        )
    lines += [
        "",
        "| size | workers | events per request | event writes/s (8 writers) | acknowledged "
        "| in revision history | lost | non-201 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "events_per_s" in r:
            lines.append(
                f"| {r['size']} | {r['workers']} | {r['per_request']} | {r['events_per_s']:.0f} "
                f"| {r['acknowledged']} | {r['revisions']} | {r['lost']} | {r['non_201']} |"
            )
    lines += [
        "",
        "| size | export lines | export s | COPY s | export / COPY | server RSS growth MB |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "copy_seconds" in r:
            lines.append(
                f"| {r['size']} | {r['lines']} | {r['seconds']:.2f} | {r['copy_seconds']:.2f} "
                f"| {r['seconds'] / max(r['copy_seconds'], 1e-9):.1f}x | {r['rss_growth_mb']:.1f} |"
            )
    return "\n".join(lines + growth_table(rows)) + "\n"


def growth_table(rows: list[dict[str, Any]]) -> list[str]:
    """Cost growth: each read's p50 at every size, as a multiple of its p50 at the seed size."""
    reads = [
        r
        for r in rows
        if "p50_ms" in r and r["endpoint"] in ENDPOINTS and r.get("keys") == "varied"
    ]
    at_seed = {(r["workers"], r["endpoint"]): r["p50_ms"] for r in reads if r["size"] == "seed"}
    sizes = list(dict.fromkeys(r["size"] for r in reads if r["size"] != "seed"))
    if not at_seed or not sizes:
        return []
    lines = [
        "",
        "| workers | endpoint | p50 at seed ms | "
        + " | ".join(f"p50 at {s} / at seed" for s in sizes)
        + " |",
        "|---|---|---|" + "---|" * len(sizes),
    ]
    for (workers, endpoint), base in at_seed.items():
        cells = [
            next(
                (
                    f"{r['p50_ms'] / base:.2f}x"
                    for r in reads
                    if (r["size"], r["workers"], r["endpoint"]) == (size, workers, endpoint)
                ),
                "-",
            )
            for size in sizes
        ]
        lines.append(f"| {workers} | {endpoint} | {base:.1f} | " + " | ".join(cells) + " |")
    return lines


def svg_plot(rows: list[dict[str, Any]], sizes: list[str]) -> str:
    """p99 latency (workers=1) against data size, one line per endpoint."""
    width, height, left, bottom = 720, 400, 60, 40
    series = {
        name: [
            next(
                (
                    r["p99_ms"]
                    for r in rows
                    if r.get("endpoint") == name
                    and r["size"] == s
                    and r["workers"] == 1
                    and r.get("keys") == "varied"
                    and "p99_ms" in r
                ),
                None,
            )
            for s in sizes
        ]
        for name in ENDPOINTS
    }
    peak = max([v for values in series.values() for v in values if v] + [1.0])
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{width / 2}" y="16" text-anchor="middle">'
        "p99 latency (ms, 1 worker, varied keys) by data size</text>",
    ]
    x_of = {
        s: left + i * (width - left - 200) / max(len(sizes) - 1, 1) for i, s in enumerate(sizes)
    }
    for s, x in x_of.items():
        parts.append(f'<text x="{x}" y="{height - bottom + 18}" text-anchor="middle">{s}</text>')
    for k in range(5):
        y = height - bottom - k * (height - bottom - 30) / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 200}" y1="{y}" y2="{y}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{peak * k / 4:.0f}</text>'
        )
    for i, (name, values) in enumerate(series.items()):
        points = [
            (x_of[s], height - bottom - v / peak * (height - bottom - 30))
            for s, v in zip(sizes, values, strict=True)
            if v is not None
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline fill="none" stroke="{colors[i % 6]}" stroke-width="2" points="{path}"/>'
        )
        parts.append(
            f'<text x="{width - 190}" y="{40 + i * 16}" fill="{colors[i % 6]}">{name}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,10k")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="turn the response cache off: measure the path every cache miss takes",
    )
    parser.add_argument(
        "--keys",
        default="varied,fixed",
        help="varied: every request a different key drawn from the data, as clients ask; "
        "fixed: one URL per endpoint (a response-cache hit after the first)",
    )
    parser.add_argument(
        "--output", default="latest", help="name of the result files in bench/results"
    )
    parser.add_argument(
        "--cow-file",
        type=Path,
        default=COW_FILE,
        help="igo_year_formatv3.csv, imported for the size `cow`",
    )
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    workers = [int(w) for w in args.workers.split(",")]
    rows: list[dict[str, Any]] = []
    with database_server("orgreg-bench-") as server_url:
        for size in sizes:
            started = time.perf_counter()
            url = asyncio.run(build_database(server_url, size, args.cow_file))
            print(f"{size}: database built in {time.perf_counter() - started:.0f} s", flush=True)
            rows += bench_size(
                url,
                size,
                workers,
                args.duration,
                args.connections,
                not args.no_cache,
                args.keys.split(","),
            )
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "driver": "wrk" if shutil.which("wrk") else "httpx",
        "duration_s": args.duration,
        "connections": args.connections,
        "response_cache": not args.no_cache,
        "keys": args.keys,
    }
    name = args.output
    cache = "response cache off" if args.no_cache else "response cache on"
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    (RESULTS / f"{name}.md").write_text(
        f"Run {meta['when']}, {meta['cpus']} CPUs, {meta['driver']}, {args.connections} "
        f"connections, {args.duration} s per endpoint, {cache}.\n\n" + markdown(rows)
    )
    (RESULTS / f"{name}.svg").write_text(svg_plot(rows, sizes))
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
