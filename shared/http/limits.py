"""Request size limits, checked before anything reads the body or authenticates the caller.

Headers: their total size is at most ``header_limit`` (431 problem+json beyond; the server's
own parser also bounds a head that arrives in pieces).

A ``Content-Length`` over the limit is refused at once, without reading a byte of the body;
a body without one (chunked) is counted as it streams in and cut off at the limit. Either way
the answer is a 413 problem+json, sent while the client may still be sending: the server then
discards the rest as it arrives, holding none of it (closing at once instead would reset the
connection under the client before it read the answer).
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

    def __init__(self) -> None:
        super().__init__(413, TITLE)


class RequestLimitsMiddleware:
    """``limit`` body bytes for every request, ``per_path`` some paths (file imports) their
    own; ``header_limit`` bytes of headers."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        header_limit: int,
        per_path: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.header_limit = header_limit
        self.per_path = dict(per_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        head += sum(len(name) + len(value) + 4 for name, value in scope["headers"])
        if head > self.header_limit:
            response = problem_response(
                431, "Request header fields too large",
                f"the request line and headers may have at most {self.header_limit} bytes",
                instance=scope["path"],
            )  # fmt: skip
            await response(scope, receive, send)
            return
        limit = self.per_path.get(scope["path"], self.limit)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            response = problem_response(413, TITLE, _too_large(limit), instance=scope["path"])
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)
