"""The `orgreg` command, run as a subprocess against a real database."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

BIN = Path(sys.executable).parent


def orgreg(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "orgreg"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": database_url},
        check=False,
    )


@pytest.fixture(scope="module")
async def db(committed_db: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(committed_db)
    yield engine
    await engine.dispose()


async def count(db: AsyncEngine, sql: str) -> int:
    async with db.connect() as conn:
        return int((await conn.execute(text(sql))).scalar_one())


def test_version() -> None:
    result = subprocess.run(
        [str(BIN / "orgreg"), "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("orgreg ")


async def test_keys_create_list_revoke(committed_db: str, db: AsyncEngine) -> None:
    created = orgreg(committed_db, "keys", "create", "--name", "cli-admin", "--scope", "admin")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("orgreg_") and secret not in created.stderr
    listed = orgreg(committed_db, "keys", "list")
    assert "cli-admin" in listed.stdout and secret not in listed.stdout
    key_id = next(line.split("\t")[0] for line in listed.stdout.splitlines() if "cli-admin" in line)
    assert orgreg(committed_db, "keys", "revoke", key_id).returncode == 0
    assert (
        await count(
            db, f"SELECT count(*) FROM api_keys WHERE id = '{key_id}' AND revoked_at IS NOT NULL"
        )
        == 1
    )
    bad = orgreg(committed_db, "keys", "create", "--name", "x", "--scope", "root")
    assert bad.returncode != 0


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


async def test_import_all_or_nothing(committed_db: str, db: AsyncEngine, tmp_path: Path) -> None:
    async with db.connect() as conn:
        source = (
            await conn.execute(text("SELECT id FROM sources ORDER BY id LIMIT 1"))
        ).scalar_one()
    rows = [
        {
            "country": "IT",
            "organization": "iccrom",
            "basis": "member_state",
            "type": "joined",
            "date": "1959",
            "sources": source,
            "note": "Host state.",
        },
        {
            "country": "IT",
            "organization": "iccrom",
            "basis": "",
            "type": "withdrawal_announced",
            "date": "2030-01-01",
            "sources": source,
            "note": "",
        },
    ]
    good = tmp_path / "events.csv"
    _write_csv(good, rows)
    before = await count(db, "SELECT count(*) FROM membership_events")

    dry = orgreg(committed_db, "import", str(good), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "would add 2 events and 1 memberships" in dry.stdout and "Dry run" in dry.stdout
    assert await count(db, "SELECT count(*) FROM membership_events") == before

    bad = tmp_path / "bad.ndjson"
    bad.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {**rows[0], "sources": [source]},
                {
                    "country": "IT",
                    "organization": "iccrom",
                    "type": "withdrawal_effective",
                    "date": "1960",
                    "sources": [source],
                },
                {
                    "country": "ZZ",
                    "organization": "iccrom",
                    "type": "joined",
                    "date": "1960",
                    "sources": [source],
                    "basis": "member_state",
                },
            ]
        )
    )
    failed = orgreg(committed_db, "import", str(bad))
    assert failed.returncode == 1
    assert (
        "row 2" in failed.stdout
        and "row 3" in failed.stdout
        and "nothing was written" in failed.stdout
    )
    assert await count(db, "SELECT count(*) FROM membership_events") == before

    applied = orgreg(committed_db, "import", str(good), "--reason", "bulk load")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert await count(db, "SELECT count(*) FROM membership_events") == before + 2
    assert (
        await count(
            db, "SELECT count(*) FROM revisions WHERE actor = 'import' AND reason = 'bulk load'"
        )
        == 3
    )

    unreadable = tmp_path / "events.txt"
    unreadable.write_text("x")
    assert orgreg(committed_db, "import", str(unreadable)).returncode == 2
