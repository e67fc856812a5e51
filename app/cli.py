"""The `orgreg` command: run the service and manage its database.

Without DATABASE_URL every command starts (or reuses) the embedded PostgreSQL under
ORGREG_EMBEDDED_DATA_DIR (default .data/pg in the project), so `orgreg serve` works on a
machine with nothing installed but Python.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from alembic import command

from app import __version__
from app.config import get_settings
from app.services.health import alembic_config

cli = typer.Typer(
    help="orgreg: registry of international organizations and state membership.",
    no_args_is_help=True,
    add_completion=False,
)
db_cli = typer.Typer(
    help="Database schema and seed data (Alembic migrations).", no_args_is_help=True
)
cli.add_typer(db_cli, name="db")


def database_url() -> str:
    """DATABASE_URL, or the URL of the embedded server started here (and stopped at exit)."""
    settings = get_settings()
    if settings.database_url:
        return settings.database_url
    from app import embedded_postgres

    _, url = embedded_postgres.start(settings.embedded_data_dir)
    os.environ["DATABASE_URL"] = url  # uvicorn workers and get_settings() read it from here
    get_settings.cache_clear()
    typer.echo(f"Embedded PostgreSQL running in {settings.embedded_data_dir}", err=True)
    return url


def _version(value: bool) -> None:
    if value:
        typer.echo(f"orgreg {__version__}")
        raise typer.Exit()


@cli.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """orgreg command line."""


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind [ORGREG_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [ORGREG_PORT].")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes [ORGREG_WORKERS].")] = None,
    migrate: Annotated[
        bool, typer.Option(help="Bring the schema and seed data to the newest migration first.")
    ] = True,
) -> None:
    """Start the HTTP service (with its seed data)."""
    import uvicorn

    settings = get_settings()
    url = database_url()
    if migrate:
        command.upgrade(alembic_config(url), "head")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        proxy_headers=False,
    )


@db_cli.command()
def upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    command.upgrade(alembic_config(database_url()), revision)


@db_cli.command()
def downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (`base` empties the database)."""
    command.downgrade(alembic_config(database_url()), revision)


@db_cli.command()
def current() -> None:
    """Show the revision the database is at."""
    command.current(alembic_config(database_url()))


@db_cli.command()
def check() -> None:
    """Fail if the models and the migrated schema differ."""
    command.check(alembic_config(database_url()))


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
