"""HTML pages for people (see app/pages): `/`, `/problems`, and the organization, country and
memorandum pages. Kept out of the OpenAPI document: they are for browsers, not clients."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.api.params import LangParam
from app.clock import today
from app.config import get_settings
from app.db import ReaderDep, SessionDep
from app.errors import NotFound
from app.pages import country as country_page
from app.pages import landing, memorandum, problems
from app.pages import organization as organization_page
from app.problem_types import PROBLEM_TYPES
from app.services import countries as country_service
from app.services import meta, timeline_views
from app.services.organizations import organization_document, resolve_organization_id
from app.services.timeline_views import Labels

router = APIRouter(
    include_in_schema=False,
    default_response_class=HTMLResponse,
)


@router.get("/")
async def landing_page(session: SessionDep, lang: LangParam = "en") -> HTMLResponse:
    settings = get_settings()
    counts = await meta.resource_counts(session)
    datasets = await meta.dataset_coverage(session)
    html = landing.render(lang, counts, datasets, settings.data_license, settings.data_license_url)
    return HTMLResponse(html)


@router.get("/problems")
async def problem_types_page(lang: LangParam = "en") -> HTMLResponse:
    return HTMLResponse(problems.render_index(lang))


@router.get("/problems/{slug}")
async def problem_type_page(slug: str, lang: LangParam = "en") -> HTMLResponse:
    kind = PROBLEM_TYPES.get(slug)
    if kind is None:
        raise NotFound(f"No problem type '{slug}'; /problems lists them.")
    return HTMLResponse(problems.render_one(kind, lang))


@router.get("/organizations/{key}")
async def organization(
    session: SessionDep, reader: ReaderDep, key: str, lang: LangParam = "en"
) -> HTMLResponse:
    org_id = await resolve_organization_id(session, key)
    _, document = await organization_document(reader, org_id)
    assert document is not None  # resolved just before, in the same request
    timelines = await timeline_views.all_timelines(reader, organization=org_id)
    chart = await timeline_views.organization_chart(reader, org_id, lang, today())
    organizations_zh, _ = await timeline_views.chinese_names(reader)
    html = organization_page.render(
        json.loads(document.body), timelines, chart, lang, today(), organizations_zh.get(org_id)
    )
    return HTMLResponse(html)


@router.get("/countries/{code}")
async def country(
    session: SessionDep, reader: ReaderDep, code: str, lang: LangParam = "en"
) -> HTMLResponse:
    found = await country_service.resolve_country(session, code)
    timelines = await timeline_views.all_timelines(reader, country=found)
    chart = await timeline_views.country_chart(reader, found, lang, today())
    labels = Labels(lang, *await timeline_views.chinese_names(reader))
    row = await country_service.get_country(session, found)
    html = country_page.render(
        {"code": row.code, "name_en": row.name_en}, timelines, chart, labels, today()
    )
    return HTMLResponse(html)


@router.get(memorandum.PATH)
async def memorandum_page(reader: ReaderDep, lang: LangParam = "en") -> HTMLResponse:
    act, listed, timelines = await timeline_views.memorandum(reader, today())
    labels = Labels(lang, *await timeline_views.chinese_names(reader))
    title = memorandum.WORDS[lang]["chart"]
    chart = timeline_views.memorandum_chart(timelines, labels, title, today())
    words = timeline_views.STATUS_LABELS[lang]
    return HTMLResponse(memorandum.render(act, listed, chart, labels, today(), words))
