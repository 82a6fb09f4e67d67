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
from shared.errors import RuleViolation
from shared.http.conditional import etag
from shared.http.examples import EXAMPLE_ID, OTHER_ID, as_kept, examples
from shared.http.idempotency import created
from shared.http.openapi import REFERS
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.writes import ChangeRequest, Created, CreateRequest, change_request, create_request
from shared.types import Day, StrictModel, TransitionRequest
from shared.writes import UnitOfWork

router = APIRouter(prefix="/v1/passports", tags=["passports"])
READ, WRITE = require_scope("passports:read"), require_scope("passports:write")


class PassportRequestIn(StrictModel):
    """An application for a passport."""

    model_config = examples({"holder_id": EXAMPLE_ID, "passport_type": "diplomatic"})

    holder_id: str = Field(max_length=36, description="the holder's id")
    passport_type: pp.PassportType = Field(
        description="diplomatic or service; the holder's category must entitle to it"
    )


class IssueIn(StrictModel):
    """The document the issuing authority produced."""

    model_config = examples(
        {"number": "D1234567", "issued_on": "2026-12-01", "expires_on": "2031-11-30"}
    )

    number: str = Field(description="ICAO 9303: 1 to 9 characters, A-Z and 0-9 (personal data)")
    issued_on: Day = Field(description="date of issue, as printed")
    expires_on: Day = Field(description="date of expiry, as printed; after issued_on")


class DatedTransition(TransitionRequest):
    """A move of a passport, dated when it happened on another day than today; a hand-over
    out of the safe names the trip."""

    model_config = examples(
        {"to": "handed_over", "on": "2026-12-03", "trip_id": OTHER_ID, "trip_ends_on": "2026-12-09"}
    )

    on: Day | None = Field(None, description="hand-over or return date; default today")
    trip_id: str | None = Field(
        None, max_length=36, description="handed over for this trip (a business trip or visit)"
    )
    trip_ends_on: Day | None = Field(None, description="the trip's last day")

    def trip(self, return_days: int) -> pp.Trip | None:
        if self.trip_id is None and self.trip_ends_on is None:
            return None
        if self.trip_id is None or self.trip_ends_on is None:
            raise RuleViolation("a trip is named with both trip_id and trip_ends_on")
        return pp.Trip(self.trip_id, self.trip_ends_on, return_days)


class PassportOut(BaseModel):
    """A passport as the caller may see it: its number masked without passports:pii."""

    model_config = examples(
        as_kept(
            {"holder_id": OTHER_ID, "passport_type": "diplomatic"},
            status="handed_over",
            status_reason=None,
            allowed_transitions=["expired", "lost", "return_due", "stolen"],
            number="******67",
            personal_data_masked=True,
            issued_on="2026-12-01",
            expires_on="2031-11-30",
            handed_over_on="2026-12-03",
            return_due_by=None,
            returned_on=None,
            expiring_soon=False,
            return_overdue=False,
            in_safe_since=None,
            trip_id=None,
            trip_ends_on=None,
            safe_return_by=None,
            safe_return_overdue=False,
            version=5,
        )
    )

    id: str = Field(description="the passport's id (a UUID)")
    holder_id: str = Field(description="the holder's id")
    passport_type: str = Field(description="diplomatic or service")
    status: str = Field(
        description="requested, approved, submitted, rejected, issued, handed_over, in_safe, "
        "return_due, returned, cancelled, lost, stolen or expired"
    )
    status_reason: str | None = Field(description="why it was last moved, when given")
    allowed_transitions: list[str] = Field(description="where the lifecycle may go next")
    number: str | None = Field(description="masked without the passports:pii scope")
    personal_data_masked: bool = Field(description="true when number is withheld")
    issued_on: date | None = Field(description="date of issue, once issued")
    expires_on: date | None = Field(description="date of expiry, once issued")
    handed_over_on: date | None = Field(description="when the holder received it")
    return_due_by: date | None = Field(
        description="when it must be back with the office (after a dismissal)"
    )
    returned_on: date | None = Field(description="when the office got it back")
    expiring_soon: bool = Field(
        description="expires within IRP_PASSPORT_EXPIRY_WINDOW_DAYS from today"
    )
    return_overdue: bool = Field(description="due back before today and not returned")
    in_safe_since: date | None = Field(description="kept in the office's safe since")
    trip_id: str | None = Field(description="the trip it was last handed over for")
    trip_ends_on: date | None = Field(description="that trip's last day")
    safe_return_by: date | None = Field(description="due back in the safe by (after the trip)")
    safe_return_overdue: bool = Field(description="not back in the safe by safe_return_by")
    version: int = Field(description="how many changes it has had; its ETag")
    created_at: datetime = Field(description="when it was requested (UTC)")
    updated_at: datetime = Field(description="when it last changed (UTC)")


