"""The COW IGO history this repository ships (seed/cow-igo-v3/), loaded into a registry that
does not hold it yet: on first start, and by `orgreg db upgrade`, unless ORGREG_LOAD_HISTORY is
false. Later starts find it in place and read nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import exists, select

from app.db import all_or_nothing
from app.models.tables import dataset_periods
from app.services.cow_igo.dataset import BUNDLED, SOURCE_ID, Igo
from app.services.cow_igo.importer import CowReport, import_cow_igo


async def history_loaded(url: str) -> bool:
    async with all_or_nothing(url, keep=lambda: False) as session:
        query = select(exists().where(dataset_periods.c.source_id == SOURCE_ID))
        return bool((await session.execute(query)).scalar())


async def load_history(
    url: str, *, path: Path = BUNDLED, on_igo: Callable[[Igo], None] | None = None
) -> CowReport | None:
    """Import the dataset unless the registry already holds it; None when it does."""
    if await history_loaded(url):
        return None
    return await import_cow_igo(
        url,
        path,
        dry_run=False,
        actor="orgreg",
        reason="First load of the COW IGO history",
        on_igo=on_igo,
    )
