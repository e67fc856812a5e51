"""The whole registry from the repository alone: `orgreg db upgrade` (what the first start runs)
loads the curated seed and the bundled COW history, later runs find it in place, and the API
answers for 1975 with sources. Loads the real file: about a minute."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.db import get_session
from app.main import create_app
from tests.api.helpers import walk
from tests.conftest import CreateDatabase
from tests.live import serving
from tests.test_readme import example_script

BIN = Path(__file__).resolve().parents[1] / ".venv" / "bin"
BUNDLED = Path(__file__).resolve().parents[1] / "seed" / "cow-igo-v3" / "igo_year_formatv3.csv.gz"

pytestmark = pytest.mark.full_dataset


def orgreg(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ORGREG_LOAD_HISTORY"}
    return subprocess.run(
        [str(BIN / "orgreg"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**env, "DATABASE_URL": url},
        check=False,
    )


@pytest.fixture(scope="module")
async def whole(create_database: CreateDatabase) -> tuple[str, float, str]:
    url = await create_database()
    started = time.monotonic()
    first = orgreg(url, "db", "upgrade")
    took = time.monotonic() - started
    assert first.returncode == 0, first.stdout + first.stderr
    return url, took, first.stderr


@pytest.fixture
async def api(whole: tuple[str, float, str]) -> AsyncIterator[httpx.AsyncClient]:
    engine = create_async_engine(whole[0], pool_size=2)
    app = create_app()

    async def session() -> AsyncIterator[AsyncSession]:
        async with AsyncSession(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = session
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await engine.dispose()


async def test_the_first_upgrade_loads_the_history_and_later_ones_find_it(
    whole: tuple[str, float, str],
) -> None:
    url, took, log = whole
    assert "Loading the COW IGO history: 534 of 534 IGOs" in log  # plain lines off a terminal
    assert "Loaded the COW IGO history in" in log
    started = time.monotonic()
    again = orgreg(url, "db", "upgrade")
    assert again.returncode == 0 and "Loaded" not in again.stderr
    assert time.monotonic() - started < took  # nothing read again


async def test_the_whos_members_of_1975_with_sources(api: httpx.AsyncClient) -> None:
    items = await walk(
        api,
        "/v1/organizations/who/memberships",
        as_of="1975-06-01",
        status="member",
        page_size=200,
    )
    assert len(items) > 130
    codes = {i["country"]["code"] for i in items}
    assert {"US", "SUHH", "DDDE", "FR", "CN"} <= codes
    soviet = next(i for i in items if i["country"]["code"] == "SUHH")
    assert soviet["period"]["source"] == "src_cow_igo_v3"
    assert {s["id"] for s in soviet["evidence"]["sources"]} == {"src_cow_igo_v3"}


async def test_states_that_no_longer_exist_and_states_with_no_iso_code(
    api: httpx.AsyncClient,
) -> None:
    ussr = await walk(api, "/v1/countries/SUHH/memberships", as_of="1975-06-01", page_size=200)
    assert len([i for i in ussr if i["status"] == "member"]) > 30
    vietnam = await walk(api, "/v1/countries/XV/memberships", as_of="1970-07-01", page_size=200)
    assert any(i["status"] == "member" for i in vietnam)  # the Republic of Vietnam
    after = await walk(api, "/v1/countries/XV/memberships", as_of="1976-07-01", page_size=200)
    assert {i["status"] for i in after} == {"non_member"}  # it ceased on 1975-04-30


async def test_the_checker_finds_no_invented_tie_and_no_lost_state(
    whole: tuple[str, float, str],
) -> None:
    check = orgreg(whole[0], "check", "cow-igo", str(BUNDLED))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Ties where COW has none and no curated event says so: 0" in check.stdout


def test_the_readme_examples_run_as_written(whole: tuple[str, float, str], tmp_path: Path) -> None:
    """Last in this module: the curation examples write (a key, a source, a sandbox organization
    they delete again)."""
    root = Path(__file__).resolve().parents[1]
    for shared in (".venv", "seed"):  # the examples name these paths relative to a clone
        (tmp_path / shared).symlink_to(root / shared)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORGREG_")}
    with serving(whole[0]) as base:
        run = subprocess.run(
            ["bash", "-euo", "pipefail", "-x", "-c", example_script(base)],
            cwd=tmp_path,
            env={**env, "DATABASE_URL": whole[0]},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-4000:] + run.stdout[-2000:]
        gone = httpx.get(f"{base}/v1/organizations/example-forum")
    assert gone.status_code == 410  # the sandbox the examples made is deleted again
    assert (tmp_path / "memorandum.html").read_text().count("<svg") >= 1
    assert (tmp_path / "periods.csv").read_text().count("\n") > 50_000
