"""One HTTP shape for every lifecycle aggregate kept as a document: create (with
``Idempotency-Key``), read (``ETag``), transitions (``If-Match``). Services add their
own list route and extra actions on ``resource.router``."""

from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from shared import aggregates, documents
from shared.aggregates import LifecycleAggregate
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.documents import DocumentRepository, Step, create_document
from shared.http.conditional import etag
from shared.http.idempotency import created
from shared.http.writes import (
    ChangeRequest,
    Created,
    CreateRequest,
    change_request,
    create_request,
)
from shared.types import TransitionRequest, input_model
from shared.writes import UnitOfWork

A = TypeVar("A", bound=LifecycleAggregate)
SERVICE_SET = ("id", "status", "status_reason", "version", "created_at", "updated_at")


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
        derived: Callable[[A], dict[str, Any]] | None = None,  # fields the answer adds
    ) -> None:
        self.path, self.noun, self.model, self.table = path, noun, model, table
        self.read_scope, self.write_scope = f"{scope}:read", f"{scope}:write"
        self.repository = repository
        self.input = input_model(model, exclude=SERVICE_SET + exclude)
        self.output = output or output_model(model)
        self.derived = derived
        self.router = APIRouter(prefix=f"/v1/{path}", tags=[path])
        self._create_route()
        self._read_route()
        if transitions:
            self._transitions_route()

    def repo(self, session: AsyncSession) -> DocumentRepository[A]:
        return self.repository(session, self.table, self.model, self.noun)

    def out(self, aggregate: A) -> BaseModel:
        allowed = sorted(aggregate.lifecycle.allowed_from(aggregate.status))
        return self.output(
            **dict(aggregate),
            allowed_transitions=allowed,
            **(self.derived(aggregate) if self.derived else {}),
        )

    def respond(self, aggregate: A, status: int = 200) -> JSONResponse:
        return JSONResponse(
            self.out(aggregate).model_dump(mode="json"),
            status_code=status,
            headers={"ETag": etag(aggregate.version)},
        )

    async def change(
        self, request: ChangeRequest, aggregate_id: str, step: Step[A], *args: Any
    ) -> A:
        """``step(aggregate, *args)`` in one unit of work, with its events."""
        return await documents.change(
            request.writer, self.repo, aggregate_id, step, *args,
            expected_version=request.expected_version,
        )  # fmt: skip

    async def create_new(self, uow: UnitOfWork, body: BaseModel) -> Created:
        aggregate = await create_document(
            uow, self.repo(uow.session), aggregates.create(self.model.model_validate(dict(body)))
        )
        return created(self.out(aggregate), f"/v1/{self.path}/{aggregate.id}", aggregate.version)

    def _create_route(self) -> None:
        resource, Input = self, self.input

        @self.router.post("", status_code=201, response_model=self.output)
        async def create(
            body: Input,  # type: ignore[valid-type]
            request: CreateRequest = create_request(self.write_scope),
        ) -> JSONResponse:
            return await request.create(
                f"POST /v1/{resource.path}", body, partial(resource.create_new, body=body)
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
            request: ChangeRequest = change_request(self.write_scope),
        ) -> JSONResponse:
            moved = await resource.change(
                request, aggregate_id, aggregates.transition, body.to, body.reason, today()
            )
            return resource.respond(moved)
