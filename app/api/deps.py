"""Dependencies every v1 route runs: parameter checks and the data-version stamp."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.db import SessionDep
from app.errors import InvalidParameter
from app.services.meta import data_version


async def stamp_data_version(request: Request, session: SessionDep) -> None:
    """Read the data version in the request's own session; the middleware puts it in
    `X-Data-Version`, on error answers too."""
    request.state.data_version = await data_version(session)


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
