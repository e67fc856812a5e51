"""The data version moves once per committed write, at commit (migration 0021): a reader never
sees a version whose data it cannot see, and the notice carries the new version."""

from __future__ import annotations

import asyncio

from app.db import driver_connection

TOUCH = "UPDATE organizations SET updated_at = updated_at WHERE slug = 'who'"
VERSION = "SELECT version FROM data_version"


async def test_the_version_moves_once_at_commit_and_is_announced(committed_db: str) -> None:
    writer, reader, listener = [await driver_connection(committed_db) for _ in range(3)]
    notices: asyncio.Queue[str] = asyncio.Queue()
    await listener.add_listener("orgreg_data", lambda *args: notices.put_nowait(args[-1]))
    try:
        start = await reader.fetchval(VERSION)

        rolled_back = writer.transaction()
        await rolled_back.start()
        await writer.execute(TOUCH)
        await rolled_back.rollback()
        assert await reader.fetchval(VERSION) == start, "a rolled-back write moves nothing"

        committed = writer.transaction()
        await committed.start()
        await writer.execute(TOUCH)
        await writer.execute(TOUCH)
        assert await reader.fetchval(VERSION) == start, "not before the commit"
        await committed.commit()
        assert await reader.fetchval(VERSION) == start + 1, "once per transaction"
        assert await asyncio.wait_for(notices.get(), timeout=5) == str(start + 1)

        await writer.execute(TOUCH)  # a transaction of its own
        assert await reader.fetchval(VERSION) == start + 2
        assert await asyncio.wait_for(notices.get(), timeout=5) == str(start + 2)
        assert notices.empty(), "the rolled-back write announced nothing"
        assert await reader.fetchval("SELECT count(*) FROM data_version_pending") == 0
    finally:
        for connection in (writer, reader, listener):
            await connection.close()
