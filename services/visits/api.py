"""HTTP routes of the visits service: thin, they parse and delegate to the use cases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.visits import usecases
from services.visits.domain import LIFECYCLE, Visit
from services.visits.repository import VisitFilter, VisitRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.contracts.base import LocalizedText
from shared.http.conditional import etag, expected_version
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.types import BilingualText, CountryCode, ShortText, StrictModel, TransitionRequest

router = APIRouter(prefix="/v1/visits", tags=["visits"])

Kind = Literal["official", "working", "delegation"]
LeadLevel = Literal[
    "head_of_state",
    "head_of_government",
    "minister",
    "deputy_minister",
    "head_of_agency",
    "other",
]
Status = Literal[tuple(sorted(LIFECYCLE.states))]  # type: ignore[valid-type]


class VisitIn(StrictModel):
    direction: Literal["incoming", "outgoing"]
    kind: Kind
    lead_level: LeadLevel | None = None
    country_code: CountryCode | None = None
    organisation: ShortText | None = None
    title: BilingualText
    purpose: LocalizedText | None = None
    start_date: date | None = None
    end_date: date | None = None
    city: ShortText | None = None
    responsible_unit: ShortText | None = None
    responsible_officer: ShortText | None = None


class VisitOut(BaseModel):
    id: str
    direction: str
    kind: str
    lead_level: str | None
    country_code: str | None
    organisation: str | None
    title: LocalizedText
    purpose: LocalizedText | None
    start_date: date | None
    end_date: date | None
    city: str | None
    responsible_unit: str | None
    responsible_officer: str | None
    status: str
    status_reason: str | None
    allowed_transitions: list[str]
    version: int
    created_at: datetime
    updated_at: datetime


def _out(visit: Visit) -> VisitOut:
    fields = {name: getattr(visit, name) for name in VisitOut.model_fields if hasattr(visit, name)}
    return VisitOut(**fields, allowed_transitions=sorted(LIFECYCLE.allowed_from(visit.status)))


def _today() -> date:
    return datetime.now(UTC).date()


@router.post("", status_code=201, response_model=VisitOut)
async def create_visit(
    body: VisitIn,
    principal: Principal = require_scope("visits:write"),
    idempotency_key: str | None = Header(None),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    async def create(session):  # type: ignore[no-untyped-def]
        visit = await usecases.register_visit(session, ctx.outbox, **body.as_fields())
        return created(_out(visit), f"/v1/visits/{visit.id}", visit.version)

    assert ctx.idempotency is not None
    return await ctx.idempotency.create(
        principal=principal,
        key=idempotency_key,
        endpoint="POST /v1/visits",
        body=body,
        create=create,
    )


@router.get("", response_model=Page[VisitOut])
async def list_visits(
    status: Status | None = None,
    direction: Literal["incoming", "outgoing"] | None = None,
    kind: Kind | None = None,
    country_code: CountryCode | None = Query(None, alias="country"),
    starts_from: date | None = Query(None, alias="from", description="start date on or after"),
    starts_to: date | None = Query(None, alias="to", description="start date on or before"),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("visits:read"),
    ctx: ServiceContext = Depends(get_context),
) -> Page[VisitOut]:
    flt = VisitFilter(status, direction, kind, country_code, starts_from, starts_to)
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await VisitRepository(session).list(flt, page)
    return Page[VisitOut](items=[_out(v) for v in items], next_cursor=cursor)


@router.get("/{visit_id}", response_model=VisitOut)
async def get_visit(
    visit_id: str,
    _: Principal = require_scope("visits:read"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    async with ctx.db.unit_of_work(write=False) as session:
        visit = await VisitRepository(session).get(visit_id)
    return JSONResponse(_out(visit).model_dump(mode="json"), headers={"ETag": etag(visit.version)})


@router.post("/{visit_id}/transitions", response_model=VisitOut)
async def transition_visit(
    visit_id: str,
    body: TransitionRequest,
    if_match: str | None = Header(None),
    _: Principal = require_scope("visits:write"),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    assert ctx.outbox is not None
    async with ctx.db.unit_of_work() as session:
        visit = await usecases.transition_visit(
            session,
            ctx.outbox,
            visit_id,
            to=body.to,
            reason=body.reason,
            expected_version=expected_version(if_match),
            today=_today(),
        )
    return JSONResponse(_out(visit).model_dump(mode="json"), headers={"ETag": etag(visit.version)})
