"""Query parameters shared by several routers, and the guard against unknown ones."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.errors import InvalidParameter
from app.services.memberships import today

E = TypeVar("E", bound=StrEnum)

AsOf = Annotated[
    dt.date | None,
    Query(
        description="The state of the world on this date (YYYY-MM-DD); default today (UTC).",
        examples=["2026-01-06"],
    ),
]
StatusList = Annotated[
    str | None,
    Query(
        description="Comma-separated statuses: member, associate, observer, suspended, "
        "withdrawal_pending, withdrawn, non_member.",
        max_length=200,
        examples=["member,withdrawal_pending"],
    ),
]
CategorySlug = Annotated[
    str | None,
    Query(description="Category slug; includes the categories below it.", max_length=100),
]


def as_of_or_today(as_of: dt.date | None) -> dt.date:
    return as_of or today()


def parse_enum_list(name: str, raw: str | None, vocabulary: type[E]) -> list[E]:
    if raw is None:
        return []
    values = [part.strip() for part in raw.split(",") if part.strip()]
    allowed = {member.value: member for member in vocabulary}
    unknown = [v for v in values if v not in allowed]
    if unknown or not values:
        raise InvalidParameter(
            name,
            f"Unknown value(s) {', '.join(map(repr, unknown)) or '(empty)'}; "
            f"allowed: {', '.join(allowed)}.",
        )
    return [allowed[v] for v in dict.fromkeys(values)]


_ALLOWED: dict[int, frozenset[str]] = {}
"""Allowed names per route object (routes live as long as the app, so their ids are stable)."""


async def check_request_parameters(request: Request) -> None:
    """Reject what no route can use: unknown query parameters (a silently ignored typo returns
    wrong data) and NUL characters, which PostgreSQL text cannot hold."""
    located = [("query", request.query_params.multi_items()), ("path", request.path_params.items())]
    for location, items in located:
        for name, value in items:
            if "\x00" in f"{name}{value}":
                raise InvalidParameter(name, "NUL characters are not allowed.", location=location)
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = _ALLOWED.get(id(route))
    if allowed is None:
        allowed = frozenset(_query_parameter_names(route.dependant))
        _ALLOWED[id(route)] = allowed
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise InvalidParameter(
            unknown[0],
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Allowed: {', '.join(sorted(allowed)) or 'none'}.",
        )


def _query_parameter_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_parameter_names(sub)
    return names
