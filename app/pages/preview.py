"""The reconciliation preview: one organization summed up in a page small enough for the
iframe a reconciliation client shows beside a candidate (the manifest gives its size)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.pages.layout import link, text

WIDTH = 420
HEIGHT = 190
STYLE = (
    "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:.5rem;font-size:13px;"
    "color:#1f2328;line-height:1.4}h1{font-size:15px;margin:0 0 .2rem}p{margin:.15rem 0}"
    ".muted{color:#59636e}a{color:#0b5cad}"
)


def _founded(row: Mapping[str, Any]) -> str | None:
    day: dt.date | None = row["founded_on"]
    if day is None:
        return None
    return {"day": day.isoformat(), "month": day.strftime("%Y-%m")}.get(
        row["founded_precision"], str(day.year)
    )


def render(row: Mapping[str, Any], page_url: str) -> str:
    """A whole HTML document; every value from the data is escaped."""
    lines = [f"<h1>{text(row['name'])}</h1>"]
    if row["name_zh"]:
        lines.append(f'<p lang="zh-Hans">{text(row["name_zh"])}</p>')
    lines.append(f'<p class="muted">{text(row["description"])}</p>')
    founded = _founded(row)
    if founded:
        lines.append(f"<p>Founded {text(founded)}</p>")
    website = row["website"]
    if website:  # a link only to the web: a `javascript:` URL would run in the client's page
        shown = (
            link(website, website) if website.startswith(("https://", "http://")) else text(website)
        )
        lines.append(f"<p>{shown}</p>")
    full = link(page_url, "Full record")
    lines.append(f'<p>{full} <span class="muted">{text(row["id"])}</span></p>')
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{text(row['name'])}</title><style>{STYLE}</style>"
        f'<base target="_blank"></head><body>{"".join(lines)}</body></html>'
    )
