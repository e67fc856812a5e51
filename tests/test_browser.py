"""In a real browser (headless Chromium): the pages and charts render, and a developer can
authorize in Swagger UI, create a record there, and change it with the If-Match the form asks for.

`ORGREG_SCREENSHOTS=docs/screenshots pytest tests/test_browser.py` keeps the screenshots (the
README shows them); otherwise they go to a temporary directory.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.services.keys import create_key
from app.vocabulary import Scope
from tests.browser import Page, chromium, png_size
from tests.conftest import migrate
from tests.live import serving

MEMBER_BLUE = "#0072B2"
PAGES = {
    "landing.png": "/",
    "memorandum.png": "/memorandum-2026-01-07",
    "memorandum-zh.png": "/memorandum-2026-01-07?lang=zh",
    "organization-unesco.png": "/organizations/unesco",
    "country-us-zh.png": "/countries/US?lang=zh",
}


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    kept = os.environ.get("ORGREG_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_pages_and_charts_render_in_a_browser(live_server: str, screenshots: Path) -> None:
    with chromium() as page:
        for name, path in PAGES.items():
            page.open(live_server + path)
            assert page.evaluate("document.title").endswith("orgreg"), path
            if path != "/":
                painted = page.wait_for(
                    f"""[...document.querySelectorAll('svg rect')].filter(r =>
                        r.getAttribute('fill') === '{MEMBER_BLUE}'
                        && r.getBoundingClientRect().width > 0).length"""
                )
                assert painted > 0, f"{path}: no member period drawn"
                hatched = page.evaluate(
                    """[...document.querySelectorAll('svg rect')].filter(r =>
                        (r.getAttribute('fill') || '').startsWith('url(#')
                        && r.getBoundingClientRect().width > 0).length"""
                )
                assert hatched > 0, f"{path}: what is not known is drawn hatched"
            if "lang=zh" in path:
                assert page.evaluate("document.documentElement.lang") == "zh-Hans"
                assert page.evaluate("document.body.innerText.includes('联合国')"), path
            png = page.screenshot(screenshots / name)
            width, height = png_size(png)
            assert width >= 1000 and height >= 600, (name, width, height)
            assert len(png) > 30_000, f"{name}: a nearly blank screenshot"


async def test_swagger_ui_authorizes_and_writes(
    create_database: Callable[[], Awaitable[str]], screenshots: Path
) -> None:
    url = await create_database()
    await migrate(url)
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        _, secret = await create_key(session, "swagger-ui", [Scope.write], None)
        await session.commit()
    await engine.dispose()
    slug = f"swagger-{uuid.uuid4().hex[:8]}"
    body = {"slug": slug, "name_en": "Tried in Swagger UI", "name_zh": "在 Swagger UI 中试用"}
    with serving(url) as base, chromium() as page:
        page.open(f"{base}/docs")
        page.wait_for("document.querySelector('.btn.authorize')")
        page.evaluate("document.querySelector('.btn.authorize').click()")
        page.wait_for("document.querySelector('.auth-container input')")
        page.evaluate(_type_into(".auth-container input", secret))
        page.evaluate("document.querySelector('.auth-btn-wrapper .authorize').click()")
        page.wait_for("document.querySelector('.auth-btn-wrapper .btn-done')")
        page.evaluate("document.querySelector('.auth-btn-wrapper .btn-done').click()")

        created = _try_out(page, "#operations-categories-createCategory", {}, body)
        page.screenshot(screenshots / "swagger-ui-write.png", full_page=False)
        assert created.startswith("201"), created
        async with httpx.AsyncClient() as client:
            read = await client.get(f"{base}/v1/categories/{slug}")
        assert read.status_code == 200 and read.json()["name_en"] == body["name_en"]

        # A change needs the ETag a read gave: Swagger UI shows If-Match as a field to fill.
        update = "#operations-categories-updateCategory"
        renamed = {"name_en": "Renamed in Swagger UI"}
        params = {"slug": slug, "if-match": read.headers["etag"]}
        changed = _try_out(page, update, params, renamed)
        assert changed.startswith("200"), changed
        async with httpx.AsyncClient() as client:
            after = await client.get(f"{base}/v1/categories/{slug}")
        assert after.json()["name_en"] == renamed["name_en"]


def _try_out(page: Page, operation: str, params: dict[str, str], body: object) -> str:
    """Open an operation, press "Try it out", fill its parameters and JSON body, execute it,
    and return the status line Swagger UI shows."""
    page.evaluate(f"document.querySelector('{operation} .opblock-summary-control').click()")
    page.wait_for(f"document.querySelector('{operation} .try-out__btn')")
    page.evaluate(f"document.querySelector('{operation} .try-out__btn').click()")
    page.wait_for(f"document.querySelector('{operation} textarea.body-param__text')")
    for name, value in params.items():
        field = f'{operation} tr[data-param-name="{name}"] input'
        page.wait_for(f"document.querySelector({json.dumps(field)})")
        page.evaluate(_type_into(field, value))
    page.evaluate(_type_into(f"{operation} textarea.body-param__text", json.dumps(body)))
    time.sleep(0.5)  # Swagger UI debounces its parameter fields; a quicker click sends them empty
    page.evaluate(f"document.querySelector('{operation} .execute').click()")
    answer = f"{operation} .live-responses-table tbody .response-col_status"
    status: str = page.wait_for(f"document.querySelector('{answer}')?.innerText.trim()")
    page.evaluate(f"document.querySelector('{operation} .responses-wrapper').scrollIntoView()")
    return status


def _type_into(selector: str, value: str) -> str:
    """Set a React-controlled field the way typing does (Swagger UI ignores a bare .value)."""
    prototype = "HTMLTextAreaElement" if "textarea" in selector else "HTMLInputElement"
    return f"""(() => {{
        const field = document.querySelector({json.dumps(selector)});
        const setter = Object.getOwnPropertyDescriptor({prototype}.prototype, 'value').set;
        setter.call(field, {json.dumps(value)});
        field.dispatchEvent(new Event('input', {{bubbles: true}}));
        field.dispatchEvent(new Event('change', {{bubbles: true}}));
        return true;
    }})()"""
