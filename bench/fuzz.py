"""Fuzz the live service with schemathesis: every operation, writes authenticated, no 5xx,
every response conforming to the documented schema.

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
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402

from app import embedded_postgres  # noqa: E402
from app.services.health import alembic_config  # noqa: E402
from app.services.keys import create_key  # noqa: E402
from app.vocabulary import Scope  # noqa: E402

BIN = Path(sys.executable).parent


async def prepare(server_url: str) -> tuple[str, str]:
    name = f"orgreg_fuzz_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        _, secret = await create_key(session, "fuzz", [Scope.admin], None)
    await engine.dispose()
    return url, secret


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=300, help="schemathesis time budget")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orgreg-fuzz-") as tmp:
        server_url = os.environ.get("DATABASE_URL")
        if not server_url:
            os.chmod(tmp, 0o755)
            _, server_url = embedded_postgres.start(Path(tmp) / "pg", cleanup_mode="delete")
        url, secret = asyncio.run(prepare(server_url))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "DATABASE_URL": url, "ORGREG_LOG_LEVEL": "warning"}
        service = subprocess.Popen(
            [str(BIN / "orgreg"), "serve", "--no-migrate", "--port", str(port)], env=env
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the service did not start")
                time.sleep(0.2)
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
                ]
            )
        finally:
            service.terminate()
            service.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
