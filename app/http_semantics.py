"""HTTP semantics the framework leaves out (RFC 9110): HEAD is answered as GET without the
body (9.3.2), and repeated lines of a list-based header are one comma-separated list (5.3),
so `If-Match: "a"` and `If-Match: "b"` mean `If-Match: "a", "b"` to every handler."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LIST_HEADERS = (b"if-match", b"if-none-match")


class HttpSemanticsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope["headers"] = _folded(scope["headers"])  # in place: the router notes the route here
        if scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        scope["method"] = "GET"
        await self.app(scope, receive, without_body)


def _folded(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    values: dict[bytes, list[bytes]] = {}
    for name, value in headers:
        if name in LIST_HEADERS:
            values.setdefault(name, []).append(value)
    if all(len(v) == 1 for v in values.values()):
        return headers
    kept = [(name, value) for name, value in headers if name not in values]
    return kept + [(name, b", ".join(v)) for name, v in values.items()]
