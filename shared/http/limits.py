"""Request body limits, checked before anything reads the body or authenticates the caller.

A ``Content-Length`` over the limit is refused at once, without reading a byte of the body;
a body without one (chunked) is counted as it streams in and cut off at the limit. Either way
the answer is a 413 problem+json that closes the connection, so the server does not go on
reading what the client still sends.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.problems import problem_response

TITLE = "Content too large"


def _too_large(limit: int) -> str:
    return f"the request body may have at most {limit} bytes"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit; the problem handlers
    answer it like any other HTTP refusal."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, TITLE, headers={"Connection": "close"})
        self.limit = limit


class BodyLimitMiddleware:
    """``limit`` bytes for every request; ``per_path`` gives some paths (file imports) their
    own."""

    def __init__(self, app: ASGIApp, limit: int, per_path: Mapping[str, int] | None = None):
        self.app = app
        self.limit = limit
        self.per_path = dict(per_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope["path"], self.limit)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            response = problem_response(
                413, TITLE, _too_large(limit), instance=scope["path"],
                headers={"Connection": "close"},
            )  # fmt: skip
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)
