"""``/v1/holders``: the officials entitled to passports. Personal data only with the
``passports:pii`` scope; every unmasked answer is audited."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Literal

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.passports import usecases
from services.passports.domain.holder import (
    CATEGORIES,
    PII_SCOPE,
    Holder,
    mask_personal_number,
)
from services.passports.repository import HolderRepository
from services.passports.usecases import Reader
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.http.conditional import etag
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.writes import ChangeRequest, Created, CreateRequest, change_request, create_request
from shared.types import Day, ShortText, StrictModel
from shared.writes import UnitOfWork

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


def reader(principal: Principal, endpoint: str) -> Reader | None:
    """Who is shown personal data at ``endpoint``: nobody without the scope."""
    return Reader(principal.subject, endpoint) if PII_SCOPE in principal.scopes else None


async def _shown(
    session: AsyncSession, holder: Holder, principal: Principal, endpoint: str
) -> HolderOut:
    """The holder as ``principal`` may see it: masked without the scope; with it, the read is
    recorded in the audit log in the same transaction."""
    shown_to = reader(principal, endpoint)
    if shown_to is not None:
        await HolderRepository(session).audit_personal_data_read(
            shown_to.subject, [holder.id], endpoint
        )
    return _out(holder, shown_to is not None)


CREATE = "POST /v1/holders"


async def _register(uow: UnitOfWork, body: HolderIn, principal: Principal) -> Created:
    shown_to = reader(principal, CREATE)
    holder = await usecases.register_holder(uow, body.as_fields(), today(), shown_to)
    shown = _out(holder, shown_to is not None)
    return created(shown, f"/v1/holders/{holder.id}", holder.version)


async def _replay(session: AsyncSession, location: str, principal: Principal) -> Created:
    holder = await HolderRepository(session).get(location.rsplit("/", 1)[-1])
    shown = await _shown(session, holder, principal, CREATE)
    return shown.model_dump(mode="json"), {"ETag": etag(holder.version)}


@router.post("", status_code=201, response_model=HolderOut)
async def create_holder(
    body: HolderIn,
    request: CreateRequest = create_request("passports:write"),
    _: Principal = require_scope(PII_SCOPE),
) -> JSONResponse:
    """Registering a holder submits a personal number: it needs ``passports:pii`` too."""
    return await request.create(
        CREATE,
        body,
        partial(_register, body=body, principal=request.principal),
        replay=partial(_replay, principal=request.principal),
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
    request: ChangeRequest = change_request("passports:write", conditional=False),
) -> JSONResponse:
    """Every passport the holder has in hand falls due for return."""
    shown_to = reader(request.principal, "POST /v1/holders/{id}/dismissal")
    holder = await usecases.dismiss_holder(
        request.writer, request.ctx.settings, holder_id, body.dismissed_on,
        body.return_within_days, shown_to,
    )  # fmt: skip
    shown = _out(holder, shown_to is not None)
    return JSONResponse(shown.model_dump(mode="json"), headers={"ETag": etag(holder.version)})
