"""Readiness: the database answers and its schema is at the newest migration."""

from __future__ import annotations

from functools import lru_cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.config import PROJECT_ROOT


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if database_url:
        config.attributes["database_url"] = database_url
    return config


@lru_cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def readiness(session: AsyncSession) -> dict[str, object]:
    """Checks and their results; raises nothing, so the caller decides the status code."""
    checks: dict[str, object] = {"database": "unreachable", "migrations": "unknown"}
    try:
        await session.execute(text("SELECT 1"))
        checks["database"] = "ok"
        current = (
            await session.execute(text("SELECT version_num FROM alembic_version"))
        ).scalar_one_or_none()
        head = head_revision()
        checks["migrations"] = "ok" if current == head else f"at {current}, head is {head}"
    except Exception as exc:  # the point of the check is to report any failure, not to raise it
        checks["error"] = type(exc).__name__
    return checks


async def schema_revision(url: str) -> str | None:
    """The migration the database at `url` is at (None: not migrated at all)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()
