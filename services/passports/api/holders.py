"""``/v1/holders``: the officials entitled to passports. Personal data only with the
``passports:pii`` scope; every unmasked answer is audited."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Literal

from fastapi import APIRouter, Depends, Query
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
from shared.http.examples import EXAMPLE_ID, as_kept, examples
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.writes import ChangeRequest, Created, CreateRequest, change_request, create_request
from shared.references import deprecated
from shared.types import Day, Id, ShortText, StrictModel
from shared.writes import UnitOfWork

router = APIRouter(prefix="/v1/holders", tags=["holders"])

Category = Literal[CATEGORIES]  # type: ignore[valid-type]


HOLDER_EXAMPLE = {
    "name_ka": "ნინო ბერიძე",
    "name_latin": "Nino Beridze",
    "personal_number": "01001012345",
    "date_of_birth": "1980-04-12",
    "category": "head_of_department",
    "position": "Head of the International Relations and Protocol Department",
    "unit": "International Relations and Protocol Department",
    "unit_id": EXAMPLE_ID,
    "appointed_on": "2024-02-01",
    "dismissed_on": None,
}


class HolderIn(StrictModel):
    """An official entitled to a diplomatic or service passport."""

    model_config = examples(HOLDER_EXAMPLE)

    name_ka: ShortText = Field(description="full name in Georgian script, as in the ID card")
    name_latin: ShortText | None = Field(
        None, description="defaults to the national romanization of name_ka"
    )
    personal_number: str = Field(
        pattern=r"^\d{11}$", description="the 11-digit personal number (personal data)"
    )
    date_of_birth: Day = Field(description="personal data: shown only with passports:pii")
    category: Category = Field(
        description="the office held, which decides the passport types the holder may have"
    )
    position: ShortText | None = Field(None, description="the position's title")
    unit: ShortText | None = Field(
        None, description=deprecated("the ministry unit the holder works in")
    )
    unit_id: Id | None = Field(
        None, description="the ministry unit the holder works in: its id in the directory"
    )
    appointed_on: Day | None = Field(None, description="first day in the office held")
    dismissed_on: Day | None = Field(
        None, description="last day in office; passports in hand then fall due for return"
    )


class HolderOut(BaseModel):
    """A holder as the caller may see it: personal data masked without passports:pii."""

    model_config = examples(
        as_kept(
            HOLDER_EXAMPLE,
            personal_number="*********45",
            date_of_birth=None,
            personal_data_masked=True,
        )
    )

    id: str = Field(description="the holder's id (a UUID)")
    name_ka: str = Field(description="full name in Georgian script")
    name_latin: str = Field(description="full name in Latin script, as in the passport")
    personal_number: str = Field(description="masked without the passports:pii scope")
    date_of_birth: date | None = Field(description="null without the passports:pii scope")
    personal_data_masked: bool = Field(
        description="true when personal_number and date_of_birth are withheld"
    )
    category: str = Field(description="the office held (see HolderIn.category)")
    position: str | None = Field(description="the position's title")
    unit: str | None = Field(description="the ministry unit the holder works in")
    unit_id: str | None = Field(description="its id in the directory, when known")
    appointed_on: date | None = Field(description="first day in the office held")
    dismissed_on: date | None = Field(description="last day in office, once dismissed")
    version: int = Field(description="how many changes the record has had; its ETag")
    created_at: datetime = Field(description="when the holder was registered (UTC)")
    updated_at: datetime = Field(description="when the record last changed (UTC)")


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
        unit_id=h.unit_id,
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


@router.post("", status_code=201, response_model=HolderOut, summary="Register a holder")
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


@router.get("", response_model=Page[HolderOut], summary="List holders")
async def list_holders(
    category: Category | None = Query(None, description="only holders of this category"),
    unit: str | None = Query(None, description="only holders of this unit (exact name)"),
    page: PageRequest = Depends(page_request),
    principal: Principal = require_scope("passports:read"),
    ctx: ServiceContext = Depends(get_context),
) -> Page[HolderOut]:
    """The holders in registration order. With ``passports:pii`` their personal data is
    shown and the read is recorded in the audit log; without it, masked."""
    with_pii = PII_SCOPE in principal.scopes
    async with ctx.db.unit_of_work(write=with_pii) as session:
        repo = HolderRepository(session)
        items, cursor = await repo.list(category=category, unit=unit, page=page)
        if with_pii:
            await repo.audit_personal_data_read(
                principal.subject, [h.id for h in items], "GET /v1/holders"
            )
    return Page[HolderOut](items=[_out(h, with_pii) for h in items], next_cursor=cursor)


@router.get("/{holder_id}", response_model=HolderOut, summary="Read a holder")
async def get_holder(
    holder_id: str,
    principal: Principal = require_scope("passports:read"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """One holder; personal data as for the list (masked, or shown and audited)."""
    async with ctx.db.unit_of_work(write=PII_SCOPE in principal.scopes) as session:
        holder = await HolderRepository(session).get(holder_id)
        shown = await _shown(session, holder, principal, "GET /v1/holders/{id}")
    return JSONResponse(shown.model_dump(mode="json"), headers={"ETag": etag(holder.version)})


class DismissalIn(StrictModel):
    """The holder left office."""

    model_config = examples({"dismissed_on": "2026-11-30", "return_within_days": 14})

    dismissed_on: Day = Field(description="the last day in office")
    return_within_days: int | None = Field(
        None, ge=1, le=365, description="default: IRP_PASSPORT_RETURN_DAYS"
    )


@router.post("/{holder_id}/dismissal", response_model=HolderOut, summary="Dismiss a holder")
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
