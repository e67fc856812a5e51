"""The 66 organizations of the 2026-01-07 memorandum: the US status the day before and today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.pages.layout import link, page, text, with_lang
from app.pages.status import badge, evidence, since
from app.services.timeline_views import MEMORANDUM_DAY, Labels, Listed
from app.vocabulary import Lang

PATH = "/memorandum-2026-01-07"
WORDS: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "title": "The memorandum of 2026-01-07: 66 organizations, before and after",
        "intro": "On {day} a US presidential memorandum ordered the United States out of the "
        "organizations below: section 2(a) lists non-UN bodies, 2(b) UN entities. For each, the "
        "US status the day before and today ({today}), and the evidence the registry holds. "
        "Where no source says when a withdrawal takes effect, it stays pending: the registry "
        "does not guess.",
        "act": "The memorandum",
        "chart": "The US in these organizations since 2015",
        "organization": "organization",
        "section": "section",
        "before": "the day before",
        "now": "today",
        "since": "since",
        "evidence": "evidence",
        "counts": "Today: {summary}.",
        "no_record": "the registry holds no US membership record here",
    },
    "zh": {
        "title": "2026年1月7日备忘录:66个组织,之前与之后",
        "intro": "{day},美国总统备忘录要求美国退出下列组织:第2(a)节为非联合国机构,第2(b)节为"
        "联合国实体。表中列出美国在前一天和今天({today})的身份及登记库所持证据。若无来源说明退出"
        "何时生效,则保持“退出待生效”:登记库不作猜测。",
        "act": "备忘录",
        "chart": "2015年以来美国在这些组织中的身份",
        "organization": "组织",
        "section": "节",
        "before": "前一天",
        "now": "今天",
        "since": "起始",
        "evidence": "证据",
        "counts": "今天:{summary}。",
        "no_record": "登记库中没有美国在此的成员资格记录",
    },
}


def render(
    act: Mapping[str, Any],
    listed: Sequence[Listed],
    chart: str,
    labels: Labels,
    today: dt.date,
    status_words: Mapping[str, str],
) -> str:
    lang = labels.lang
    w = WORDS[lang]
    rows = "".join(_row(item, labels) for item in listed)
    tally: dict[str, int] = {}
    for item in listed:
        tally[item.now["status"]] = tally.get(item.now["status"], 0) + 1
    summary = ", ".join(
        f"{count} {status_words.get(status, status)}" for status, count in sorted(tally.items())
    )
    body = (
        f"<p>{text(w['intro'].format(day=MEMORANDUM_DAY.isoformat(), today=today.isoformat()))}"
        f"</p><p>{text(w['act'])}: {link(str(act['url']), str(act['title']))}</p>"
        f"<p>{text(w['counts'].format(summary=summary))}</p>"
        f'<h2>{text(w["chart"])}</h2><div class="chart">{chart}</div>'
        f"<table><tr><th>{w['organization']}</th><th>{w['section']}</th><th>{w['before']}</th>"
        f"<th>{w['now']}</th><th>{w['since']}</th><th>{w['evidence']}</th></tr>{rows}</table>"
    )
    return page(w["title"], body, lang=lang, path=PATH)


def _row(item: Listed, labels: Labels) -> str:
    organization = item.organization
    href = with_lang(f"/organizations/{organization['slug']}", labels.lang)
    why = (
        f'<span class="muted">{text(WORDS[labels.lang]["no_record"])}</span>'
        if item.now.get("no_record")
        else evidence(item.now)
    )
    return (
        f"<tr><td>{link(href, labels.organization(organization))}</td>"
        f"<td>{text(item.section)}</td><td>{badge(item.before, labels.lang)}</td>"
        f"<td>{badge(item.now, labels.lang)}</td><td>{since(item.now)}</td>"
        f"<td>{why}</td></tr>"
    )
