"""`orgreg import contributions`, run as a subprocess against a database of its own (the
writes commit): all rows or none, under the API's rules."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.services.contribution_import import COLUMNS
from tests.test_cli import orgreg

COUNT = "SELECT count(*) FROM contributions WHERE country_code IN ('AQ', 'BV', 'HM')"


@pytest.fixture(scope="module")
async def db(committed_db: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(committed_db)
    yield engine
    await engine.dispose()


async def scalar(db: AsyncEngine, sql: str) -> object:
    async with db.connect() as conn:
        return (await conn.execute(text(sql))).scalar_one()


async def a_source(db: AsyncEngine) -> str:
    return str(await scalar(db, "SELECT id FROM sources ORDER BY id LIMIT 1"))


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def good_rows(source: str) -> list[dict[str, str]]:
    return [
        {
            "country": "AQ",
            "recipient": "organization",
            "organization": "who",
            "kind": "assessed",
            "period_start": "2022-10",
            "period_end": "2023-09",
            "period_type": "fiscal",
            "period_label": "FY2023",
            "amount": "1500000",
            "currency": "USD",
            "amount_qualifier": "about",
            "share": "0.015",
            "verification": "partial",
            "note": "Import test row.",
            "sources": f"{source};{source}",
        },
        {
            "country": "BV",
            "recipient": "un_system",
            "kind": "total",
            "period_start": "2023",
            "period_end": "2023",
            "share": "0.001",
            "share_qualifier": "under",
            "sources": source,
        },
    ]


async def test_dry_run_then_import(db: AsyncEngine, committed_db: str, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "figures.csv", good_rows(await a_source(db)))
    before = await scalar(db, COUNT)
    version = await scalar(db, "SELECT max(version) FROM data_version")

    dry = orgreg(committed_db, "import", "contributions", str(good), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "2 rows: would add 2 contributions." in dry.stdout and "Dry run" in dry.stdout
    assert await scalar(db, COUNT) == before
    assert await scalar(db, "SELECT max(version) FROM data_version") == version

    applied = orgreg(
        committed_db,
        "import",
        "contributions",
        str(good),
        "--actor",
        "ctb-test",
        "--reason",
        "load",
    )
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "2 rows: added 2 contributions." in applied.stdout
    assert await scalar(db, COUNT) == before + 2  # type: ignore[operator]
    async with db.connect() as conn:
        row = (
            (
                await conn.execute(
                    text(
                        "SELECT period_start::text, period_end::text, amount::text, share::text, "
                        "amount_qualifier, share_qualifier, organization_id IS NOT NULL AS org "
                        "FROM contributions WHERE country_code = 'AQ'"
                    )
                )
            )
            .mappings()
            .one()
        )
        assert dict(row) == {
            "period_start": "2022-10-01",
            "period_end": "2023-09-30",
            "amount": "1500000.00",
            "share": "0.015000",
            "amount_qualifier": "about",
            "share_qualifier": "exact",
            "org": True,
        }
        revisions = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM revisions WHERE resource_type = 'contribution' "
                    "AND actor = 'ctb-test' AND reason = 'load' AND action = 'created'"
                )
            )
        ).scalar_one()
        assert revisions == 2
        cited = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM contribution_sources s JOIN contributions c "
                    "ON c.id = s.contribution_id WHERE c.country_code = 'AQ'"
                )
            )
        ).scalar_one()
        assert cited == 1, "a source named twice is cited once"


async def test_one_bad_row_writes_nothing_and_is_named(
    db: AsyncEngine, committed_db: str, tmp_path: Path
) -> None:
    source = await a_source(db)
    rows = [
        {**good_rows(source)[0], "country": "HM"},
        {**good_rows(source)[0], "country": "HM", "currency": "XYZ"},
        {**good_rows(source)[1], "country": "HM", "period_end": ""},
        {**good_rows(source)[1], "country": "HM", "sources": "src_no_such_source"},
    ]
    bad = write_csv(tmp_path / "bad.csv", rows)
    before = await scalar(db, COUNT)
    failed = orgreg(committed_db, "import", "contributions", str(bad))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "row 2" not in failed.stdout, "the header is row 1, the first data row is row 2"
    assert "row 3 [currency]" in failed.stdout and "XYZ" in failed.stdout
    assert "row 4 [period_end]" in failed.stdout
    assert "row 5 [sources.0]" in failed.stdout
    assert "3 rows failed; nothing was written" in failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr
    assert await scalar(db, COUNT) == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (("country", "kind", "amount", "currency", "sources", "colour"), "unknown columns colour"),
        (("country", "kind", "amount", "currency"), "missing columns sources"),
    ],
)
async def test_a_file_of_another_layout_is_refused(
    db: AsyncEngine, committed_db: str, tmp_path: Path, header: tuple[str, ...], message: str
) -> None:
    source = await a_source(db)
    row = {"country": "HM", "kind": "assessed", "amount": "1", "currency": "USD"}
    if "sources" in header:
        row["sources"] = source
    if "colour" in header:
        row["colour"] = "blue"
    path = write_csv(tmp_path / "other.csv", [row], header)
    before = await scalar(db, COUNT)
    refused = orgreg(committed_db, "import", "contributions", str(path))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert message in refused.stderr
    assert await scalar(db, COUNT) == before


def test_only_csv_files_are_read(committed_db: str, tmp_path: Path) -> None:
    other = tmp_path / "figures.ndjson"
    other.write_text('{"country": "HM"}\n')
    refused = orgreg(committed_db, "import", "contributions", str(other))
    assert refused.returncode == 2 and "use a .csv file" in refused.stderr
    missing = orgreg(committed_db, "import", "contributions", str(tmp_path / "absent.csv"))
    assert missing.returncode == 2
