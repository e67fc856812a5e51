"""Who is calling: the API key in `Authorization: Bearer <key>` and the scopes it holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api.deps import is_read
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


BEARER = HTTPBearer(
    scheme_name="bearerAuth",
    auto_error=False,
    description="An API key (`orgreg keys create --name me --scope write`), sent as "
    "`Authorization: Bearer <key>`. Reads are public; a key makes a read come from the primary "
    "database (read-your-writes). Writes need `write`; keys and webhooks need `admin`.",
)
"""Declares the scheme in the OpenAPI document (Swagger UI's Authorize button);
`current_principal` reads the header itself, so that a malformed one is a 401, not ignored."""


def require(scope: Scope) -> Callable[..., Awaitable[Principal]]:
    declared = Security(BEARER, scopes=[scope.value])

    async def dependency(
        principal: PrincipalDep, _: HTTPAuthorizationCredentials | None = declared
    ) -> Principal:
        if principal is None:
            raise Unauthorized(f"This operation needs an API key with the `{scope}` scope.")
        if not principal.allows(scope):
            raise Forbidden(f"The key '{principal.name}' lacks the `{scope}` scope.")
        return principal

    return dependency


WriterDep = Annotated[Principal, Depends(require(Scope.write))]
AdminDep = Annotated[Principal, Depends(require(Scope.admin))]


async def check_read_access(request: Request, principal: PrincipalDep) -> None:
    """Reads are public unless ORGREG_PUBLIC_READS is false; then any valid key may read."""
    if is_read(request.scope) and not get_settings().public_reads and principal is None:
        raise Unauthorized("Reads need an API key on this server.")
