"""``Cache-Control: no-store`` on every answer of the paths that can carry personal data, so
that no browser, proxy or client cache keeps a copy (errors included: a 409 or 422 about a
holder is about a person too)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_NO_STORE = (b"cache-control", b"no-store")


class NoStoreMiddleware:
    def __init__(self, app: ASGIApp, prefixes: Sequence[str]) -> None:
        self.app = app
        self.prefixes = tuple(prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"cache-control"]
                message["headers"] = [*headers, _NO_STORE]
            await send(message)

        await self.app(scope, receive, send_no_store)