def _out(p: pp.Passport, with_pii: bool, window: int) -> PassportOut:
    number = p.number if with_pii or p.number is None else mask_personal_number(p.number)
    return PassportOut(
        **p.model_dump(
            exclude={
                "number",
                "expiring_notified",
                "return_overdue_notified",
                "safe_return_overdue_notified",
            }
        ),
        safe_return_overdue=p.safe_return_overdue(today()),
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


@router.post(
    "",
    status_code=201,
    response_model=PassportOut,
    responses=REFERS,
    summary="Apply for a passport",
)
async def request_passport(
    body: PassportRequestIn, request: CreateRequest = create_request("passports:write")
) -> JSONResponse:
    """An application; refused with the reason when the holder is not entitled to the type."""
    make = partial(_request, body=body, ctx=request.ctx)
    return await request.create("POST /v1/passports", body, make)


@router.get("", response_model=Page[PassportOut], summary="List passports")
async def list_passports(
    holder_id: str | None = Query(None, max_length=36, description="only this holder's"),
    passport_type: pp.PassportType | None = Query(None, description="only this type"),
    status: str | None = Query(None, max_length=20, description="only in this status"),
    expiring: bool = Query(False, description="expires within the configured window"),
    return_overdue: bool = Query(False, description="due back and not returned in time"),
    page: PageRequest = Depends(page_request),
    principal: Principal = READ,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    """Passports in application order, filtered. Numbers are masked without
    ``passports:pii``; with it, the read is recorded in the audit log."""
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


@router.get("/{passport_id}", response_model=PassportOut, summary="Read a passport")
async def get_passport(
    passport_id: str, principal: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> JSONResponse:
    """One passport; its number as for the list (masked, or shown and audited)."""
    async with ctx.db.unit_of_work(write=False) as session:
        passport = await passport_repository(session).get(passport_id)
    await _audited(ctx, principal, [passport], "GET /v1/passports/{id}")
    return _respond(ctx, passport, principal)


@router.post("/{passport_id}/issue", response_model=PassportOut, summary="Record the issue")
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


@router.post("/{passport_id}/transitions", response_model=PassportOut, summary="Move a passport")
async def transition_passport(
    passport_id: str,
    body: DatedTransition,
    request: ChangeRequest = change_request("passports:write"),
) -> JSONResponse:
    """``requested → approved → submitted → (issue) → handed_over``, or ``rejected``;
    ``handed_over → return_due (dismissal) → returned → cancelled``; ``lost``/``stolen`` →
    ``cancelled``; ``expired``. Safe-keeping: ``issued`` or ``handed_over → in_safe`` (kept
    by the office), ``in_safe → handed_over`` only for a trip (``trip_id``,
    ``trip_ends_on``): due back in the safe IRP_PASSPORT_SAFE_RETURN_DAYS after the trip,
    else overdue (``safe_return_overdue``, and a PassportSafeReturnOverdue event)."""
    settings = request.ctx.settings
    passport = await usecases.move_passport(
        request.writer, passport_id, body.to, body.reason,
        on=body.on or today(), today=today(), expected_version=request.expected_version,
        reader=reader(request.principal, "POST /v1/passports/{id}/transitions"),
        trip=body.trip(settings.passport_safe_return_days),
    )  # fmt: skip
    return _respond(request.ctx, passport, request.principal)


class MrzIn(StrictModel):
    """A machine-readable zone to check during data entry."""

    model_config = examples({"line": "D1234567<7GEO8004129F3111301<<<<<<<<<<<<<<00"})

    line: str = Field(min_length=1, max_length=100, description="the MRZ's second line")


class MrzOut(BaseModel):
    """What the line says, and whether every check digit holds."""

    model_config = examples(
        {
            "valid": True,
            "errors": [],
            "document_number": "D1234567",
            "nationality": "GEO",
            "birth_date": "800412",
            "sex": "F",
            "expiry_date": "311130",
        }
    )

    valid: bool = Field(description="true when the line is well formed and every digit holds")
    errors: list[str] = Field(description="each problem found, in English")
    document_number: str | None = Field(description="the passport number (fillers removed)")
    nationality: str | None = Field(description="ICAO 3-letter nationality code")
    birth_date: str | None = Field(description="YYMMDD, as in the MRZ")
    sex: str | None = Field(description="F, M or < (unspecified)")
    expiry_date: str | None = Field(description="YYMMDD, as in the MRZ")


@router.post("/mrz-check", response_model=MrzOut, summary="Check an MRZ line")
async def check_mrz(
    body: MrzIn, _: Principal = require_scope(PII_SCOPE), __: Principal = WRITE
) -> MrzOut:
    """Check every check digit of a TD3 MRZ line 2 during data entry (nothing is stored)."""
    return MrzOut(**vars(check_line2(body.line.strip().upper())))
