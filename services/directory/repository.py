"""Reading the directory: each kind of record as documents, and the lists' filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.directory import tables
from services.directory.domain.counterpart import Counterpart
from services.directory.domain.post import Post
from services.directory.domain.unit import Unit
from shared.documents import DocumentRepository
from shared.envelope import utcnow
from shared.http.pagination import PageRequest


def units(session: AsyncSession) -> DocumentRepository[Unit]:
    return DocumentRepository(session, tables.units, Unit, "unit")


def counterparts(session: AsyncSession) -> DocumentRepository[Counterpart]:
    return DocumentRepository(session, tables.counterparts, Counterpart, "counterpart")


def posts(session: AsyncSession) -> DocumentRepository[Post]:
    return DocumentRepository(session, tables.posts, Post, "post")


@dataclass(frozen=True)
class UnitFilter:
    kind: str | None = None
    parent_id: str | None = None
    status: str | None = None
    on: date | None = None  # existing on that day


@dataclass(frozen=True)
class PostFilter:
    organisation_id: str | None = None
    unit_id: str | None = None
    on: date | None = None  # held on that day


def _existing_on(table, day: date):  # type: ignore[no-untyped-def]
    return [table.c.valid_from <= day, or_(table.c.valid_to.is_(None), table.c.valid_to >= day)]


async def list_units(
    session: AsyncSession, flt: UnitFilter, page: PageRequest
) -> tuple[list[Unit], str | None]:
    t = tables.units
    where = [
        column == value
        for column, value in ((t.c.kind, flt.kind), (t.c.parent_id, flt.parent_id),
                              (t.c.status, flt.status))
        if value is not None
    ]  # fmt: skip
    if flt.on is not None:
        where += _existing_on(t, flt.on)
    return await units(session).page(select(t).where(*where), page)


async def list_counterparts(
    session: AsyncSession, kind: str | None, country: str | None, page: PageRequest
) -> tuple[list[Counterpart], str | None]:
    t = tables.counterparts
    where = [c == v for c, v in ((t.c.kind, kind), (t.c.country_code, country)) if v is not None]
    return await counterparts(session).page(select(t).where(*where), page)


async def record_post_reads(
    session: AsyncSession, subject: str, shown: list[Post], endpoint: str
) -> None:
    """Who was shown which posts' holders, in the transaction that read them."""
    if shown:
        at = utcnow()
        rows = [{"subject": subject, "post_id": p.id, "endpoint": endpoint, "read_at": at}
                for p in shown]  # fmt: skip
        await session.execute(insert(tables.post_reads), rows)


async def list_posts(
    session: AsyncSession, flt: PostFilter, page: PageRequest
) -> tuple[list[Post], str | None]:
    t = tables.posts
    where = [
        column == value
        for column, value in ((t.c.organisation_id, flt.organisation_id),
                              (t.c.unit_id, flt.unit_id))
        if value is not None
    ]  # fmt: skip
    if flt.on is not None:
        where += _existing_on(t, flt.on)
    return await posts(session).page(select(t).where(*where), page)
