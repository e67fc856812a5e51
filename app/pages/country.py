"""The page of one country: its status today in each organization it has a record in, and its
history as a chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.pages.layout import link, page, text, with_lang
from app.pages.status import badge, evidence, since
from app.services.timeline_views import Labels, status_on
from app.vocabulary import Lang

WORDS: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "today": "Status today in each organization",
        "chart": "History",
        "organization": "organization",
        "status": "status",
        "since": "since",
        "evidence": "evidence",
        "json": "Memberships as JSON",
        "svg": "The chart alone (SVG, embeddable)",
        "none": "The registry holds no membership record for this country.",
    },
    "zh": {
        "today": "在各组织中的当前身份",
        "chart": "历史",
        "organization": "组织",
        "status": "身份",
        "since": "起始",
        "evidence": "证据",
        "json": "JSON 格式的成员资格",
        "svg": "单独的图表(SVG,可嵌入)",
        "none": "登记库中没有该国的成员资格记录。",
    },
}


def render(
    country: Mapping[str, Any],
    timelines: Sequence[Mapping[str, Any]],
    chart: str,
    labels: Labels,
    today: dt.date,
) -> str:
    lang = labels.lang
    w = WORDS[lang]
    code = country["code"]
    title = f"{labels.country(country)} ({code})"
    rows = "".join(_row(t, labels, today) for t in timelines)
    table = (
        f"<table><tr><th>{w['organization']}</th><th>{w['status']}</th><th>{w['since']}</th>"
        f"<th>{w['evidence']}</th></tr>{rows}</table>"
        if timelines
        else f"<p>{text(w['none'])}</p>"
    )
    body = (
        f"<p>{link(f'/v1/countries/{code}/memberships', w['json'])} · "
        f"{link(with_lang(f'/v1/countries/{code}/timeline.svg', lang), w['svg'])}</p>"
        f"<h2>{text(w['today'])}</h2>{table}"
        f'<h2>{text(w["chart"])}</h2><div class="chart">{chart}</div>'
    )
    return page(title, body, lang=lang, path=f"/countries/{code}")


def _row(timeline: Mapping[str, Any], labels: Labels, today: dt.date) -> str:
    organization = timeline["organization"]
    period = status_on(timeline, today)
    href = with_lang(f"/organizations/{organization['slug']}", labels.lang)
    return (
        f"<tr><td>{link(href, labels.organization(organization))}</td>"
        f"<td>{badge(period, labels.lang)}</td><td>{since(period)}</td>"
        f"<td>{evidence(period)}</td></tr>"
    )
