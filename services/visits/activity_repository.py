"""Meetings, international events and business trips in the database: one repository for all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.visits.activities import Activity
from shared.envelope import as_utc, utcnow
from shared.errors import Conflict, NotFound
from shared.http.pagination import PageRequest, creation_order_page

A = TypeVar("A", bound=Activity)

_KEPT_APART = {"id", "status", "version", "created_at", "updated_at"}


@dataclass(frozen=True)
class ActivityFilter:
    status: str | None = None
    official: str | None = None
    country_code: str | None = None
    starts_from: date | None = None
    starts_to: date | None = None


class ActivityRepository(Generic[A]):
    def __init__(self, session: AsyncSession, table: Table, model: type[A], noun: str) -> None:
        self.session = session
        self.table = table
        self.model = model
        self.noun = noun

    def _row(self, a: A) -> dict[str, object]:
        return {
            "id": a.id,
            "status": a.status,
            "official": a.official(),
            "country_code": a.country(),
            "start_date": a.starts(),
            "end_date": a.ends(),
            "body": a.model_dump(mode="json", exclude=_KEPT_APART),
            "version": a.version,
            "created_at": a.created_at,
            "updated_at": a.updated_at,
        }

    def _from_row(self, row) -> A:  # type: ignore[no-untyped-def]
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

    async def get(self, activity_id: str) -> A:
        row = (
            await self.session.execute(select(self.table).where(self.table.c.id == activity_id))
        ).first()
        if row is None:
            raise NotFound(f"no {self.noun} with id {activity_id}")
        return self._from_row(row)

    async def add(self, activity: A) -> A:
        now = utcnow()
        activity = activity.model_copy(update={"created_at": now, "updated_at": now})
        await self.session.execute(insert(self.table), self._row(activity))
        return activity

    async def save(self, activity: A, previous_version: int) -> A:
        activity = activity.model_copy(update={"updated_at": utcnow()})
        row = self._row(activity)
        del row["id"], row["created_at"]
        t = self.table
        result = await self.session.execute(
            update(t).where(t.c.id == activity.id, t.c.version == previous_version).values(**row)
        )
        if result.rowcount != 1:
            raise Conflict(f"the {self.noun} was changed concurrently; fetch it again")
        return activity

    async def in_period(self, first: date, last: date) -> list[A]:
        t = self.table
        query = (
            select(t)
            .where(t.c.start_date <= last, t.c.end_date >= first)
            .order_by(t.c.start_date, t.c.id)
        )
        return [self._from_row(r) for r in await self.session.execute(query)]

    async def list(self, flt: ActivityFilter, page: PageRequest) -> tuple[list[A], str | None]:
        t = self.table
        query = select(t)
        for column, value in (
            (t.c.status, flt.status),
            (t.c.official, flt.official),
            (t.c.country_code, flt.country_code),
        ):
            if value is not None:
                query = query.where(column == value)
        if flt.starts_from is not None:
            query = query.where(t.c.start_date >= flt.starts_from)
        if flt.starts_to is not None:
            query = query.where(t.c.start_date <= flt.starts_to)
        return await creation_order_page(self.session, query, t, page, self._from_row)
