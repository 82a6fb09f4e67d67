"""HTTP routes for passports. The number is personal data: masked without ``passports:pii``,
and every unmasked read is audited."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from services.passports import tables, usecases
from services.passports.api.holders import reader
from services.passports.domain import passport as pp
from services.passports.domain.holder import PII_SCOPE, mask_personal_number
from services.passports.domain.mrz import check_line2
from services.passports.repository import passport_repository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import today
from shared.http.conditional import etag
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.writes import ChangeRequest, Created, CreateRequest, change_request, create_request
from shared.types import Day, StrictModel, TransitionRequest
from shared.writes import UnitOfWork

router = APIRouter(prefix="/v1/passports", tags=["passports"])
READ, WRITE = require_scope("passports:read"), require_scope("passports:write")


class PassportRequestIn(StrictModel):
    holder_id: str = Field(max_length=36)
    passport_type: pp.PassportType


class IssueIn(StrictModel):
    number: str = Field(description="ICAO 9303: 1 to 9 characters, A-Z and 0-9")
    issued_on: Day
    expires_on: Day


class DatedTransition(TransitionRequest):
    on: Day | None = Field(None, description="hand-over or return date; default today")


class PassportOut(BaseModel):
    id: str
    holder_id: str
    passport_type: str
    status: str
    status_reason: str | None
    allowed_transitions: list[str]
    number: str | None = Field(description="masked without the passports:pii scope")
    personal_data_masked: bool
    issued_on: date | None
    expires_on: date | None
    handed_over_on: date | None
    return_due_by: date | None
    returned_on: date | None
    expiring_soon: bool
    return_overdue: bool
    version: int
    created_at: datetime
    updated_at: datetime


def _out(p: pp.Passport, with_pii: bool, window: int) -> PassportOut:
    number = p.number if with_pii or p.number is None else mask_personal_number(p.number)
    return PassportOut(
        **p.model_dump(exclude={"number", "expiring_notified", "return_overdue_notified"}),
        number=number,
        personal_data_masked=not with_pii,
        allowed_transitions=sorted(p.lifecycle.allowed_from(p.status)),
        expiring_soon=p.expiring(today(), window),
        return_overdue=p.return_overdue(today()),
    )


def _respond(
    ctx: ServiceContext, p: pp.Passport, principal: Principal, status: int = 200
) -> JSONResponse:
    body = _out(p, PII_SCOPE in principal.scopes, ctx.settings.passport_expiry_window_days)
    return JSONResponse(body.model_dump(mode="json"), status, headers={"ETag": etag(p.version)})


async def _audited(
    ctx: ServiceContext, principal: Principal, passports: list[pp.Passport], endpoint: str
) -> None:
    """Record that ``principal`` is shown these passports' numbers (nothing without the
    scope, or when no number is issued yet)."""
    shown_to = reader(principal, endpoint)
    if shown_to is not None and any(p.number for p in passports):
        async with ctx.writer.unit_of_work() as uow:
            await usecases.audit_passports(uow, shown_to, passports)


async def _request(uow: UnitOfWork, body: PassportRequestIn, ctx: ServiceContext) -> Created:
    settings = ctx.settings
    passport = await usecases.request_passport(uow, settings, pp.Passport(**body.model_dump()))
    out = _out(passport, False, settings.passport_expiry_window_days)
    return created(out, f"/v1/passports/{passport.id}", passport.version)


@router.post("", status_code=201, response_model=PassportOut)
async def request_passport(
    body: PassportRequestIn, request: CreateRequest = create_request("passports:write")
) -> JSONResponse:
    """An application; refused with the reason when the holder is not entitled to the type."""
    make = partial(_request, body=body, ctx=request.ctx)
    return await request.create("POST /v1/passports", body, make)


@router.get("", response_model=Page[PassportOut])
async def list_passports(
    holder_id: str | None = Query(None, max_length=36),
    passport_type: pp.PassportType | None = None,
    status: str | None = Query(None, max_length=20),
    expiring: bool = Query(False, description="expires within the configured window"),
    return_overdue: bool = Query(False, description="due back and not returned in time"),
    page: PageRequest = Depends(page_request),
    principal: Principal = READ,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    t = tables.passports
    query = select(t)
    for column, value in (
        (t.c.holder_id, holder_id),
        (t.c.passport_type, passport_type),
        (t.c.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    window = ctx.settings.passport_expiry_window_days
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await passport_repository(session).page(query, page)
    if expiring:
        items = [p for p in items if p.expiring(today(), window)]
    if return_overdue:
        items = [p for p in items if p.return_overdue(today())]
    await _audited(ctx, principal, items, "GET /v1/passports")
    with_pii = PII_SCOPE in principal.scopes
    return {"items": [_out(p, with_pii, window) for p in items], "next_cursor": cursor}


@router.get("/{passport_id}", response_model=PassportOut)
async def get_passport(
    passport_id: str, principal: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> JSONResponse:
    async with ctx.db.unit_of_work(write=False) as session:
        passport = await passport_repository(session).get(passport_id)
    await _audited(ctx, principal, [passport], "GET /v1/passports/{id}")
    return _respond(ctx, passport, principal)


@router.post("/{passport_id}/issue", response_model=PassportOut)
async def issue_passport(
    passport_id: str,
    body: IssueIn,
    request: ChangeRequest = change_request("passports:write"),
    _: Principal = require_scope(PII_SCOPE),
) -> JSONResponse:
    """Number and dates of the issued document; the one of the same type in hand is cancelled.
    The number is personal data: submitting it needs ``passports:pii``."""
    passport = await usecases.issue_passport(
        request.writer, request.ctx.settings, passport_id,
        number=body.number, issued_on=body.issued_on, expires_on=body.expires_on,
        expected_version=request.expected_version,
        reader=reader(request.principal, "POST /v1/passports/{id}/issue"),
    )  # fmt: skip
    return _respond(request.ctx, passport, request.principal)


@router.post("/{passport_id}/transitions", response_model=PassportOut)
async def move_passport(
    passport_id: str,
    body: DatedTransition,
    request: ChangeRequest = change_request("passports:write"),
) -> JSONResponse:
    """``requested → approved → submitted → (issue) → handed_over``, or ``rejected``;
    ``handed_over → return_due (dismissal) → returned → cancelled``; ``lost``/``stolen`` →
    ``cancelled``; ``expired``."""
    passport = await usecases.move_passport(
        request.writer, passport_id, body.to, body.reason,
        on=body.on or today(), today=today(), expected_version=request.expected_version,
        reader=reader(request.principal, "POST /v1/passports/{id}/transitions"),
    )  # fmt: skip
    return _respond(request.ctx, passport, request.principal)


class MrzIn(StrictModel):
    line: str = Field(min_length=1, max_length=100, description="the MRZ's second line")


class MrzOut(BaseModel):
    valid: bool
    errors: list[str]
    document_number: str | None
    nationality: str | None
    birth_date: str | None
    sex: str | None
    expiry_date: str | None


@router.post("/mrz-check", response_model=MrzOut)
async def check_mrz(
    body: MrzIn, _: Principal = require_scope(PII_SCOPE), __: Principal = WRITE
) -> MrzOut:
    """Check every check digit of a TD3 MRZ line 2 during data entry (nothing is stored)."""
    return MrzOut(**vars(check_line2(body.line.strip().upper())))
