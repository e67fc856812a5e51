"""The `orgreg` command: run the service and manage its database.

Without DATABASE_URL every command starts (or reuses) the embedded PostgreSQL under
ORGREG_EMBEDDED_DATA_DIR (default .data/pg in the project), so `orgreg serve` works on a
machine with nothing installed but Python.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from alembic import command
from sqlalchemy.ext.asyncio import AsyncSession

from app import __version__
from app import cli_problems as problems
from app.config import get_settings
from app.db import make_engine
from app.observability import configure_logging
from app.services import contribution_import, exports, importer, webhook_delivery
from app.services import keys as keys_service
from app.services.cow_igo import bundled
from app.services.cow_igo import check as cow_check
from app.services.cow_igo import importer as cow_importer
from app.services.cow_igo.dataset import IGOS_IN_V3, DatasetError
from app.services.exports import Format, Resource
from app.services.health import alembic_config
from app.vocabulary import Scope

T = TypeVar("T")

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
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
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
    from app import serving

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    problems.check_port_free(host, port)
    url = database_url()
    if migrate:
        bring_up_to_date(url)
    else:
        problems.check_schema_current(url)
    configure_logging(settings.log_level, settings.log_format)
    serving.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers or settings.workers,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        log_config=None,
    )


@db_cli.command()
def upgrade(
    revision: Annotated[
        str, typer.Argument(help="The migration to stop at: a revision id, or head.")
    ] = "head",
) -> None:
    """Apply migrations up to REVISION (default: head); at head, also load the COW IGO
    history if the registry lacks it (ORGREG_LOAD_HISTORY=false: the curated seed only)."""
    url = database_url()
    if revision == "head":
        bring_up_to_date(url)
    else:
        command.upgrade(alembic_config(url), revision)


def bring_up_to_date(url: str) -> None:
    """The schema and seed at head, and the bundled history unless it is switched off."""
    command.upgrade(alembic_config(url), "head")
    if not get_settings().load_history or asyncio.run(bundled.history_loaded(url)):
        return
    started = time.monotonic()
    with _history_progress() as on_igo:
        report = asyncio.run(bundled.load_history(url, on_igo=on_igo))
    if report is not None:
        typer.echo(
            f"Loaded the COW IGO history in {time.monotonic() - started:.0f} s: "
            f"{report.organizations_created} organizations, {report.memberships_created} "
            f"memberships, {report.events_written} events.",
            err=True,
        )


@contextmanager
def _history_progress() -> Iterator[Callable[[object], None]]:
    """A bar on a terminal; elsewhere (logs, CI) a plain line every 100 IGOs."""
    label = "Loading the COW IGO history"
    if sys.stderr.isatty():
        with typer.progressbar(length=IGOS_IN_V3, label=label, file=sys.stderr) as bar:
            yield lambda _: bar.update(1)
        return
    done = 0

    def line(_: object) -> None:
        nonlocal done
        done += 1
        if done == 1 or done % 100 == 0 or done == IGOS_IN_V3:
            typer.echo(f"{label}: {done} of {IGOS_IN_V3} IGOs", err=True)

    yield line


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


keys_cli = typer.Typer(help="API keys.", no_args_is_help=True)
webhooks_cli = typer.Typer(help="Webhook delivery.", no_args_is_help=True)
import_cli = typer.Typer(help="Bulk imports.", no_args_is_help=True)
check_cli = typer.Typer(help="Compare the registry with a dataset.", no_args_is_help=True)
cli.add_typer(import_cli, name="import")
cli.add_typer(check_cli, name="check")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(webhooks_cli, name="webhooks")


def run_with_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` with a session on the configured (or embedded) database."""
    url = database_url()

    async def runner() -> T:
        engine = make_engine(url)
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(runner())


@keys_cli.command("create")
def keys_create(
    name: Annotated[
        str, typer.Option(help="Who the key is for; recorded on every change it makes.")
    ],
    scope: Annotated[list[Scope], typer.Option(help="read, write or admin; repeat for several.")],
    expires_in_days: Annotated[
        int | None, typer.Option(min=1, help="Default: never expires.")
    ] = None,
) -> None:
    """Create an API key and print its secret (shown only once)."""
    expires_at = (
        dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days) if expires_in_days else None
    )
    info, secret = run_with_session(lambda s: keys_service.create_key(s, name, scope, expires_at))
    typer.echo(f"Created key {info.id} ({info.name}; scopes: {', '.join(info.scopes)}).", err=True)
    typer.echo("Store the secret now; it cannot be shown again:", err=True)
    typer.echo(secret)


@keys_cli.command("list")
def keys_list() -> None:
    """List API keys (never their secrets)."""
    for info in run_with_session(keys_service.list_keys):
        state = "revoked" if info.revoked_at else "active"
        typer.echo(
            f"{info.id}\t{info.name}\t{','.join(info.scopes)}\t{state}\tprefix {info.prefix}"
        )


@keys_cli.command("revoke")
def keys_revoke(key_id: str) -> None:
    """Revoke an API key."""
    run_with_session(lambda s: keys_service.revoke_key(s, key_id))
    typer.echo(f"Revoked {key_id}.")


@webhooks_cli.command("deliver")
def webhooks_deliver(
    once: Annotated[bool, typer.Option(help="Deliver what is due now, then stop.")] = False,
    poll_seconds: Annotated[float, typer.Option(min=0.01)] = 1.0,
) -> None:
    """Deliver the webhook outbox (also done inside `orgreg serve`)."""
    url = database_url()

    async def deliver() -> None:
        engine = make_engine(url)
        stop = asyncio.Event()
        try:
            if once:
                async with webhook_delivery.new_client() as client:
                    while await webhook_delivery.deliver_due(engine, client):
                        pass
            else:
                await webhook_delivery.run(engine, stop, poll_seconds=poll_seconds)
        finally:
            await engine.dispose()

    asyncio.run(deliver())


