"""Lifecycle aggregates in the database: searchable columns beside the JSON document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from shared.aggregates import Changed, LifecycleAggregate
from shared.db import insert_row
from shared.envelope import as_utc, utcnow
from shared.errors import Conflict, NotFound, check_expected_version
from shared.http.pagination import PageRequest, creation_order_page
from shared.writes import UnitOfWork, Writer

A = TypeVar("A", bound=LifecycleAggregate)

_KEPT_APART = {"id", "status", "version", "created_at", "updated_at"}


def document_table(metadata: MetaData, name: str, *columns: Column[Any]) -> Table:
    """``id``, ``status``, ``version``, timestamps, the ``body`` and the searchable ``columns``."""
    return Table(
        name,
        metadata,
        Column("id", String(36), primary_key=True),
        Column("status", String(30), nullable=False),
        *columns,
        Column("body", JSON, nullable=False),
        Column("version", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Index(f"ix_{name}_created", "created_at", "id"),
        Index(f"ix_{name}_status", "status"),
    )


class DocumentRepository(Generic[A]):
    def __init__(self, session: AsyncSession, table: Table, model: type[A], noun: str) -> None:
        self.session = session
        self.table = table
        self.model = model
        self.noun = noun

    def _row(self, a: A) -> dict[str, Any]:
        return {
            "id": a.id,
            "status": a.status,
            **a.index(),
            "body": a.model_dump(mode="json", exclude=_KEPT_APART),
            "version": a.version,
            "created_at": a.created_at,
            "updated_at": a.updated_at,
        }

    def from_row(self, row: Any) -> A:
        return self.model.model_validate(
            {
                **row.body,
                "id": row.id,
                "status": row.status,
                "version": row.version,
                "created_at": as_utc(row.created_at),
                "updated_at": as_utc(row.updated_at),
            }
        )

    async def get(self, aggregate_id: str) -> A:
        found = await self.find(self.table.c.id == aggregate_id)
        if not found:
            raise NotFound(f"no {self.noun} with id {aggregate_id}")
        return found[0]

    async def find(self, *where: Any) -> list[A]:
        rows = await self.session.execute(select(self.table).where(*where))
        return [self.from_row(r) for r in rows]

    async def add(self, aggregate: A) -> A:
        now = utcnow()
        aggregate = aggregate.model_copy(update={"created_at": now, "updated_at": now})
        await insert_row(self.session, self.table, self._row(aggregate))
        return aggregate

    async def save(self, aggregate: A, previous_version: int) -> A:
        aggregate = aggregate.model_copy(update={"updated_at": utcnow()})
        row = self._row(aggregate)
        del row["id"], row["created_at"]
        t = self.table
        result = await self.session.execute(
            update(t).where(t.c.id == aggregate.id, t.c.version == previous_version).values(**row)
        )
        if result.rowcount != 1:
            raise Conflict(f"the {self.noun} was changed concurrently; fetch it again")
        return aggregate

    async def page(self, query: Select[Any], page: PageRequest) -> tuple[list[A], str | None]:
        return await creation_order_page(self.session, query, self.table, page, self.from_row)


# A domain change: the aggregate and the change's arguments in, the next version and its events out.
Step = Callable[..., Changed[A]]
Repositories = Callable[[AsyncSession], DocumentRepository[A]]


async def create_document(uow: UnitOfWork, repo: DocumentRepository[A], created: Changed[A]) -> A:
    """Store a new aggregate with the events of its creation."""
    aggregate, events = created
    saved = await repo.add(aggregate)
    await uow.record(saved, events)
    return saved


async def change_document(
    uow: UnitOfWork,
    repo: DocumentRepository[A],
    aggregate_id: str,
    step: Step[A],
    *args: Any,
    expected_version: int | None = None,
) -> A:
    """Load, apply ``step(aggregate, *args)``, save with its events; honours ``If-Match``."""
    current = await repo.get(aggregate_id)
    check_expected_version(current.version, expected_version)
    changed, events = step(current, *args)
    if not events:
        return current
    return await save_document(uow, repo, (changed, events), current.version)


async def save_document(
    uow: UnitOfWork, repo: DocumentRepository[A], changed: Changed[A], previous_version: int
) -> A:
    """Store a changed aggregate (loaded at ``previous_version``) with the events of the change."""
    aggregate, events = changed
    saved = await repo.save(aggregate, previous_version=previous_version)
    await uow.record(saved, events)
    return saved


async def change(
    writer: Writer,
    repositories: Repositories[A],
    aggregate_id: str,
    step: Step[A],
    *args: Any,
    expected_version: int | None = None,
) -> A:
    """The use case "change one document", in its own unit of work."""
    async with writer.unit_of_work() as uow:
        return await change_document(
            uow, repositories(uow.session), aggregate_id, step, *args,
            expected_version=expected_version,
        )  # fmt: skip
