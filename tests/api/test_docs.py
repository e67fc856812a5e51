"""Swagger UI and ReDoc work offline; a generated client works against the live service."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_nothing_from_elsewhere(client: httpx.AsyncClient, page: str) -> None:
    html = (await client.get(page)).text
    references = re.findall(r"""(?:src|href)=["']([^"']+)""", html) + re.findall(
        r"url: '([^']+)'", html
    )
    assert references, html
    assert all(ref.startswith("/") for ref in references), references
    assert "googleapis" not in html and "cdn." not in html
    for ref in references:
        assert (await client.get(ref)).status_code == 200, ref


def _chromium_dom(url: str) -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                # Every other host is unreachable: a CDN request would break the page.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--virtual-time-budget=20000",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    return result.stdout


def test_swagger_ui_renders_the_operations_in_a_real_browser(live_server: str) -> None:
    dom = _chromium_dom(f"{live_server}/docs")
    assert 'data-path="/v1/organizations/{organization}/timeline"' in dom
    assert "Search, filter and list organizations" in dom


def test_redoc_renders_the_operations_in_a_real_browser(live_server: str) -> None:
    dom = _chromium_dom(f"{live_server}/redoc")
    assert "Search, filter and list organizations" in dom
    assert "listOrganizations" in dom or "/v1/organizations" in dom


def test_a_generated_client_works_against_the_live_service(
    live_server: str, tmp_path: Path
) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_bytes(httpx.get(f"{live_server}/openapi.json").content)
    config = tmp_path / "client.yaml"
    # The generator reads no images: the charts come back as bytes, like any binary answer.
    config.write_text("content_type_overrides:\n  image/svg+xml: application/octet-stream\n")
    result = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "orgreg_client"),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
        env={"PATH": f"{BIN}:/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module("orgreg_client")
        organizations = importlib.import_module(
            "orgreg_client.api.organizations.list_organizations"
        )
        one = importlib.import_module("orgreg_client.api.organizations.get_organization")
        memberships = importlib.import_module(
            "orgreg_client.api.countries.list_country_memberships"
        )
        with client_module.Client(base_url=live_server) as client:
            found = organizations.sync(client=client, q="unfcc")
            assert found.items[0].slug == "unfccc"
            unfccc = one.sync(client=client, organization="unfccc")
            assert unfccc.system.value == "un" and unfccc.founded.date == dt.date(1992, 1, 1)
            us = memberships.sync(
                client=client, code="US", as_of=dt.date(2026, 1, 6), page_size=500
            )
            assert {m.status.value for m in us.items} >= {"member"}
            missing = one.sync_detailed(client=client, organization="nope")
            assert missing.status_code == 404
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("orgreg_client")]:
            del sys.modules[name]
