"""`orgreg serve --workers 2`: each worker takes its share of new connections, and one that
dies is replaced while the other keeps answering."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.processes import ESTABLISHED, free_port, stop, tcp_sockets, wait_ready

BIN = Path(sys.executable).parent
CONNECTIONS = 32


@contextmanager
def _two_workers(database_url: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "ORGREG_LOG_LEVEL": "warning"}
    service = subprocess.Popen(
        [str(BIN / "orgreg"), "serve", "--no-migrate", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{base}/readyz", service, workers=2)
        yield service, base
    finally:
        stop(service)


def _workers(supervisor: int) -> set[int]:
    listed = subprocess.run(
        ["pgrep", "-P", str(supervisor), "-f", "spawn_main"], capture_output=True, text=True
    )
    return {int(pid) for pid in listed.stdout.split()}


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _connections_per_worker(port: int, workers: set[int]) -> Counter[int]:
    """Established connections on `port`, by the worker holding them."""
    inodes = tcp_sockets(port, ESTABLISHED)
    held: Counter[int] = Counter()
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            match = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(fd))
            if match and match.group(1) in inodes:
                held[pid] += 1
    return held


async def _burst(base: str) -> list[httpx.AsyncClient]:
    """CONNECTIONS clients connecting at once, as a client's pool does; left open."""
    clients = [httpx.AsyncClient(base_url=base) for _ in range(CONNECTIONS)]
    answers = await asyncio.gather(*(client.get("/healthz") for client in clients))
    assert {answer.status_code for answer in answers} == {200}
    return clients


async def test_new_connections_are_spread_over_the_workers(committed_db: str) -> None:
    with _two_workers(committed_db) as (service, base):
        workers = _workers(service.pid)
        assert len(workers) == 2
        clients = await _burst(base)
        try:
            held = _connections_per_worker(int(base.rsplit(":", 1)[1]), workers)
        finally:
            await asyncio.gather(*(client.aclose() for client in clients))
    assert sum(held.values()) == CONNECTIONS
    # The kernel hashes connections over the two sockets: fewer than 6 of 32 on one worker
    # happens about once in 10,000 runs. One shared socket gives most bursts to one worker.
    assert min(held[pid] for pid in workers) >= 6, held


async def test_a_killed_worker_is_replaced_while_the_other_answers(committed_db: str) -> None:
    with _two_workers(committed_db) as (service, base):
        first, second = sorted(_workers(service.pid))
        os.kill(first, signal.SIGKILL)
        while _running(first):  # noqa: ASYNC110 (its socket closes as it dies; polled from /proc)
            await asyncio.sleep(0.01)
        statuses = []
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            async with httpx.AsyncClient(base_url=base, timeout=5) as fresh:
                statuses.append((await fresh.get("/healthz")).status_code)
            replacements = _workers(service.pid) - {first, second}
            if replacements and len(statuses) >= 20:
                break
            await asyncio.sleep(0.05)
        assert replacements, "no worker replaced the killed one"
        assert set(statuses) == {200}
        assert second in _workers(service.pid)
