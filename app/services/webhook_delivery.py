"""Delivers the webhook outbox: signed POSTs, retries with exponential backoff, order kept per
organization, nothing lost across crashes (a row leaves `pending` only after a 2xx, so a crash
mid-delivery means the message is sent again, with the same `webhook-id` for deduplication).

Several workers may run at once (one per service process, or `orgreg webhooks deliver`):
`FOR UPDATE SKIP LOCKED` hands each message to one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
from typing import Any

import httpx
from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.config import get_settings
from app.models.tables import webhook_outbox
from app.services.webhooks import check_destination, sign
from app.vocabulary import DeliveryState

log = logging.getLogger("orgreg.webhooks")

DUE = text("""
    SELECT o.id, o.message_id, o.payload, o.attempts, w.url, w.secret
    FROM webhook_outbox o JOIN webhooks w ON w.id = o.webhook_id
    WHERE o.state = 'pending' AND o.next_attempt_at <= now() AND w.deleted_at IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM webhook_outbox earlier
        WHERE earlier.webhook_id = o.webhook_id AND earlier.ordering_key = o.ordering_key
          AND earlier.state = 'pending' AND earlier.id < o.id)
    ORDER BY o.id
    LIMIT :batch
    FOR UPDATE OF o SKIP LOCKED
""")


async def deliver_due(engine: AsyncEngine, client: httpx.AsyncClient, *, batch: int = 20) -> int:
    """Attempt every message that is due (at most `batch`); returns how many were attempted."""
    async with engine.begin() as conn:
        rows = (await conn.execute(DUE, {"batch": batch})).mappings().all()
        for row in rows:
            await _attempt(conn, client, row)
    return len(rows)


async def _attempt(conn: AsyncConnection, client: httpx.AsyncClient, row: Any) -> None:
    settings = get_settings()
    body = json.dumps(row["payload"], separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(time.time())
    status: int | None = None
    error: str | None = None
    try:
        check_destination(row["url"])
        response = await client.post(
            row["url"],
            content=body,
            headers={
                "content-type": "application/json",
                "webhook-id": row["message_id"],
                "webhook-timestamp": str(timestamp),
                "webhook-signature": sign(row["secret"], row["message_id"], timestamp, body),
                "user-agent": "orgreg-webhooks",
            },
        )
        status = response.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}" + (
                " (redirects are not followed)" if 300 <= status < 400 else ""
            )
    except ValueError as exc:  # destination no longer allowed
        error = f"refused destination: {exc}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    attempts = row["attempts"] + 1
    this_message = webhook_outbox.update().where(webhook_outbox.c.id == row["id"])
    if error is None:
        await conn.execute(
            this_message.values(
                state=DeliveryState.delivered.value,
                attempts=attempts,
                last_status_code=status,
                last_error=None,
                delivered_at=func.now(),
            )
        )
        return
    gave_up = attempts >= settings.webhook_max_attempts
    delay = dt.timedelta(seconds=settings.webhook_backoff_seconds * 2 ** (attempts - 1))
    log.warning("webhook delivery %s failed (attempt %d): %s", row["message_id"], attempts, error)
    await conn.execute(
        this_message.values(
            state=(DeliveryState.failed if gave_up else DeliveryState.pending).value,
            attempts=attempts,
            last_status_code=status,
            last_error=error[:1000],
            next_attempt_at=func.now() + delay,
        )
    )


def new_client() -> httpx.AsyncClient:
    """Outbound HTTP for deliveries: bounded time, no redirects, no proxies from the environment."""
    timeout = get_settings().webhook_timeout_seconds
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False
    )


async def run(engine: AsyncEngine, stop: asyncio.Event, *, poll_seconds: float = 1.0) -> None:
    """Deliver until `stop` is set, sleeping `poll_seconds` when nothing is due."""
    async with new_client() as client:
        while not stop.is_set():
            try:
                attempted = await deliver_due(engine, client)
            except Exception:  # keep the worker alive through database hiccups
                log.exception("webhook delivery round failed")
                attempted = 0
            if attempted == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=poll_seconds)
