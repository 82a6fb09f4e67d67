"""One HTTP shape for every lifecycle aggregate kept as a document: create (with
``Idempotency-Key``), read (``ETag``), transitions (``If-Match``). Services add their
own list route and extra actions on ``resource.router``."""

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, create_model
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from shared import aggregates, documents
from shared.aggregates import LifecycleAggregate
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.directory_view import DirectoryView
from shared.documents import DocumentRepository, Step, create_document
from shared.http.conditional import etag
from shared.http.examples import EXAMPLE_ID, EXAMPLE_MOMENT, with_examples
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
    """``model`` as answered: with where its lifecycle may go next."""
    return create_model(  # type: ignore[call-overload, no-any-return]
        f"{model.__name__}Out",
        __base__=model,
        __doc__=model.__doc__,
        allowed_transitions=(
            list[str],
            Field(description="the statuses its lifecycle allows from the current one"),
        ),
    )


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
        register: Callable[[UnitOfWork, A], Awaitable[A]] | None = None,  # checks references
        directory: DirectoryView | None = None,  # names the model's ``references``
        example: dict[str, Any] | None = None,  # a request body, for the OpenAPI document
        derived_example: dict[str, Any] | None = None,  # the fields ``derived`` adds to it
    ) -> None:
        self.path, self.noun, self.model, self.table = path, noun, model, table
        self.read_scope, self.write_scope = f"{scope}:read", f"{scope}:write"
        self.repository = repository
        self.input = input_model(model, exclude=SERVICE_SET + exclude)
        self.output = output or output_model(model)
        self.derived = derived
        self.register = register
        self.directory = directory
        if example is not None:
            self._set_examples(example, derived_example or {})
        self.router = APIRouter(prefix=f"/v1/{path}", tags=[path])
        # One name for the id on every route of the resource: ``/v1/meetings/{meeting_id}``.
        self.id_name = f"{noun.replace(' ', '_')}_id"
        self.initial_status = model.model_fields["status"].default
        self._create_route()
        self._read_route()
        if transitions:
            self._transitions_route()

    def _set_examples(self, example: dict[str, Any], derived: dict[str, Any]) -> None:
        """The request body's example, and the answer the resource makes of it."""
        with_examples(self.input, example)
        kept = self.model.model_validate(
            {
                **example,
                "id": EXAMPLE_ID,
                "created_at": EXAMPLE_MOMENT,
                "updated_at": EXAMPLE_MOMENT,
            }
        )
        allowed = sorted(kept.lifecycle.allowed_from(kept.status))
        answer = {**kept.model_dump(mode="json"), "allowed_transitions": allowed, **derived}
        with_examples(self.output, answer)

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
        new = self.model.model_validate(dict(body))
        if self.directory is not None:
            new = await self.directory.named_model(uow.session, new)
        if self.register is not None:
            aggregate = await self.register(uow, new)
        else:
            aggregate = await create_document(uow, self.repo(uow.session), aggregates.create(new))
        return created(self.out(aggregate), f"/v1/{self.path}/{aggregate.id}", aggregate.version)

    def _create_route(self) -> None:
        resource, Input = self, self.input

        @self.router.post(
            "",
            status_code=201,
            response_model=self.output,
            name=f"create_{self.id_name[:-3]}",
            summary=f"Register a {self.noun}",
            description=f"Registers a {self.noun} (status {self.initial_status}). "
            "A retry with the same Idempotency-Key creates nothing more and gets the first "
            "answer.",
        )
        async def create(
            body: Input,  # type: ignore[valid-type]
            request: CreateRequest = create_request(self.write_scope),
        ) -> JSONResponse:
            return await request.create(
                f"POST /v1/{resource.path}", body, partial(resource.create_new, body=body)
            )

    def _read_route(self) -> None:
        resource = self

        @self.router.get(
            f"/{{{self.id_name}}}",
            response_model=self.output,
            name=f"get_{self.id_name[:-3]}",
            summary=f"Read a {self.noun}",
            description=f"The {self.noun} as kept now; its ETag is the version to send back "
            "in If-Match.",
        )
        async def read(
            aggregate_id: Annotated[str, Path(alias=self.id_name)],
            _: Principal = require_scope(self.read_scope),
            ctx: ServiceContext = Depends(get_context),
        ) -> JSONResponse:
            async with ctx.db.unit_of_work(write=False) as session:
                return resource.respond(await resource.repo(session).get(aggregate_id))

    def _transitions_route(self) -> None:
        resource = self

        @self.router.post(
            f"/{{{self.id_name}}}/transitions",
            response_model=self.output,
            name=f"transition_{self.id_name[:-3]}",
            summary=f"Move a {self.noun} in its lifecycle",
            description=f"Moves the {self.noun} to the status ``to`` (one of its "
            "allowed_transitions), with a reason kept in status_reason. 409 names the "
            "transitions allowed from the current status.",
        )
        async def move(
            aggregate_id: Annotated[str, Path(alias=self.id_name)],
            body: TransitionRequest,
            request: ChangeRequest = change_request(self.write_scope),
        ) -> JSONResponse:
            moved = await resource.change(
                request, aggregate_id, aggregates.transition, body.to, body.reason, today()
            )
            return resource.respond(moved)
