"""The one dependency of every write route: who asks, the service, and the request's
write headers (``If-Match`` on changes, ``Idempotency-Key`` on creations), as the report
routes have ``ReportRequest``. Routes stay thin: they parse, call a use case, answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.http.conditional import expected_version
from shared.http.idempotency import Replay
from shared.writes import UnitOfWork, Writer

IF_MATCH = (
    'The ETag last read (e.g. "3"): the change is made only if the resource is still at that '
    "version, else 412. Without it (or with *) the change applies to whatever is current."
)
IDEMPOTENCY_KEY = (
    "Any unique string of 1 to 200 characters chosen by the caller (a UUID is usual). A retry "
    "with the same key and body creates nothing more and gets the first answer "
    "(Idempotent-Replayed: true); the same key with another body is 422."
)

# What a creating use case answers: the body, and its ``Location`` and ``ETag`` headers.
Created = tuple[dict[str, Any], dict[str, str]]


@dataclass(frozen=True)
class ChangeRequest:
    principal: Principal
    ctx: ServiceContext
    if_match: str | None

    @property
    def expected_version(self) -> int | None:
        """The version ``If-Match`` demands (412 when it names none); ``None`` without it."""
        return expected_version(self.if_match)

    @property
    def writer(self) -> Writer:
        return self.ctx.writer


@dataclass(frozen=True)
class CreateRequest:
    principal: Principal
    ctx: ServiceContext
    idempotency_key: str | None

    async def create(
        self,
        endpoint: str,
        body: BaseModel,
        make: Callable[[UnitOfWork], Awaitable[Created]],
        replay: Replay | None = None,
    ) -> JSONResponse:
        """Run ``make`` once per caller and ``Idempotency-Key``, in the idempotency
        record's transaction; a retry gets the first answer (or ``replay``'s)."""
        writer = self.ctx.writer

        async def in_unit_of_work(session: Any) -> Created:
            return await make(writer.joining(session))

        if self.ctx.idempotency is None:
            raise RuntimeError(f"{self.ctx.settings.service} keeps no idempotency records")
        return await self.ctx.idempotency.create(
            principal=self.principal,
            key=self.idempotency_key,
            endpoint=endpoint,
            body=body,
            create=in_unit_of_work,
            replay=replay,
        )


def change_request(scope: str, *, conditional: bool = True) -> Any:
    """``Depends``: a change to an existing resource, needing ``scope``; ``If-Match`` is
    honoured unless the change is not ``conditional``."""

    async def unconditional(
        principal: Principal = require_scope(scope),
        ctx: ServiceContext = Depends(get_context),
    ) -> ChangeRequest:
        return ChangeRequest(principal, ctx, None)

    if not conditional:
        return Depends(unconditional)

    async def dependency(
        if_match: str | None = Header(None, description=IF_MATCH),
        principal: Principal = require_scope(scope),
        ctx: ServiceContext = Depends(get_context),
    ) -> ChangeRequest:
        return ChangeRequest(principal, ctx, if_match)

    return Depends(dependency)


def create_request(scope: str) -> Any:
    """``Depends``: a creation, needing ``scope``, idempotent under ``Idempotency-Key``."""

    async def dependency(
        principal: Principal = require_scope(scope),
        idempotency_key: str | None = Header(None, description=IDEMPOTENCY_KEY),
        ctx: ServiceContext = Depends(get_context),
    ) -> CreateRequest:
        return CreateRequest(principal, ctx, idempotency_key)

    return Depends(dependency)
