"""HTML pages for people (see app/pages): `/`, `/problems`, and the organization, country and
memorandum pages. Kept out of the OpenAPI document: they are for browsers, not clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from app.config import get_settings
from app.db import SessionDep
from app.errors import NotFound
from app.pages import landing, problems
from app.pages.layout import Lang
from app.problem_types import PROBLEM_TYPES
from app.services import meta

router = APIRouter(
    include_in_schema=False,
    default_response_class=HTMLResponse,
)
LangParam = Annotated[Lang, Query(description="Page language: `en` or `zh` (Chinese).")]


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
