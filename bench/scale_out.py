"""Scale-out: the same varied-key reads with and without a streaming replica, 1 and 2 workers.

    .venv/bin/python bench/scale_out.py --duration 4      # -> bench/results/scale_out.{md,json}

It starts a throw-away embedded PostgreSQL and a streaming replica of it (`pg_basebackup -R`,
the package's own binaries), loads the seed and the COW history on the primary, and waits for
the replica to replay it. Then, for each worker count, it measures the ceiling and serves the
registry twice: on the primary alone, and with `ORGREG_REPLICA_URL` (anonymous reads go to the
replica). Besides req/s and p99 it reports the CPU seconds each PostgreSQL server spent per
1,000 requests, which shows where the reads went. Response cache off: every request reaches a
database. Everything runs on this one machine, so primary, replica, service and load share its
cores; the numbers say what a replica takes off the primary, not what a second machine adds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.processes import (  # noqa: E402
    free_port,
    on_database,
    replicated_server,
    stop,
    wait_ready,
)
from bench.run import (  # noqa: E402
    BIN,
    RESULTS,
    build_database,
    load,
    measure_ceiling,
    write_paths,
)

READS = ("organization by id", "country memberships as_of", "search q")


def postgres_cpu_seconds(data_dir: Path) -> float:
    """CPU time of a PostgreSQL server: its postmaster (first line of postmaster.pid) and every
    process it started, including those that have exited (children's times)."""
    pid = int((data_dir / "postmaster.pid").read_text().splitlines()[0])
    postmaster = psutil.Process(pid)
    total = sum(postmaster.cpu_times()[:4])  # user, system, children_user, children_system
    for child in postmaster.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            continue
    return float(total)


async def replica_caught_up(primary_url: str, replica_url: str, seconds: float = 120) -> None:
    primary = create_async_engine(primary_url)
    replica = create_async_engine(replica_url)
    try:
        async with primary.connect() as connection:
            wanted = (await connection.execute(text("SELECT version FROM data_version"))).scalar()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                async with replica.connect() as connection:
                    version = await connection.execute(text("SELECT version FROM data_version"))
                    if version.scalar() == wanted:
                        return
            except Exception:  # the database may not have reached the replica yet
                pass
            await asyncio.sleep(0.5)
        raise SystemExit("the replica did not catch up")
    finally:
        await primary.dispose()
        await replica.dispose()


def serve(url: str, replica_url: str | None, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ORGREG_WEBHOOK_WORKER": "false",
        "ORGREG_LOG_LEVEL": "warning",
        "ORGREG_DB_POOL_SIZE": "20",
        "ORGREG_RESPONSE_CACHE": "false",
    }
    if replica_url:
        env["ORGREG_REPLICA_URL"] = replica_url
    command = [str(BIN / "orgreg"), "serve", "--no-migrate", "--port", str(port)]
    service = subprocess.Popen([*command, "--workers", str(workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    wait_ready(f"{base}/readyz", service, workers=workers)
    return service, base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with replicated_server("orgreg-scale-") as server:
        url = asyncio.run(build_database(server.primary_url, "cow"))
        replica_url = on_database(server.standby_url, url)
        asyncio.run(replica_caught_up(url, replica_url))
        directories = {"primary": server.primary_data_dir, "replica": server.standby.data_dir}
        paths = write_paths(url, "scale-out")
        for workers in (int(w) for w in args.workers.split(",")):
            ceiling = measure_ceiling(workers, args.duration, args.connections)
            for replica in (None, replica_url):
                service, base = serve(url, replica, workers)
                try:
                    for name in READS:
                        load(base, 2, args.connections, paths[name])  # warm up
                        before = {k: postgres_cpu_seconds(d) for k, d in directories.items()}
                        result = load(base, args.duration, args.connections, paths[name])
                        after = {k: postgres_cpu_seconds(d) for k, d in directories.items()}
                        per_1000 = {
                            f"{k}_cpu_s_per_1000": (after[k] - before[k])
                            / max(result["requests"], 1)
                            * 1000
                            for k in directories
                        }
                        row = {
                            "workers": workers,
                            "replica": bool(replica),
                            "endpoint": name,
                            **result,
                            "ratio": result["rps"] / ceiling["rps"],
                            **per_1000,
                        }
                        rows.append(row)
                        print(
                            f"w{workers} {'replica' if replica else 'primary':<8} {name:<26} "
                            f"{result['rps']:7.0f} req/s ({row['ratio']:.0%}) "
                            f"p99 {result['p99_ms']:.1f} ms, PostgreSQL CPU per 1000: "
                            f"primary {row['primary_cpu_s_per_1000']:.2f} s, "
                            f"replica {row['replica_cpu_s_per_1000']:.2f} s",
                            flush=True,
                        )
                finally:
                    stop(service)
    RESULTS.mkdir(exist_ok=True)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    meta = {"when": when, "cpus": os.cpu_count(), "duration_s": args.duration}
    (RESULTS / "scale_out.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    (RESULTS / "scale_out.md").write_text(markdown(meta, rows))
    print(f"wrote {RESULTS / 'scale_out.md'}")
    return 0


def markdown(meta: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    lines = [
        f"Run {meta['when']}, {meta['cpus']} CPUs, wrk, 32 connections, {meta['duration_s']} s "
        "per read, varied keys, response cache off, COW data.",
        "",
        "| workers | reads from | read | req/s | share of ceiling | p99 ms | errors "
        "| primary CPU s per 1000 | replica CPU s per 1000 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['workers']} | {'replica' if r['replica'] else 'primary'} | {r['endpoint']} "
            f"| {r['rps']:.0f} | {r['ratio']:.0%} | {r['p99_ms']:.1f} | {r['errors']:.0f} "
            f"| {r['primary_cpu_s_per_1000']:.2f} | {r['replica_cpu_s_per_1000']:.2f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
