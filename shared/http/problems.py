"""RFC 9457 problem details for every error; no stack trace ever reaches a client."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from shared.errors import DomainError
from shared.observability import correlation_id

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An HTTP-level refusal (authentication, headers, cursors...)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers
        self.extra = extra


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if correlation_id.get():
        body["correlation_id"] = correlation_id.get()
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    # The rejected input is deliberately not echoed: it may be personal data.
    return [
        {
            "field": ".".join(str(p) for p in err.get("loc", ())),
            "message": err.get("msg", ""),
            "type": err.get("type", ""),
        }
        for err in exc.errors()
    ]


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route of ``path`` answers (Starlette names only the first route's)."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(app.state, "irp_methods", None)
    if table is None:
        table = [
            (compile_path(c.path)[0], set(c.methods))
            for c in iter_route_contexts(app.routes)
            if c.path and c.methods
        ]
        app.state.irp_methods = table
    methods = {m for regex, ms in table if regex.match(path) for m in ms}
    return sorted(methods | {"OPTIONS"}) if methods else []


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.title,
            exc.detail,
            instance=request.url.path,
            headers=exc.headers,
            **exc.extra,
        )

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            exc.status, exc.title, exc.detail, instance=request.url.path, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        if any(e["type"] == "json_invalid" for e in errors):
            return problem_response(
                400,
                "Malformed JSON",
                "the request body is not valid JSON",
                instance=request.url.path,
            )
        return problem_response(
            422,
            "Invalid request",
            "one or more fields are invalid",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(ValidationError)
    async def _invalid_state(request: Request, exc: ValidationError) -> JSONResponse:
        # A request whose fields each pass but whose result a model refuses (a PATCH that
        # clears a required field): the caller's to fix, like any invalid field.
        errors = [
            {"field": ".".join(str(p) for p in ("body", *e["loc"])), "message": e["msg"],
             "type": e["type"]}
            for e in exc.errors()
        ]  # fmt: skip
        return problem_response(
            422, "Invalid request", "the change would leave the record invalid",
            instance=request.url.path, errors=errors,
        )  # fmt: skip

    @app.exception_handler(IntegrityError)
    async def _conflict(request: Request, exc: IntegrityError) -> JSONResponse:
        # A unique constraint lost a race, or a duplicate or dangling reference slipped past
        # the use case's checks. The message names the constraint and its values: neither
        # goes to the caller or the log.
        log.info("integrity conflict", extra={"error_type": type(exc.orig).__name__})
        return problem_response(
            409,
            "Conflict with an existing record",
            "the change conflicts with a record already kept (a unique value taken twice, "
            "or a reference to a record that does not exist)",
            instance=request.url.path,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
            if request.method == "OPTIONS":
                return Response(status_code=204, headers=headers)
        return problem_response(
            exc.status_code,
            str(exc.detail) if exc.detail else "Error",
            instance=request.url.path,
            headers=headers,
        )
