"""/v1/changes: the change feed."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response

from app.api.pagination import Cursor, PageSize, set_link_header
from app.api.params import KNOWN_AT
from app.config import get_settings
from app.db import SessionDep
from app.pagination import DEFAULT_PAGE_SIZE, encode_cursor, page_request
from app.schemas.problem import problem_responses
from app.schemas.revisions import ChangePage
from app.services import revisions as service

router = APIRouter(tags=["changes"])


@router.get(
    "/changes",
    dependencies=[KNOWN_AT],
    operation_id="listChanges",
    summary="Every change (creations, edits, events, deletions, merges) after a cursor",
    description="Replay from any cursor to stay in sync: items come in commit order and are "
    "never skipped. Without a cursor the feed starts at the oldest change still in its "
    "retention window. A cursor older than the window answers 410: re-export, then follow the "
    "feed from a fresh cursor. `poll_cursor` is where to continue later.",
    responses=problem_responses(304, 400, 410),
)
async def list_changes(
    request: Request,
    response: Response,
    session: SessionDep,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> ChangePage:
    page = page_request(page_size, cursor, "change", (int,))
    retention = dt.timedelta(days=get_settings().change_retention_days)
    items, next_cursor = await service.feed(session, page, retention)
    set_link_header(request, response, next_cursor)
    poll_cursor = encode_cursor("change", [items[-1].id]) if items else cursor
    return ChangePage(items=items, next_cursor=next_cursor, poll_cursor=poll_cursor)
