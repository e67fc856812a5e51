"""Running uvicorn: one process, or a supervisor and N worker processes sharing one socket."""

from __future__ import annotations

import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess


class _TcpConfig(uvicorn.Config):
    """uvicorn binds the listener that its workers share without naming IPPROTO_TCP, so asyncio
    never turns TCP_NODELAY on for the connections it accepts, and every keep-alive response
    after the first waits about 40 ms for the client's delayed ACK (Kludex/uvicorn#3149).
    The same socket, with its protocol named, fixes that."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return sock
        fixed = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        fixed.set_inheritable(True)
        return fixed


def run(app: str, *, workers: int, **options: Any) -> None:
    """Like uvicorn.run(app, workers=..., ...), with the listener above when workers > 1."""
    config = _TcpConfig(app, workers=workers, **options)
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