@import_cli.command("events")
def import_events(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A .csv or .ndjson file.")
    ],
    dry_run: Annotated[bool, typer.Option(help="Validate and report; change nothing.")] = False,
    actor: Annotated[str, typer.Option(help="Name recorded on the revisions.")] = "import",
    reason: Annotated[str | None, typer.Option(help="Reason recorded on the revisions.")] = None,
) -> None:
    """Import membership events: all rows or none, under the API's rules."""
    try:
        rows = importer.read_rows(path)
    except (ValueError, UnicodeDecodeError) as exc:
        typer.echo(f"Cannot read {path}: {exc}", err=True)
        raise typer.Exit(code=2) from None
    url = database_url()
    with typer.progressbar(length=len(rows), label="Checking rows", file=sys.stderr) as bar:
        report = asyncio.run(
            importer.import_rows(
                url, rows, dry_run=dry_run, actor=actor, reason=reason, on_row=bar.update
            )
        )
    typer.echo(report.render())
    raise typer.Exit(code=0 if report.ok else 1)


@import_cli.command("contributions")
def import_contributions(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A .csv file (README layout).")
    ],
    dry_run: Annotated[bool, typer.Option(help="Validate and report; change nothing.")] = False,
    actor: Annotated[str, typer.Option(help="Name recorded on the revisions.")] = "import",
    reason: Annotated[str | None, typer.Option(help="Reason recorded on the revisions.")] = None,
) -> None:
    """Import contribution figures: all rows or none, under the API's rules."""
    try:
        rows = contribution_import.read_rows(path)
    except (ValueError, UnicodeDecodeError, csv.Error) as exc:
        typer.echo(f"Cannot read {path}: {exc}", err=True)
        raise typer.Exit(code=2) from None
    url = database_url()
    with typer.progressbar(length=len(rows), label="Checking rows", file=sys.stderr) as bar:
        report = asyncio.run(
            contribution_import.import_contributions(
                url, rows, dry_run=dry_run, actor=actor, reason=reason, on_row=bar.update
            )
        )
    typer.echo(report.render())
    raise typer.Exit(code=0 if report.ok else 1)


@import_cli.command("cow-igo")
def import_cow_igo(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="igo_year_formatv3.csv (COW IGO v3.0, wide)."
        ),
    ],
    dry_run: Annotated[bool, typer.Option(help="Match and report; change nothing.")] = False,
    actor: Annotated[str, typer.Option(help="Name recorded on the revisions.")] = "cow-igo",
    reason: Annotated[str | None, typer.Option(help="Reason recorded on the revisions.")] = None,
) -> None:
    """Import the Correlates of War IGO dataset: organizations, memberships, events, periods."""
    url = database_url()
    with typer.progressbar(length=IGOS_IN_V3, label="IGOs", file=sys.stderr) as bar:
        try:
            report = asyncio.run(
                cow_importer.import_cow_igo(
                    url,
                    path,
                    dry_run=dry_run,
                    actor=actor,
                    reason=reason,
                    on_igo=lambda _: bar.update(1),
                )
            )
        except (DatasetError, UnicodeDecodeError) as exc:
            typer.echo(f"Cannot import {path}: {exc}", err=True)
            raise typer.Exit(code=2) from None
    typer.echo(report.render())


@check_cli.command("cow-igo")
def check_cow_igo(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="igo_year_formatv3.csv (COW IGO v3.0, wide)."
        ),
    ],
) -> None:
    """Compare every coded cell of the COW file with the registry's answer on 1 July of its
    year; exit 1 if the registry states a tie COW does not have or loses a state."""
    try:
        report = asyncio.run(cow_check.check_cow_igo(database_url(), path))
    except (DatasetError, UnicodeDecodeError) as exc:
        typer.echo(f"Cannot read {path}: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(report.render())
    raise typer.Exit(code=0 if report.ok else 1)


@cli.command("export")
def export(
    resource: Annotated[
        Resource, typer.Argument(help="organizations, memberships, status or contributions")
    ],
    format: Annotated[Format, typer.Option("--format", help="ndjson or csv")] = "ndjson",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")
    ] = None,
) -> None:
    """Write an export (the same as GET /v1/export/...) from one consistent snapshot."""
    url = database_url()

    async def write() -> int:
        engine = make_engine(url)
        sink = output.open("wb") if output else sys.stdout.buffer
        show_progress = output is not None and sys.stderr.isatty()
        try:
            async with engine.connect() as connection:
                snapshot = await connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
                async with snapshot.begin():
                    total = (
                        await exports.row_count(snapshot, resource, format) if show_progress else 0
                    )
                    written = 0
                    with typer.progressbar(
                        length=total,
                        label=f"Exporting {resource}",
                        file=sys.stderr,
                        hidden=not show_progress,
                    ) as bar:
                        async for chunk in exports.export_lines(snapshot, resource, format):
                            sink.write(chunk)
                            lines = chunk.count(b"\n")
                            written += lines
                            bar.update(lines)
            return written
        finally:
            if output:
                sink.close()
            await engine.dispose()

    lines = asyncio.run(write())
    if output:
        typer.echo(f"Wrote {lines} lines to {output}.", err=True)


def main() -> None:
    """Run the CLI; the usual mistakes end in one line saying what to do (tracebacks: --debug)."""
    try:
        cli()
    except Exception as exc:
        if "--debug" in sys.argv:
            raise
        typer.echo(f"orgreg: {problems.describe(exc)}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
