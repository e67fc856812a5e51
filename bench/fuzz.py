"""Fuzz the live service with schemathesis: every operation, writes authenticated (with the
If-Match and Idempotency-Key they need, see bench/fuzz_hooks.py), no 5xx, every response
conforming to the documented schema.

    .venv/bin/python bench/fuzz.py [--seconds 300]

Starts a throw-away database (embedded PostgreSQL, or a fresh database on DATABASE_URL's
server), migrates it, creates an admin key, serves the app with uvicorn on a free loopback
port, and runs `schemathesis run` with all checks except two that do not fit this API:
`positive_data_acceptance` (a schema-valid but unknown cursor or slug is rightly a 400/404)
and `allow_header_conformance` (Starlette lists the methods of the first route matching a path).
DELETE /v1/keys is excluded so the run cannot revoke its own key.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from app.services.keys import create_key  # noqa: E402
from app.vocabulary import Scope  # noqa: E402
from bench.processes import (  # noqa: E402
    database_server,
    free_port,
    migrated_database,
    stop,
    wait_ready,
)

BIN = Path(sys.executable).parent


async def prepare(server_url: str) -> tuple[str, str]:
    url = await migrated_database(server_url, "orgreg_fuzz")
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        _, secret = await create_key(session, "fuzz", [Scope.admin], None)
    await engine.dispose()
    return url, secret


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=300, help="schemathesis time budget")
    args = parser.parse_args()
    with database_server("orgreg-fuzz-") as server_url:
        url, secret = asyncio.run(prepare(server_url))
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "ORGREG_LOG_LEVEL": "warning"}
        service = subprocess.Popen(
            [str(BIN / "orgreg"), "serve", "--no-migrate", "--port", str(port)], env=env
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(f"{base}/readyz", service)
            hooks = {
                "SCHEMATHESIS_HOOKS": "bench.fuzz_hooks",
                "ORGREG_FUZZ_BASE": base,
                "PYTHONPATH": str(ROOT),
            }
            return subprocess.call(
                [
                    str(BIN / "schemathesis"),
                    "run",
                    f"{base}/openapi.json",
                    "-H",
                    f"Authorization: Bearer {secret}",
                    "--checks",
                    "all",
                    "--exclude-checks",
                    "positive_data_acceptance,allow_header_conformance",
                    "--exclude-path",
                    "/v1/keys/{key_id}",
                    "--max-time",
                    str(args.seconds),
                    "--workers",
                    "2",
                ],
                env={**os.environ, **hooks},
            )
        finally:
            stop(service)


if __name__ == "__main__":
    sys.exit(main())
