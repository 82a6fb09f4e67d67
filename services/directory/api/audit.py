"""``/v1/audit``: who was shown which posts' holders (names, work contacts), and when."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from services.directory import tables
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.http.examples import EXAMPLE_ID, EXAMPLE_MOMENT, examples
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.reads import list_reads

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class PostRead(BaseModel):
    """One post whose holder a list showed."""

    model_config = examples(
        {
            "id": 311,
            "subject": "ministry-crm",
            "post_id": EXAMPLE_ID,
            "endpoint": "GET /v1/posts",
            "read_at": EXAMPLE_MOMENT,
        }
    )

    id: int = Field(description="the record's number, in the order of reading")
    subject: str = Field(description="who read: the token's subject")
    post_id: str = Field(description="the post whose holder was shown")
    endpoint: str = Field(description="the operation that showed it")
    read_at: datetime = Field(description="when (UTC)")


@router.get("/post-reads", response_model=Page[PostRead], summary="Reads of people in posts")
async def list_post_reads(
    post_id: str | None = Query(None, max_length=36, description="only reads of this post"),
    subject: str | None = Query(None, max_length=200, description="only reads by this subject"),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("directory:audit"),
    ctx: ServiceContext = Depends(get_context),
) -> Page[PostRead]:
    """Who listed which posts' holders, and when (oldest first): the audit of bulk reads of
    the directory's personal data."""
    return await list_reads(
        ctx.db, tables.post_reads, PostRead, page, post_id=post_id, subject=subject
    )
