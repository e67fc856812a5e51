"""A real HTTP server on loopback that records webhook deliveries (and can fail on purpose)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    fail_first: dict[str, int] = field(default_factory=dict)
    """webhook-id -> how many deliveries of it to answer with 500 before accepting."""
    delay_seconds: float = 0.0

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]


def _app(receiver: Receiver) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the sender died mid-request (a killed worker): nothing was delivered
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        if receiver.delay_seconds:
            await asyncio.sleep(receiver.delay_seconds)
        message_id = headers.get("webhook-id", "")
        status = 200
        if receiver.fail_first.get(message_id, 0) > 0:
            receiver.fail_first[message_id] -= 1
            status = 500
        else:
            receiver.received.append(Received(headers, body))
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return app


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    receiver = Receiver(url=f"http://127.0.0.1:{port}/hook")
    server = uvicorn.Server(
        uvicorn.Config(
            _app(receiver), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=10)
