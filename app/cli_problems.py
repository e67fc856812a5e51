"""The usual mistakes of running the service, each turned into one line saying what to do."""

from __future__ import annotations

import asyncio
import os
import socket

from alembic.util import CommandError
from pydantic import ValidationError
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
)

from app.errors import DomainError
from app.observability import redact
from app.services.health import head_revision, schema_revision


class CliError(Exception):
    """A mistake the operator can fix; the message says how."""


def check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CliError(
                f"cannot listen on {host}:{port} ({exc.strerror}): stop the process using it, or "
                "choose another port with --port or ORGREG_PORT."
            ) from None


def check_schema_current(url: str) -> None:
    revision, head = asyncio.run(schema_revision(url)), head_revision()
    if revision != head:
        raise CliError(
            f"the database schema is at {revision or 'nothing'}, this version needs {head}: "
            "run `orgreg db upgrade` (or serve without --no-migrate)."
        )


def _setting_name(location: tuple[object, ...]) -> str:
    """The environment variable the operator set: a setting read under two names (the database
    URL) is named as it was given."""
    field = str(location[0]).upper() if location else "?"
    if field in ("DATABASE_URL", "ORGREG_DATABASE_URL"):
        return "ORGREG_DATABASE_URL" if "ORGREG_DATABASE_URL" in os.environ else "DATABASE_URL"
    return field if field.startswith("ORGREG_") else f"ORGREG_{field}"


_LOGIN_REFUSED = "28"
"""SQLSTATE class 28: invalid authorization (no such role, wrong password, not allowed in)."""
_NO_SUCH_DATABASE = "3D000"


def _sqlstate(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc.__cause__ or exc
    return str(getattr(cause, "sqlstate", "") or "")


def describe(exc: BaseException) -> str:
    if isinstance(exc, CliError):
        return str(exc)
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        first = exc.errors()[0]
        return f"invalid setting {_setting_name(first['loc'])}: {first['msg']}."
    if isinstance(exc, DomainError):
        return f"{exc.kind.title.lower()}: {exc.detail}"
    reason = (redact(str(getattr(exc, "orig", None) or exc)).splitlines() or [""])[0]
    if _sqlstate(exc).startswith(_LOGIN_REFUSED):
        return (
            f"the database refused the login ({reason}): check the user name and password in "
            "DATABASE_URL."
        )
    if _sqlstate(exc) == _NO_SUCH_DATABASE:
        return (
            f"the database does not exist ({reason}): create it, or fix its name in DATABASE_URL."
        )
    if isinstance(exc, IntegrityError | DataError | ProgrammingError):
        return f"the database refused the work ({reason}); nothing was written."
    if isinstance(
        exc, OperationalError | InterfaceError | DBAPIError | ConnectionError | socket.gaierror
    ):
        return (
            f"cannot reach the database ({reason}): check DATABASE_URL and that PostgreSQL "
            "is running."
        )
    if isinstance(exc, OSError):
        return f"{redact(str(exc))}."
    if isinstance(exc, CommandError):
        return f"migration failed: {redact(str(exc))}."
    return f"unexpected {type(exc).__name__}: {redact(str(exc))} (run with --debug for details)."
