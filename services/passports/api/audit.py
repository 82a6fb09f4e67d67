"""``/v1/audit``: who read which holder's personal data, and when."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select

from services.passports import tables
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.envelope import as_utc
from shared.http.pagination import Page, PageRequest, build_page, keyset, page_request

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class PersonalDataRead(BaseModel):
    id: int
    subject: str
    holder_id: str
    endpoint: str
    read_at: datetime


def _position(read: PersonalDataRead) -> list[object]:
    return [read.id]


@router.get("/personal-data-reads", response_model=Page[PersonalDataRead])
async def list_personal_data_reads(
    holder_id: str | None = Query(None, max_length=36),
    subject: str | None = Query(None, max_length=200),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("passports:audit"),
    ctx: ServiceContext = Depends(get_context),
) -> Page[PersonalDataRead]:
    """Who read which holder's personal data, and when (newest last)."""
    t = tables.pii_reads
    query = select(t)
    if holder_id:
        query = query.where(t.c.holder_id == holder_id)
    if subject:
        query = query.where(t.c.subject == subject)
    query = keyset(query, [t.c.id], page, [int])
    async with ctx.db.unit_of_work(write=False) as session:
        rows = (await session.execute(query)).all()
    reads = [PersonalDataRead(**{**r._mapping, "read_at": as_utc(r.read_at)}) for r in rows]
    items, cursor = build_page(reads, page, _position)
    return Page[PersonalDataRead](items=items, next_cursor=cursor)
