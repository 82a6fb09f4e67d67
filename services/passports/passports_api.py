"""HTTP routes for passports. The number is personal data: masked without ``passports:pii``,
and every unmasked read is audited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.passports import passports as pp
from services.passports import tables, usecases
from services.passports.domain import PII_SCOPE, mask_personal_number
from services.passports.mrz import check_line2
from services.passports.repository import HolderRepository
from shared import aggregates
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.documents import change_document
from shared.http.conditional import etag, expected_version
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import today
from shared.types import Day, StrictModel, TransitionRequest

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


async def _audit(
    session: AsyncSession, principal: Principal, passports: list[pp.Passport], endpoint: str
) -> None:
    """Record that ``principal`` is shown these passports' numbers (nothing without the scope,
    or when no number is issued yet)."""
    if PII_SCOPE in principal.scopes and any(p.number for p in passports):
        await HolderRepository(session).audit_personal_data_read(
            principal.subject, sorted({p.holder_id for p in passports if p.number}), endpoint
        )


async def _audited(
    ctx: ServiceContext, principal: Principal, passports: list[pp.Passport], endpoint: str
) -> None:
    if PII_SCOPE in principal.scopes and any(p.number for p in passports):
        async with ctx.db.unit_of_work() as session:
            await _audit(session, principal, passports, endpoint)


@router.post("", status_code=201, response_model=PassportOut)
async def request_passport(
    body: PassportRequestIn,
    principal: Principal = WRITE,
    idempotency_key: str | None = Header(None),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """An application; refused with the reason when the holder is not entitled to the type."""

    async def make(session):  # type: ignore[no-untyped-def]
        assert ctx.outbox is not None
        passport = await usecases.request_passport(
            session, ctx.outbox, ctx.settings, pp.Passport(**body.model_dump())
        )
        out = _out(passport, False, ctx.settings.passport_expiry_window_days)
        return created(out, f"/v1/passports/{passport.id}", passport.version)

    assert ctx.idempotency is not None
    return await ctx.idempotency.create(
        principal=principal, key=idempotency_key, endpoint="POST /v1/passports", body=body,
        create=make,
    )  # fmt: skip


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
        items, cursor = await usecases.passport_repo(session).page(query, page)
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
        passport = await usecases.passport_repo(session).get(passport_id)
    await _audited(ctx, principal, [passport], "GET /v1/passports/{id}")
    return _respond(ctx, passport, principal)


@router.post("/{passport_id}/issue", response_model=PassportOut)
async def issue_passport(
    passport_id: str,
    body: IssueIn,
    if_match: str | None = Header(None),
    principal: Principal = WRITE,
    _: Principal = require_scope(PII_SCOPE),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """Number and dates of the issued document; the one of the same type in hand is cancelled.
    The number is personal data: submitting it needs ``passports:pii``."""
    assert ctx.outbox is not None
    async with ctx.db.unit_of_work() as session:
        passport = await usecases.issue_passport(
            session, ctx.outbox, ctx.settings, passport_id,
            number=body.number, issued_on=body.issued_on, expires_on=body.expires_on,
            expected_version=expected_version(if_match),
        )  # fmt: skip
        await _audit(session, principal, [passport], "POST /v1/passports/{id}/issue")
    return _respond(ctx, passport, principal)


@router.post("/{passport_id}/transitions", response_model=PassportOut)
async def move_passport(
    passport_id: str,
    body: DatedTransition,
    if_match: str | None = Header(None),
    principal: Principal = WRITE,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """``requested → approved → submitted → (issue) → handed_over``, or ``rejected``;
    ``handed_over → return_due (dismissal) → returned → cancelled``; ``lost``/``stolen`` →
    ``cancelled``; ``expired``."""
    on = body.on or today()

    def step(p: pp.Passport) -> Any:
        if body.to == "handed_over":
            return pp.hand_over(p, on)
        if body.to == "returned":
            return pp.mark_returned(p, on)
        return aggregates.transition(p, body.to, body.reason, today())

    assert ctx.outbox is not None
    async with ctx.db.unit_of_work() as session:
        passport = await change_document(
            session, ctx.outbox, usecases.passport_repo(session), passport_id, step,
            expected_version(if_match),
        )  # fmt: skip
        await _audit(session, principal, [passport], "POST /v1/passports/{id}/transitions")
    return _respond(ctx, passport, principal)


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
