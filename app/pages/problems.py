"""The pages problem documents' `type` URIs resolve to."""

from __future__ import annotations

from app.pages.layout import link, page, text, with_lang
from app.problem_types import PROBLEM_TYPES, ProblemType
from app.vocabulary import Lang

HEADINGS = {
    "en": ("Problem types", "status", "meaning", "what to do"),
    "zh": ("错误类型", "状态码", "含义", "处理办法"),
}


def render_index(lang: Lang) -> str:
    title, status, *_ = HEADINGS[lang]
    rows = "".join(
        f"<tr><td>{link(with_lang(kind.uri, lang), kind.slug)}</td><td>{kind.status}</td>"
        f"<td>{text(kind.title)}</td></tr>"
        for kind in sorted(PROBLEM_TYPES.values(), key=lambda k: (k.status, k.slug))
    )
    body = (
        "<p>Every error is an RFC 9457 <code>application/problem+json</code> document; its "
        "<code>type</code> is one of these.</p>"
        f"<table><tr><th>type</th><th>{status}</th><th>title</th></tr>{rows}</table>"
    )
    return page(title, body, lang=lang, path="/problems")


def render_one(kind: ProblemType, lang: Lang) -> str:
    _, status, meaning, remedy = HEADINGS[lang]
    body = (
        f"<p><code>type</code>: <code>{text(kind.uri)}</code> · {text(status)}: "
        f"{kind.status}</p><h2>{text(meaning)}</h2><p>{text(kind.meaning)}</p>"
        f"<h2>{text(remedy)}</h2><p>{text(kind.remedy)}</p>"
        f"<p>{link(with_lang('/problems', lang), HEADINGS[lang][0])}</p>"
    )
    return page(kind.title, body, lang=lang, path=kind.uri)
