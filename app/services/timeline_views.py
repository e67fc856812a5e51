"""Timelines for people: a country's or an organization's history as chart rows, in English or
Chinese, and the status a timeline gives on a day.

Reads the same timeline documents `GET .../timeline` answers (every page of them), so a chart
never says anything the API does not.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.pagination import MAX_PAGE_SIZE, page_request
from app.services import timelines as timeline_service
from app.services.timeline_chart import (
    IMPRECISE_KEY,
    ChartPeriod,
    ChartRow,
    ChartText,
    render_timeline_svg,
)
from app.vocabulary import Lang, MembershipStatus

Db = AsyncSession | AsyncConnection

STATUS_LABELS: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "member": "member",
        "associate": "associate member",
        "observer": "observer",
        "participant": "participant",
        "donor": "donor",
        "suspended": "suspended",
        "withdrawal_pending": "withdrawal pending",
        "withdrawn": "withdrawn",
        "non_member": "not a member",
        "unknown": "unknown (no evidence)",
        IMPRECISE_KEY: "unknown (date known only to the month or year)",
    },
    "zh": {
        "member": "成员",
        "associate": "准成员",
        "observer": "观察员",
        "participant": "参与方",
        "donor": "捐助方",
        "suspended": "暂停",
        "withdrawal_pending": "退出待生效",
        "withdrawn": "已退出",
        "non_member": "非成员",
        "unknown": "未知(无证据)",
        IMPRECISE_KEY: "未知(日期仅精确到月或年)",
    },
}
TODAY_LABEL: Mapping[Lang, str] = {"en": "today", "zh": "今天"}
UNTIL: Mapping[Lang, str] = {"en": "until", "zh": "至"}
ONGOING: Mapping[Lang, str] = {"en": "now", "zh": "今"}
UNKNOWN_START: Mapping[Lang, str] = {"en": "?", "zh": "?"}


async def all_timelines(
    db: Db, *, country: str | None = None, organization: str | None = None
) -> list[dict[str, Any]]:
    """Every timeline of a country (by organization) or of an organization (by country)."""
    found: list[dict[str, Any]] = []
    cursor = None
    order = "organization" if country is not None else "country"
    while True:
        page = await timeline_service.timelines(
            db,
            page_request(MAX_PAGE_SIZE, cursor, order),
            country=country,
            organization=organization,
        )
        found += json.loads(page.items_json)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


async def chinese_names(db: Db) -> tuple[dict[str, str], dict[str, str]]:
    """Preferred simplified-Chinese names: organizations by id, countries by code."""
    organizations = await db.execute(
        text(
            "SELECT organization_id, value FROM organization_names "
            "WHERE lang = 'zh-Hans' AND type = 'official' AND is_preferred"
        )
    )
    countries = await db.execute(
        text("SELECT code, name_zh_hans FROM countries WHERE name_zh_hans IS NOT NULL")
    )
    return {r[0]: r[1] for r in organizations}, {r[0]: r[1] for r in countries}


@dataclass(frozen=True)
class Labels:
    lang: Lang
    organizations_zh: Mapping[str, str]
    countries_zh: Mapping[str, str]

    def organization(self, ref: Mapping[str, Any]) -> str:
        if self.lang == "zh" and ref["id"] in self.organizations_zh:
            return self.organizations_zh[ref["id"]]
        return str(ref["acronym"] or ref["name"])

    def country(self, ref: Mapping[str, Any]) -> str:
        if self.lang == "zh" and ref["code"] in self.countries_zh:
            return self.countries_zh[ref["code"]]
        return str(ref["name_en"])


def status_on(timeline: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """The period of `timeline` covering `day` (its `status` is `unknown` where none does)."""
    for period in timeline["periods"]:
        start = _date(period["valid_from"])
        end = _date(period["valid_to"])
        if (start is None or start <= day) and (end is None or day < end):
            return dict(period)
    return {"status": MembershipStatus.unknown.value, "valid_from": None, "events": []}


def evidence_source(period: Mapping[str, Any]) -> dict[str, Any] | None:
    """The first source of the event the period rests on, if the period holds it."""
    for event in period.get("events", []):
        if event["id"] == period.get("evidence_event") and event["sources"]:
            return dict(event["sources"][0])
    return None


def chart_rows(
    timelines: Sequence[Mapping[str, Any]],
    *,
    by: Literal["organization", "country"],
    labels: Labels,
) -> list[ChartRow]:
    rows = []
    for timeline in timelines:
        if by == "organization":
            ref = timeline["organization"]
            label, href = labels.organization(ref), f"/organizations/{ref['slug']}"
        else:
            ref = timeline["country"]
            label, href = labels.country(ref), f"/countries/{ref['code']}"
        periods = tuple(_chart_period(timeline, p, labels.lang) for p in timeline["periods"])
        rows.append(ChartRow(label=label, href=_with_lang(href, labels.lang), periods=periods))
    return rows


def chart_text(title: str, lang: Lang, marker_label: str | None = None) -> ChartText:
    return ChartText(
        title=title,
        legend=dict(STATUS_LABELS[lang]),
        today_label=TODAY_LABEL[lang],
        marker_label=marker_label,
    )


def chart_span(timelines: Sequence[Mapping[str, Any]], today: dt.date) -> tuple[dt.date, dt.date]:
    """From the first known period's year (at most a century back) to a year past today, so an
    open period does not fade into today's line."""
    starts = [
        _date(p["valid_from"])
        for t in timelines
        for p in t["periods"]
        if p["status"] not in ("unknown", "non_member")
    ]
    known = [d for d in starts if d is not None]
    first = min(known) if known else today.replace(year=today.year - 10)
    first = max(first, today.replace(year=today.year - 100))
    return dt.date(first.year, 1, 1), dt.date(today.year + 2, 1, 1)


