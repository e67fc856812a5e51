"""Who is calling: the API key in `Authorization: Bearer <key>` and the scopes it holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant

from app.config import get_settings
from app.db import SessionDep
from app.errors import Forbidden, Unauthorized
from app.services.keys import Principal, authenticate
from app.vocabulary import Scope


async def current_principal(request: Request, session: SessionDep) -> Principal | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send the API key as `Authorization: Bearer <key>`.")
    principal = await authenticate(session, token.strip())
    if principal is None:
        raise Unauthorized("The API key is unknown, revoked or expired.")
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal | None, Depends(current_principal)]


def require(scope: Scope) -> Callable[[Principal | None], Awaitable[Principal]]:
    async def dependency(principal: PrincipalDep) -> Principal:
        if principal is None:
            raise Unauthorized(f"This operation needs an API key with the `{scope}` scope.")
        if not principal.allows(scope):
            raise Forbidden(f"The key '{principal.name}' lacks the `{scope}` scope.")
        return principal

    dependency.required_scope = scope  # type: ignore[attr-defined]
    return dependency


def required_scope(dependant: Dependant) -> Scope | None:
    """The scope a route's dependencies demand, if any: the OpenAPI document marks it."""
    for dependency in dependant.dependencies:
        scope = getattr(dependency.call, "required_scope", None) or required_scope(dependency)
        if scope is not None:
            return Scope(scope)
    return None


WriterDep = Annotated[Principal, Depends(require(Scope.write))]
AdminDep = Annotated[Principal, Depends(require(Scope.admin))]


async def check_read_access(request: Request, principal: PrincipalDep) -> None:
    """Reads are public unless ORGREG_PUBLIC_READS is false; then any valid key may read."""
    if request.method in ("GET", "HEAD") and not get_settings().public_reads and principal is None:
        raise Unauthorized("Reads need an API key on this server.")
