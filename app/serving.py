"""Running uvicorn: one process, or a supervisor and N worker processes on one port."""

from __future__ import annotations

import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

# Every listener here names its protocol (IPPROTO_TCP), or asyncio never turns TCP_NODELAY
# on for the connections it accepts and every keep-alive response after the first waits about
# 40 ms for the client's delayed ACK (Kludex/uvicorn#3149).


def _reuse_port_socket(
    family: int, host: str, port: int, kind: type[socket.socket] = socket.socket
) -> socket.socket:
    """A TCP socket bound to (host, port) beside the other workers' (SO_REUSEPORT)."""
    sock = kind(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


class _PerWorkerListener(socket.socket):
    """What the supervisor hands each worker in place of one shared listener: unpickled in the
    worker, it becomes that worker's own socket on the same port.

    With one shared listener, the worker that wakes first accepts every connection waiting
    (asyncio accepts up to the backlog at once), so a client's keep-alive pool usually lands
    whole on one worker while the others idle. With SO_REUSEPORT the kernel spreads new
    connections over the workers' sockets, and a worker that dies takes its socket with it.
    The supervisor's own copy is bound (so a taken port fails at once) but never listens, so
    no connection waits on it."""

    def __reduce__(self) -> tuple[Any, ...]:
        host, port = self.getsockname()[:2]
        return (_reuse_port_socket, (self.family, host, port))


class _TcpConfig(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        shared = super().bind_socket()
        if shared.family not in (socket.AF_INET, socket.AF_INET6):
            return shared
        if sys.platform != "linux":  # only Linux balances connections over SO_REUSEPORT
            named = socket.socket(
                shared.family, shared.type, socket.IPPROTO_TCP, fileno=shared.detach()
            )
            named.set_inheritable(True)
            return named
        family, (host, port) = shared.family, shared.getsockname()[:2]
        shared.close()
        return _reuse_port_socket(family, host, port, _PerWorkerListener)


def run(app: str, *, workers: int, **options: Any) -> None:
    """Like uvicorn.run(app, workers=..., ...), with a listener per worker when workers > 1."""
    config = _TcpConfig(app, workers=workers, **options)
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
