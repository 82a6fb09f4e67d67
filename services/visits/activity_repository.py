"""Meetings, international events and business trips in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select

from services.visits.activities import Activity
from shared.documents import DocumentRepository
from shared.http.pagination import PageRequest

A = TypeVar("A", bound=Activity)


@dataclass(frozen=True)
class ActivityFilter:
    status: str | None = None
    official: str | None = None
    country_code: str | None = None
    starts_from: date | None = None
    starts_to: date | None = None


class ActivityRepository(DocumentRepository[A]):
    async def in_period(self, first: date, last: date) -> list[A]:
        t = self.table
        query = (
            select(t)
            .where(t.c.start_date <= last, t.c.end_date >= first)
            .order_by(t.c.start_date, t.c.id)
        )
        return [self.from_row(r) for r in await self.session.execute(query)]

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
        return await self.page(query, page)
