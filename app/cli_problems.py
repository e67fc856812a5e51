"""The usual mistakes of running the service, each turned into one line saying what to do."""

from __future__ import annotations

import asyncio
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
    field = str(location[0]) if location else "?"
    return "DATABASE_URL" if field == "DATABASE_URL" else f"ORGREG_{field.upper()}"


def describe(exc: BaseException) -> str:
    if isinstance(exc, CliError):
        return str(exc)
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        first = exc.errors()[0]
        return f"invalid setting {_setting_name(first['loc'])}: {first['msg']}."
    if isinstance(exc, IntegrityError | DataError | ProgrammingError):
        reason = redact(str(exc.orig or exc)).splitlines()[0]
        return f"the database refused the work ({reason}); nothing was written."
    if isinstance(
        exc, OperationalError | InterfaceError | DBAPIError | ConnectionError | socket.gaierror
    ):
        reason = redact(str(getattr(exc, "orig", exc) or exc)).splitlines()[0]
        return (
            f"cannot reach the database ({reason}): check DATABASE_URL and that PostgreSQL "
            "is running."
        )
    if isinstance(exc, OSError):
        return f"{redact(str(exc))}."
    if isinstance(exc, CommandError):
        return f"migration failed: {redact(str(exc))}."
    return f"unexpected {type(exc).__name__}: {redact(str(exc))} (run with --debug for details)."
