"""The one page shell every HTML page shares: head, styles, header links, language switch."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from app.vocabulary import Lang

STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans SC",sans-serif;margin:0;color:#1f2328;
background:#fff;line-height:1.5}
header{background:#0b3d5c;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;
align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700;font-size:1.15rem}
header .lang{margin-left:auto}
main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.6rem;margin:.6rem 0}h2{font-size:1.2rem;margin-top:1.8rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{background:#f6f8fa;padding:0 .2rem;border-radius:3px}
.status{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-size:.85rem}
.muted{color:#59636e}.chart{overflow-x:auto;margin:1rem 0}
footer{border-top:1px solid #d0d7de;color:#59636e;font-size:.85rem;padding:1rem 1.2rem}
"""

NAV: Mapping[Lang, tuple[tuple[str, str], ...]] = {
    "en": (("/", "Home"), ("/memorandum-2026-01-07", "The 66"), ("/docs", "API (Swagger UI)")),
    "zh": (("/", "首页"), ("/memorandum-2026-01-07", "66个组织"), ("/docs", "API 文档")),
}
FOOTER: Mapping[Lang, str] = {
    "en": "Data: CC-BY-4.0, with the sources cited next to each fact. Code: MIT.",
    "zh": "数据:CC-BY-4.0,每条事实附有来源。代码:MIT。",
}


def text(value: object) -> str:
    """Escape anything shown as text or put in an attribute."""
    return escape(str(value), quote=True)


def link(href: str, label: str) -> str:
    return f'<a href="{text(href)}">{text(label)}</a>'


def with_lang(path: str, lang: Lang) -> str:
    if lang == "en":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def page(title: str, body: str, *, lang: Lang, path: str) -> str:
    """A whole HTML document; `body` is already-escaped HTML, `path` the page's own path."""
    nav = " ".join(link(with_lang(href, lang), label) for href, label in NAV[lang])
    other: Lang = "zh" if lang == "en" else "en"
    switch = link(with_lang(path, other), "中文" if other == "zh" else "English")
    html_lang = "zh-Hans" if lang == "zh" else "en"
    return (
        f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)} · orgreg</title><style>{STYLE}</style></head><body>"
        f'<header><a class="brand" href="{text(with_lang("/", lang))}">orgreg</a>{nav}'
        f'<span class="lang">{switch}</span></header>'
        f"<main><h1>{text(title)}</h1>{body}</main>"
        f"<footer>{text(FOOTER[lang])}</footer></body></html>"
    )