def _chart_period(
    timeline: Mapping[str, Any], period: Mapping[str, Any], lang: Lang
) -> ChartPeriod:
    source = evidence_source(period)
    start, end = period["valid_from"], period["valid_to"]
    status_label = STATUS_LABELS[lang].get(
        IMPRECISE_KEY if period.get("unknown_reason") == IMPRECISE_KEY else period["status"],
        period["status"],
    )
    span = f"{start or UNKNOWN_START[lang]} {UNTIL[lang]} {end or ONGOING[lang]}"
    cited = f" · {source['publisher']}: {source['title'] or source['url']}" if source else ""
    return ChartPeriod(
        status=period["status"],
        start=_date(start),
        end=_date(end),
        unknown_reason=period.get("unknown_reason"),
        href=(source or {}).get("url") or f"/v1/memberships/{timeline['membership_id']}",
        tooltip=f"{status_label}: {span}{cited}",
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _with_lang(path: str, lang: Lang) -> str:
    return path if lang == "en" else f"{path}?lang={lang}"


TITLES: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "organization": "{name}: each state's history",
        "country": "{name}: history in each organization",
    },
    "zh": {"organization": "{name}:各国成员历史", "country": "{name}:在各组织中的历史"},
}


async def organization_chart(db: Db, organization_id: str, lang: Lang, today: dt.date) -> str:
    """Every state's history in one organization (rows by country)."""
    timelines = await all_timelines(db, organization=organization_id)
    organizations_zh, countries_zh = await chinese_names(db)
    labels = Labels(lang, organizations_zh, countries_zh)
    name = await _organization_label(db, organization_id, labels)
    title = TITLES[lang]["organization"].format(name=name)
    return _render(timelines, "country", labels, title, today)


async def country_chart(
    db: Db, code: str, lang: Lang, today: dt.date, organization: str | None = None
) -> str:
    """One country's history in each organization it has a record in (rows by organization)."""
    timelines = await all_timelines(db, country=code, organization=organization)
    organizations_zh, countries_zh = await chinese_names(db)
    labels = Labels(lang, organizations_zh, countries_zh)
    country = await db.execute(
        text("SELECT code, name_en FROM countries WHERE code = :code"), {"code": code}
    )
    row = country.mappings().one()
    title = TITLES[lang]["country"].format(name=labels.country(dict(row)))
    return _render(timelines, "organization", labels, title, today)


