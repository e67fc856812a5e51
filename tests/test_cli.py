"""The `orgreg` command, run as a subprocess against a real database."""

from __future__ import annotations

import csv
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.conftest import migrate

BIN = Path(sys.executable).parent


def orgreg(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "orgreg"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": database_url, "ORGREG_LOAD_HISTORY": "false"},
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
    unknown = orgreg(committed_db, "keys", "revoke", "key_nope")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "orgreg: resource not found: No API key with id 'key_nope'."


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

    dry = orgreg(committed_db, "import", "events", str(good), "--dry-run")
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
    failed = orgreg(committed_db, "import", "events", str(bad))
    assert failed.returncode == 1
    assert (
        "row 2" in failed.stdout
        and "row 3" in failed.stdout
        and "nothing was written" in failed.stdout
    )
    assert await count(db, "SELECT count(*) FROM membership_events") == before

    applied = orgreg(committed_db, "import", "events", str(good), "--reason", "bulk load")
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
    assert orgreg(committed_db, "import", "events", str(unreadable)).returncode == 2


def test_import_cow_igo_reports_and_refuses_other_files(committed_db: str, tmp_path: Path) -> None:
    sample = Path(__file__).parent / "fixtures" / "cow_igo_sample.csv"
    dry = orgreg(committed_db, "import", "cow-igo", str(sample), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert dry.stdout.startswith("6 IGOs: ") and "Dry run: nothing was written." in dry.stdout
    assert "States without" not in dry.stdout  # the Republic of Vietnam is XV now
    other = tmp_path / "other.csv"
    other.write_text("country,year\nUS,1990\n")
    refused = orgreg(committed_db, "import", "cow-igo", str(other))
    assert refused.returncode == 2
    assert refused.stderr.strip().endswith("missing deaddate, ioname, ionum, orgname, sdate")


def test_check_cow_igo_compares_every_cell(committed_db: str) -> None:
    sample = Path(__file__).parent / "fixtures" / "cow_igo_sample.csv"
    assert orgreg(committed_db, "import", "cow-igo", str(sample)).returncode == 0
    check = orgreg(committed_db, "check", "cow-igo", str(sample))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Ties where COW has none and no curated event says so: 0" in check.stdout
    assert "(lost): 0; tie cells with no record of the pair: 0" in check.stdout
    ties = re.search(r"COW codes a tie \(1-3\): ([\d,]+) cells\. agrees ([\d,]+)", check.stdout)
    assert ties is not None
    assert int(ties[2].replace(",", "")) > 0.9 * int(ties[1].replace(",", ""))


def test_bad_setting_stops_with_its_name() -> None:
    result = subprocess.run(
        [str(BIN / "orgreg"), "serve"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ORGREG_PORT": "eighty", "DATABASE_URL": "postgresql://x@h/db"},
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("orgreg: invalid setting ORGREG_PORT")
    assert "Traceback" not in result.stderr


def test_a_bad_database_url_is_named_as_given() -> None:
    for name in ("DATABASE_URL", "ORGREG_DATABASE_URL"):
        environment = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
        result = subprocess.run(
            [str(BIN / "orgreg"), "db", "current"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**environment, name: "notaurl"},
            check=False,
        )
        assert result.returncode == 1
        assert result.stderr.startswith(f"orgreg: invalid setting {name}: "), result.stderr


async def test_a_refused_login_is_not_called_unreachable(committed_db: str) -> None:
    host = committed_db.split("@", 1)[1]
    result = orgreg(f"postgresql://no_such_role_here@{host}", "db", "current")
    assert result.returncode == 1
    assert "refused the login" in result.stderr and "no_such_role_here" in result.stderr
    assert "cannot reach" not in result.stderr
    database = host.rsplit("/", 1)[0] + "/no_such_database_here"
    missing = orgreg(
        f"postgresql://{committed_db.split('://', 1)[1].split('@')[0]}@{database}", "db", "current"
    )
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_unreachable_database_is_one_line_without_the_password() -> None:
    result = orgreg("postgresql://alice:s3cr3t-pw@127.0.0.1:1/registry", "db", "current")
    assert result.returncode == 1
    assert "cannot reach the database" in result.stderr and "DATABASE_URL" in result.stderr
    assert "s3cr3t-pw" not in result.stderr and "Traceback" not in result.stderr
    debug = orgreg("postgresql://alice:s3cr3t-pw@127.0.0.1:1/registry", "--debug", "db", "current")
    assert "Traceback" in debug.stderr


def test_port_in_use(committed_db: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = orgreg(committed_db, "serve", "--port", str(port))
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


async def test_serve_refuses_a_schema_behind(create_database: Callable[[], Awaitable[str]]) -> None:
    url = await create_database()
    await migrate(url, "0003")
    result = orgreg(url, "serve", "--no-migrate", "--port", "1")
    assert result.returncode == 1 and "run `orgreg db upgrade`" in result.stderr
    assert orgreg(url, "db", "upgrade", "0010").returncode == 0
    assert "0010" in orgreg(url, "db", "current").stdout
    assert orgreg(url, "db", "upgrade", "head").returncode == 0
    assert orgreg(url, "db", "current").returncode == 0
    assert orgreg(url, "db", "check").returncode == 0


async def test_export_to_stdout_and_file(
    committed_db: str, db: AsyncEngine, tmp_path: Path
) -> None:
    result = orgreg(committed_db, "export", "organizations")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == await count(
        db, "SELECT count(*) FROM organizations WHERE deleted_at IS NULL AND merged_into_id IS NULL"
    )
    target = tmp_path / "periods.csv"
    written = orgreg(
        committed_db, "export", "memberships", "--format", "csv", "--output", str(target)
    )
    assert written.returncode == 0 and f"to {target}" in written.stderr
    with target.open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == await count(
            db, "SELECT count(*) FROM status_periods"
        )
    assert orgreg(committed_db, "export", "people").returncode != 0
