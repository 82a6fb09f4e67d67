"""``/v1/commissions``: intergovernmental commissions, their sessions, protocols and
decisions (each decision becomes an obligation)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.responses import JSONResponse

from services.agreements import tables, usecases
from services.agreements.api.obligations import ObligationOut, obligations
from services.agreements.domain import commission as cm
from services.agreements.repository import list_where
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import CountryCode, TransitionRequest, input_model

WRITE = change_request("agreements:write")

commissions = LifecycleResource(
    "commissions", "commission", cm.Commission, tables.commissions, scope="agreements",
    exclude=("sessions",),
)  # fmt: skip
router = commissions.router

SessionIn = input_model(cm.Session, exclude=("protocol_status", "decisions"))
DecisionIn = input_model(cm.Decision, exclude=("id", "obligation_id"))


@router.get("", response_model=Page[commissions.output])  # type: ignore[name-defined]
async def list_commissions(
    country: CountryCode | None = None,
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("agreements:read"),
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    async with ctx.db.unit_of_work(write=False) as session:
        repo = commissions.repo(session)
        items, cursor = await list_where(repo, page, partner_country=country)
    return {"items": [commissions.out(c) for c in items], "next_cursor": cursor}


@router.post("/{aggregate_id}/sessions", status_code=201, response_model=commissions.output)
async def hold_session(
    aggregate_id: str,
    body: SessionIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """Item 1 of every protocol after the first is the previous session's decisions."""
    session = cm.Session.model_validate(dict(body))
    held = await commissions.change(request, aggregate_id, cm.hold_session, session)
    return commissions.respond(held, 201)


@router.post(
    "/{aggregate_id}/sessions/{number}/protocol/transitions", response_model=commissions.output
)
async def move_protocol(
    aggregate_id: str, number: int, body: TransitionRequest, request: ChangeRequest = WRITE
) -> JSONResponse:
    """The session protocol: ``draft → agreed → signed``."""
    moved = await commissions.change(request, aggregate_id, cm.move_protocol, number, body.to)
    return commissions.respond(moved)


@router.post(
    "/{aggregate_id}/sessions/{number}/decisions", status_code=201, response_model=ObligationOut
)
async def take_decision(
    aggregate_id: str,
    number: int,
    body: DecisionIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """The decision is recorded on the session and registered as an obligation."""
    decision = cm.Decision.model_validate(dict(body))
    obligation = await usecases.take_decision(
        request.writer, aggregate_id, number, decision, request.expected_version
    )
    return obligations.respond(obligation, 201)
