"""Pure-ASGI middleware, outermost: the correlation id, request metrics (labels from closed
sets only: known methods, route templates, never raw paths) and the last word on an error
nothing else handled (a 500 problem with the correlation id, logged without values)."""

from __future__ import annotations

import logging
import re
import time
import traceback

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.problems import problem_response
from shared.observability import (
    HTTP_LATENCY,
    HTTP_REQUESTS,
    correlation_id,
    new_correlation_id,
)

log = logging.getLogger(__name__)

_HEADER = b"x-correlation-id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    """The method as a metric label: one of the known ones, else ``other``."""
    return method if method in METHODS else "other"


def route_label(scope: Scope) -> str:
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


def log_unhandled(exc: BaseException, scope: Scope) -> None:
    """Where it failed and what kind of error, never its message: messages of database and
    validation errors carry the statement's parameters and the values that were sent."""
    frames = traceback.extract_tb(exc.__traceback__)
    log.error(
        "unhandled error",
        extra={
            "error_type": f"{type(exc).__module__}.{type(exc).__qualname__}",
            "route": route_label(scope),
            "method": method_label(scope["method"]),
            "stack": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames[-12:]],
        },
    )


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(_HEADER, b"").decode("latin-1")
        cid = incoming if _VALID.match(incoming) else new_correlation_id()
        token = correlation_id.set(cid)
        status = 500
        responded = False
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status, responded = message["status"], True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (_HEADER, cid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            log_unhandled(exc, scope)
            if not responded:
                response = problem_response(
                    500, "Internal error", "the error was logged under this correlation id",
                    instance=scope["path"],
                )  # fmt: skip
                await response(scope, receive, send_with_headers)
        finally:
            template, method = route_label(scope), method_label(scope["method"])
            HTTP_REQUESTS.labels(self.service, method, template, str(status)).inc()
            HTTP_LATENCY.labels(self.service, method, template).observe(
                time.perf_counter() - started
            )
            correlation_id.reset(token)