def _render(
    timelines: Sequence[Mapping[str, Any]],
    by: Literal["organization", "country"],
    labels: Labels,
    title: str,
    today: dt.date,
) -> str:
    start, end = chart_span(timelines, today)
    return render_timeline_svg(
        chart_rows(timelines, by=by, labels=labels),
        chart_text(title, labels.lang),
        start=start,
        end=end,
        today=today,
    )


async def _organization_label(db: Db, organization_id: str, labels: Labels) -> str:
    return labels.organization((await _organization_refs(db, [organization_id]))[organization_id])


MEMORANDUM = "src_vjn43p3a77iw"
"""The seed's source id of the 2026-01-07 memorandum (ids never change)."""
MEMORANDUM_DAY = dt.date(2026, 1, 7)


@dataclass(frozen=True)
class Listed:
    organization: dict[str, Any]
    section: str
    position: int
    before: dict[str, Any]
    """The US period on the day before the memorandum."""
    now: dict[str, Any]


async def memorandum(
    db: Db, today: dt.date
) -> tuple[dict[str, Any], list[Listed], list[dict[str, Any]]]:
    """The act, each organization it lists with the US status the day before and today, and
    the US timelines in them (for the chart)."""
    act = (
        (
            await db.execute(
                text("SELECT id, title, url, published_on FROM sources WHERE id = :id"),
                {"id": MEMORANDUM},
            )
        )
        .mappings()
        .one()
    )
    listed = (
        await db.execute(
            text(
                "SELECT organization_id, section, position FROM listings WHERE source_id = :id "
                "ORDER BY section, position"
            ),
            {"id": MEMORANDUM},
        )
    ).all()
    timelines = {t["organization"]["id"]: t for t in await all_timelines(db, country="US")}
    refs = await _organization_refs(db, [row.organization_id for row in listed])
    rows = []
    for row in listed:
        timeline = timelines.get(row.organization_id)
        before = status_on(timeline, MEMORANDUM_DAY - dt.timedelta(days=1)) if timeline else _none()
        now = status_on(timeline, today) if timeline else _none()
        rows.append(Listed(refs[row.organization_id], row.section, row.position, before, now))
    charted = [timelines[row.organization_id] for row in listed if row.organization_id in timelines]
    return dict(act), rows, charted


def memorandum_chart(
    timelines: Sequence[Mapping[str, Any]], labels: Labels, title: str, today: dt.date
) -> str:
    return render_timeline_svg(
        chart_rows(timelines, by="organization", labels=labels),
        chart_text(title, labels.lang, MEMORANDUM_DAY.isoformat()),
        start=dt.date(2015, 1, 1),
        end=dt.date(today.year + 2, 1, 1),
        today=today,
        marker=MEMORANDUM_DAY,
    )


def _none() -> dict[str, Any]:
    """No membership record: `unknown`, as the API says, marked so a page can say why."""
    return {
        "status": MembershipStatus.unknown.value,
        "valid_from": None,
        "events": [],
        "no_record": True,
    }


async def _organization_refs(db: Db, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = await db.execute(
        text(
            "SELECT o.id, o.slug, "
            "(SELECT value FROM organization_names n WHERE n.organization_id = o.id "
            " AND n.lang = 'en' AND n.type = 'official' AND n.is_preferred LIMIT 1) AS name, "
            "(SELECT value FROM organization_names n WHERE n.organization_id = o.id "
            " AND n.lang = 'en' AND n.type = 'acronym' AND n.is_preferred LIMIT 1) AS acronym "
            "FROM organizations o WHERE o.id = ANY(:ids)"
        ),
        {"ids": list(ids)},
    )
    return {row["id"]: dict(row) for row in rows.mappings()}
