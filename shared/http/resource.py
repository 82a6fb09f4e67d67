"""One HTTP shape for every lifecycle aggregate kept as a document: create (with
``Idempotency-Key``), read (``ETag``), transitions (``If-Match``). Services add their
own list route and extra actions on ``resource.router``."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from shared import aggregates
from shared.aggregates import LifecycleAggregate
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.documents import DocumentRepository, Step, change_document, create_document
from shared.http.conditional import etag, expected_version
from shared.http.idempotency import created
from shared.types import TransitionRequest, input_model

A = TypeVar("A", bound=LifecycleAggregate)
SERVICE_SET = ("id", "status", "status_reason", "version", "created_at", "updated_at")


def today() -> date:
    return datetime.now(UTC).date()


def output_model(model: type[LifecycleAggregate]) -> type[BaseModel]:
    class Out(model):  # type: ignore[valid-type, misc]
        allowed_transitions: list[str] = Field(description="where the lifecycle may go next")

    Out.__name__ = f"{model.__name__}Out"
    return Out


class LifecycleResource(Generic[A]):
    """``/v1/<path>`` for one kind of aggregate."""

    def __init__(
        self,
        path: str,
        noun: str,
        model: type[A],
        table: Table,
        *,
        scope: str,
        exclude: tuple[str, ...] = (),
        repository: type[DocumentRepository[Any]] = DocumentRepository,
        transitions: bool = True,
        output: type[BaseModel] | None = None,
        shown: Callable[[A], dict[str, Any]] = lambda _: {},
    ) -> None:
        self.path, self.noun, self.model, self.table = path, noun, model, table
        self.read_scope, self.write_scope = f"{scope}:read", f"{scope}:write"
        self.repository = repository
        self.input = input_model(model, exclude=SERVICE_SET + exclude)
        self.output = output or output_model(model)
        self.shown = shown
        self.router = APIRouter(prefix=f"/v1/{path}", tags=[path])
        self._create_route()
        self._read_route()
        if transitions:
            self._transitions_route()

    def repo(self, session: AsyncSession) -> DocumentRepository[A]:
        return self.repository(session, self.table, self.model, self.noun)

    def out(self, aggregate: A) -> BaseModel:
        allowed = sorted(aggregate.lifecycle.allowed_from(aggregate.status))
        return self.output(**dict(aggregate), allowed_transitions=allowed, **self.shown(aggregate))

    def respond(self, aggregate: A, status: int = 200) -> JSONResponse:
        return JSONResponse(
            self.out(aggregate).model_dump(mode="json"),
            status_code=status,
            headers={"ETag": etag(aggregate.version)},
        )

    async def change(
        self, ctx: ServiceContext, aggregate_id: str, step: Step[A], if_match: str | None
    ) -> A:
        """One domain step in one transaction, with its events."""
        assert ctx.outbox is not None
        async with ctx.db.unit_of_work() as session:
            return await change_document(
                session, ctx.outbox, self.repo(session), aggregate_id, step,
                expected_version(if_match),
            )  # fmt: skip

    def _create_route(self) -> None:
        resource, Input = self, self.input

        @self.router.post("", status_code=201, response_model=self.output)
        async def create(
            body: Input,  # type: ignore[valid-type]
            principal: Principal = require_scope(self.write_scope),
            idempotency_key: str | None = Header(None),
            ctx: ServiceContext = Depends(get_context),
        ) -> JSONResponse:
            async def make(session: AsyncSession) -> tuple[dict[str, Any], dict[str, str]]:
                assert ctx.outbox is not None
                aggregate = await create_document(
                    session,
                    ctx.outbox,
                    resource.repo(session),
                    aggregates.create(resource.model.model_validate(dict(body))),
                )
                location = f"/v1/{resource.path}/{aggregate.id}"
                return created(resource.out(aggregate), location, aggregate.version)

            assert ctx.idempotency is not None
            return await ctx.idempotency.create(
                principal=principal,
                key=idempotency_key,
                endpoint=f"POST /v1/{resource.path}",
                body=body,
                create=make,
            )

    def _read_route(self) -> None:
        resource = self

        @self.router.get("/{aggregate_id}", response_model=self.output)
        async def read(
            aggregate_id: str,
            _: Principal = require_scope(self.read_scope),
            ctx: ServiceContext = Depends(get_context),
        ) -> JSONResponse:
            async with ctx.db.unit_of_work(write=False) as session:
                return resource.respond(await resource.repo(session).get(aggregate_id))

    def _transitions_route(self) -> None:
        resource = self

        @self.router.post("/{aggregate_id}/transitions", response_model=self.output)
        async def move(
            aggregate_id: str,
            body: TransitionRequest,
            if_match: str | None = Header(None),
            _: Principal = require_scope(self.write_scope),
            ctx: ServiceContext = Depends(get_context),
        ) -> JSONResponse:
            step = lambda a: aggregates.transition(a, body.to, body.reason, today())  # noqa: E731
            return resource.respond(await resource.change(ctx, aggregate_id, step, if_match))
