"""``/v1/audit``: who read which holder's personal data, and when."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from services.passports import tables
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.http.examples import EXAMPLE_ID, EXAMPLE_MOMENT, examples
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.reads import list_reads

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
    return await list_reads(
        ctx.db, tables.pii_reads, PersonalDataRead, page, holder_id=holder_id, subject=subject
    )
