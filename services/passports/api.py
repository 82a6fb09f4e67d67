"""HTTP routes of the passports service. Personal data only with the ``passports:pii`` scope."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.passports import tables, usecases
from services.passports.domain import CATEGORIES, PII_SCOPE, Holder, mask_personal_number
from services.passports.repository import HolderRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.envelope import as_utc
from shared.http.conditional import etag
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, build_page, keyset, page_request
from shared.http.resource import today
from shared.types import Day, ShortText, StrictModel

router = APIRouter(prefix="/v1/holders", tags=["holders"])

Category = Literal[CATEGORIES]  # type: ignore[valid-type]


class HolderIn(StrictModel):
    name_ka: ShortText
    name_latin: ShortText | None = Field(
        None, description="defaults to the national romanization of name_ka"
    )
    personal_number: str = Field(pattern=r"^\d{11}$", description="11 digits")
    date_of_birth: Day
    category: Category
    position: ShortText | None = None
    unit: ShortText | None = None
    appointed_on: Day | None = None
    dismissed_on: Day | None = None


class HolderOut(BaseModel):
    id: str
    name_ka: str
    name_latin: str
    personal_number: str = Field(description="masked without the passports:pii scope")
    date_of_birth: date | None = Field(description="null without the passports:pii scope")
    personal_data_masked: bool
    category: str
    position: str | None
    unit: str | None
    appointed_on: date | None
    dismissed_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


def _out(h: Holder, with_pii: bool) -> HolderOut:
    return HolderOut(
        id=h.id,
        name_ka=h.name_ka,
        name_latin=h.name_latin,
        personal_number=h.personal_number if with_pii else mask_personal_number(h.personal_number),
        date_of_birth=h.date_of_birth if with_pii else None,
        personal_data_masked=not with_pii,
        category=h.category,
        position=h.position,
        unit=h.unit,
        appointed_on=h.appointed_on,
        dismissed_on=h.dismissed_on,
        version=h.version,
        created_at=h.created_at,  # type: ignore[arg-type]
        updated_at=h.updated_at,  # type: ignore[arg-type]
    )


async def _shown(
    session: AsyncSession, holder: Holder, principal: Principal, endpoint: str
) -> HolderOut:
    """The holder as ``principal`` may see it: masked without the scope; with it, the read is
    recorded in the audit log in the same transaction."""
    with_pii = PII_SCOPE in principal.scopes
    if with_pii:
        await HolderRepository(session).audit_personal_data_read(
            principal.subject, [holder.id], endpoint
        )
    return _out(holder, with_pii)


@router.post("", status_code=201, response_model=HolderOut)
async def create_holder(
    body: HolderIn,
    principal: Principal = require_scope("passports:write"),
    _: Principal = require_scope(PII_SCOPE),
    idempotency_key: str | None = Header(None),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """Registering a holder submits a personal number: it needs ``passports:pii`` too."""
    endpoint = "POST /v1/holders"

    async def create(session: AsyncSession) -> tuple[dict[str, Any], dict[str, str]]:
        holder = await usecases.register_holder(
            session, ctx.outbox, **body.as_fields(), today=today()
        )
        shown = await _shown(session, holder, principal, endpoint)
        return created(shown, f"/v1/holders/{holder.id}", holder.version)

    async def replay(session: AsyncSession, location: str) -> tuple[dict[str, Any], dict[str, str]]:
        holder = await HolderRepository(session).get(location.rsplit("/", 1)[-1])
        shown = await _shown(session, holder, principal, endpoint)
        return shown.model_dump(mode="json"), {"ETag": etag(holder.version)}

    assert ctx.idempotency is not None
    return await ctx.idempotency.create(
        principal=principal,
        key=idempotency_key,
        endpoint=endpoint,
        body=body,
        create=create,
        replay=replay,
    )


@router.get("", response_model=Page[HolderOut])
async def list_holders(
    category: Category | None = None,
    unit: str | None = None,
    page: PageRequest = Depends(page_request),
    principal: Principal = require_scope("passports:read"),
    ctx: ServiceContext = Depends(get_context),
) -> Page[HolderOut]:
    with_pii = PII_SCOPE in principal.scopes
    async with ctx.db.unit_of_work(write=with_pii) as session:
        repo = HolderRepository(session)
        items, cursor = await repo.list(category=category, unit=unit, page=page)
        if with_pii:
            await repo.audit_personal_data_read(
                principal.subject, [h.id for h in items], "GET /v1/holders"
            )
    return Page[HolderOut](items=[_out(h, with_pii) for h in items], next_cursor=cursor)


@router.get("/{holder_id}", response_model=HolderOut)
async def get_holder(
    holder_id: str,
    principal: Principal = require_scope("passports:read"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    async with ctx.db.unit_of_work(write=PII_SCOPE in principal.scopes) as session:
        holder = await HolderRepository(session).get(holder_id)
        shown = await _shown(session, holder, principal, "GET /v1/holders/{id}")
    return JSONResponse(shown.model_dump(mode="json"), headers={"ETag": etag(holder.version)})


class DismissalIn(StrictModel):
    dismissed_on: Day
    return_within_days: int | None = Field(
        None, ge=1, le=365, description="default: IRP_PASSPORT_RETURN_DAYS"
    )


@router.post("/{holder_id}/dismissal", response_model=HolderOut)
async def dismiss_holder(
    holder_id: str,
    body: DismissalIn,
    principal: Principal = require_scope("passports:write"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """Every passport the holder has in hand falls due for return."""
    assert ctx.outbox is not None
    async with ctx.db.unit_of_work() as session:
        holder, _ = await usecases.dismiss_holder(
            session, ctx.outbox, ctx.settings, holder_id, body.dismissed_on, body.return_within_days
        )
        shown = await _shown(session, holder, principal, "POST /v1/holders/{id}/dismissal")
    return JSONResponse(shown.model_dump(mode="json"), headers={"ETag": etag(holder.version)})


audit_router = APIRouter(prefix="/v1/audit", tags=["audit"])


class PersonalDataRead(BaseModel):
    id: int
    subject: str
    holder_id: str
    endpoint: str
    read_at: datetime


@audit_router.get("/personal-data-reads", response_model=Page[PersonalDataRead])
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
    items, cursor = build_page(reads, page, lambda r: [r.id])
    return Page[PersonalDataRead](items=items, next_cursor=cursor)
