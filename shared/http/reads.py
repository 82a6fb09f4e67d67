"""The audit of personal-data reads, listed the same way by every service that keeps one:
oldest first, filtered by equal values of its columns, in pages keyed by the record's id."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Table, select

from shared.db import Database
from shared.envelope import as_utc
from shared.http.pagination import Page, PageRequest, build_page, keyset

R = TypeVar("R", bound=BaseModel)


async def list_reads(
    db: Database, table: Table, model: type[R], page: PageRequest, **equal: Any
) -> Page[R]:
    """One page of ``table``'s records as ``model``; ``equal``: column → value (None: any)."""
    query = select(table).where(*(table.c[c] == v for c, v in equal.items() if v))
    async with db.unit_of_work(write=False) as session:
        rows = (await session.execute(keyset(query, [table.c.id], page, [int]))).all()
    reads = [model(**{**r._mapping, "read_at": as_utc(r.read_at)}) for r in rows]
    items, cursor = build_page(reads, page, lambda read: [read.id])  # type: ignore[attr-defined]
    return Page[model](items=items, next_cursor=cursor)  # type: ignore[valid-type]
