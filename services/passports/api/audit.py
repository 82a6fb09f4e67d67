"""``/v1/audit``: who read which holder's personal data, and when."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from services.passports import tables
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.envelope import as_utc
from shared.http.examples import EXAMPLE_ID, EXAMPLE_MOMENT, examples
from shared.http.pagination import Page, PageRequest, build_page, keyset, page_request

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class PersonalDataRead(BaseModel):
    """One answer that showed a holder's personal data."""

    model_config = examples(
        {
            "id": 1042,
            "subject": "office-clerk",
            "holder_id": EXAMPLE_ID,
            "endpoint": "GET /v1/holders/{id}",
            "read_at": EXAMPLE_MOMENT,
        }
    )

    id: int = Field(description="the record's number, in the order of reading")
    subject: str = Field(description="who read: the token's subject")
    holder_id: str = Field(description="whose data was shown")
    endpoint: str = Field(description="the operation that showed it")
    read_at: datetime = Field(description="when (UTC)")


def _position(read: PersonalDataRead) -> list[object]:
    return [read.id]


@router.get(
    "/personal-data-reads", response_model=Page[PersonalDataRead], summary="Personal data reads"
)
async def list_personal_data_reads(
    holder_id: str | None = Query(None, max_length=36, description="only reads of this holder"),
    subject: str | None = Query(None, max_length=200, description="only reads by this subject"),
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
