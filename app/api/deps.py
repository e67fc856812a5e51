"""Dependencies every v1 route runs: request checks and the data-version stamp."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.types import Scope

from app.api.negotiation import negotiate
from app.db import SessionDep
from app.errors import InvalidParameter, UnsupportedMediaType
from app.services.meta import data_version

E = TypeVar("E", bound=Callable[..., Any])


def stamps_own_data_version(endpoint: E) -> E:
    """Marks a route whose one statement reads the data version with the data (and sets
    `request.state.data_version` itself, before any error it raises): one round trip less."""
    endpoint.stamps_own_data_version = True  # type: ignore[attr-defined]
    return endpoint


def reads_only(endpoint: E) -> E:
    """Marks a POST that only reads (a query batch too long for a URL): like a GET it needs
    read access, and it leaves the response cache alone (a write empties it)."""
    endpoint.reads_only = True  # type: ignore[attr-defined]
    return endpoint


def is_read(scope: Scope) -> bool:
    """Whether the request, once routed, only reads: a GET or HEAD, or a `reads_only` POST."""
    if scope["method"] in ("GET", "HEAD"):
        return True
    return bool(getattr(getattr(scope.get("route"), "endpoint", None), "reads_only", False))


async def stamp_data_version(request: Request, session: SessionDep) -> None:
    """Read the data version in a read's own session; the middleware puts it in
    `X-Data-Version`, on error answers too. A write's answer is stamped after its commit
    (app.api.writes), so that it includes the write; a failed write's answer has none."""
    if request.method not in ("GET", "HEAD"):
        return
    route = request.scope.get("route")
    if getattr(getattr(route, "endpoint", None), "stamps_own_data_version", False):
        return
    request.state.data_version = await data_version(session)


@dataclass(frozen=True)
class _RouteContract:
    query_parameters: frozenset[str]
    media_types: tuple[str, ...]
    """What the route can answer with; JSON first."""
    body_media_types: tuple[str, ...]
    """What bodies the route documents taking (`openapi_extra`), if it says; else JSON."""


_CONTRACTS: dict[int, _RouteContract] = {}
"""Per route object (routes live as long as the app, so their ids are stable)."""


def _contract(route: APIRoute) -> _RouteContract:
    contract = _CONTRACTS.get(id(route))
    if contract is None:
        documented = route.responses.get(200, {}).get("content", {})
        declared = () if route.response_class is Response else ("application/json",)
        bodies = (route.openapi_extra or {}).get("requestBody", {}).get("content", {})
        contract = _RouteContract(
            query_parameters=frozenset(_query_parameter_names(route.dependant)),
            media_types=tuple(dict.fromkeys((*declared, *documented))),
            body_media_types=tuple(bodies),
        )
        _CONTRACTS[id(route)] = contract
    return contract


async def check_request_parameters(request: Request) -> None:
    """Reject what no route can use: unknown query parameters (a silently ignored typo returns
    wrong data), NUL characters (PostgreSQL text cannot hold them) and an Accept header that
    admits none of the route's representations (406)."""
    located = [("query", request.query_params.multi_items()), ("path", request.path_params.items())]
    for location, items in located:
        for name, value in items:
            if "\x00" in f"{name}{value}":
                raise InvalidParameter(name, "NUL characters are not allowed.", location=location)
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        _check_content_type(request, JSON_BODIES.get(request.method))
        return
    contract = _contract(route)
    _check_content_type(request, contract.body_media_types or JSON_BODIES.get(request.method))
    unknown = sorted(set(request.query_params) - contract.query_parameters)
    if unknown:
        raise InvalidParameter(
            unknown[0],
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Allowed: {', '.join(sorted(contract.query_parameters)) or 'none'}.",
        )
    if contract.media_types and "format" not in request.query_params:
        negotiate(request, {media_type: media_type for media_type in contract.media_types})


def _query_parameter_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_parameter_names(sub)
    return names


JSON_BODIES = {
    "POST": ("application/json",),
    "PATCH": ("application/json", "application/merge-patch+json"),
}


def _check_content_type(request: Request, allowed: tuple[str, ...] | None) -> None:
    has_body = (
        request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers
    )
    if allowed is None or not has_body:
        return
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in allowed:
        raise UnsupportedMediaType(
            f"Send the body as {' or '.join(allowed)} (got {media_type or 'no Content-Type'})."
        )
