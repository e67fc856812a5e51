"""The page of one organization: who it is, what the sources say, every state's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.pages.layout import link, page, text, with_lang
from app.pages.status import badge, evidence, since
from app.services.timeline_views import status_on
from app.vocabulary import Lang

WORDS: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "facts": "Facts",
        "names": "Names",
        "identifiers": "Identifiers in other datasets",
        "states": "States today",
        "chart": "Each state's history",
        "system": "system",
        "kind": "kind",
        "founded": "founded",
        "headquarters": "headquarters",
        "website": "website",
        "country": "state",
        "status": "status today",
        "since": "since",
        "evidence": "evidence",
        "json": "The same as JSON",
        "svg": "The chart alone (SVG, embeddable)",
        "none": "The registry holds no record of any state in it.",
    },
    "zh": {
        "facts": "基本信息",
        "names": "名称",
        "identifiers": "其他数据集中的标识符",
        "states": "各国当前身份",
        "chart": "各国成员历史",
        "system": "体系",
        "kind": "类型",
        "founded": "成立",
        "headquarters": "总部",
        "website": "网站",
        "country": "国家",
        "status": "当前身份",
        "since": "起始",
        "evidence": "证据",
        "json": "JSON 格式",
        "svg": "单独的图表(SVG,可嵌入)",
        "none": "登记库中没有任何国家在该组织中的记录。",
    },
}
IDENTIFIER_LINKS = {"wikidata": "https://www.wikidata.org/wiki/{value}"}


def render(
    organization: Mapping[str, Any],
    timelines: Sequence[Mapping[str, Any]],
    chart: str,
    lang: Lang,
    today: dt.date,
    name_zh: str | None,
) -> str:
    w = WORDS[lang]
    slug = organization["slug"]
    title = (name_zh if lang == "zh" and name_zh else organization["name"]) or slug
    if organization.get("acronym"):
        title = f"{title} ({organization['acronym']})"
    founded = organization["founded"]
    facts = [
        (w["system"], text(organization["system"])),
        (w["kind"], text(organization["kind"])),
        (w["founded"], text(founded["date"] or "?") + f" ({text(founded['precision'])})"),
        (w["headquarters"], text(organization.get("headquarters") or "")),
        (
            w["website"],
            link(organization["website"], organization["website"])
            if organization.get("website")
            else "",
        ),
    ]
    fact_rows = "".join(f"<tr><th>{text(k)}</th><td>{v}</td></tr>" for k, v in facts)
    name_rows = "".join(
        f"<tr><td>{text(n['lang'])}</td><td>{text(n['type'])}</td><td>{text(n['value'])}</td>"
        f"<td>{text(n['verification'])}</td></tr>"
        for n in organization["names"]
    )
    identifier_rows = "".join(
        f"<tr><td>{text(i['scheme'])}</td><td>{_identifier(i)}</td>"
        f"<td>{text(i['verification'])}</td><td>{_stated_by(i)}</td></tr>"
        for i in organization["identifiers"]
    )
    state_rows = "".join(_state_row(t, lang, today) for t in timelines)
    states = (
        f"<table><tr><th>{w['country']}</th><th>{w['status']}</th><th>{w['since']}</th>"
        f"<th>{w['evidence']}</th></tr>{state_rows}</table>"
        if timelines
        else f"<p>{text(w['none'])}</p>"
    )
    body = (
        f"<p>{link(f'/v1/organizations/{slug}', w['json'])} · "
        f"{link(with_lang(f'/v1/organizations/{slug}/timeline.svg', lang), w['svg'])}</p>"
        f"<h2>{text(w['facts'])}</h2><table>{fact_rows}</table>"
        f'<h2>{text(w["chart"])}</h2><div class="chart">{chart}</div>'
        f"<h2>{text(w['states'])}</h2>{states}"
        f"<h2>{text(w['names'])}</h2><table>{name_rows}</table>"
        f"<h2>{text(w['identifiers'])}</h2><table>{identifier_rows}</table>"
    )
    return page(title, body, lang=lang, path=f"/organizations/{slug}")


def _identifier(identifier: Mapping[str, Any]) -> str:
    pattern = IDENTIFIER_LINKS.get(identifier["scheme"])
    value = str(identifier["value"])
    return link(pattern.format(value=value), value) if pattern else text(value)


def _stated_by(identifier: Mapping[str, Any]) -> str:
    source = identifier.get("source")
    if not source or not source.get("url"):
        return ""
    return link(source["url"], source["publisher"])


def _state_row(timeline: Mapping[str, Any], lang: Lang, today: dt.date) -> str:
    country = timeline["country"]
    period = status_on(timeline, today)
    href = with_lang(f"/countries/{country['code']}", lang)
    return (
        f"<tr><td>{link(href, country['name_en'])}</td><td>{badge(period, lang)}</td>"
        f"<td>{since(period)}</td><td>{evidence(period)}</td></tr>"
    )
