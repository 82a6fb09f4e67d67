"""``/v1/commissions``: intergovernmental commissions, their sessions, protocols and
decisions (each decision becomes an obligation)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query
from fastapi.responses import JSONResponse

from services.agreements import tables, usecases
from services.agreements.api.obligations import ObligationOut, obligations
from services.agreements.domain import commission as cm
from services.agreements.repository import list_where
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.http.examples import EXAMPLE_ID, with_examples
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import CountryCode, TransitionRequest, input_model

WRITE = change_request("agreements:write")

commissions = LifecycleResource(
    "commissions", "commission", cm.Commission, tables.commissions, scope="agreements",
    exclude=("sessions",),
    example={
        "partner_country": "LT",
        "name": {
            "ka": "საქართველო-ლიტვის მთავრობათაშორისი კომისია",
            "en": "Georgia-Lithuania Intergovernmental Commission",
        },
        "our_co_chair": "Deputy Minister Giorgi Kapanadze",
        "partner_co_chair": "Vice-Minister Rūta Petrauskienė",
    },
)  # fmt: skip
SessionNumber = Annotated[int, Path(ge=1, description="the session's number")]
router = commissions.router

SessionIn = with_examples(
    input_model(cm.Session, exclude=("protocol_status", "decisions")),
    {
        "number": 4,
        "held_on": "2026-10-14",
        "place": "Vilnius",
        "attendees": ["Deputy Minister Giorgi Kapanadze", "Vice-Minister Rūta Petrauskienė"],
        "protocol_items": [
            {
                "number": 1,
                "kind": "previous_decisions",
                "topic": "Decisions of the third session",
                "text": None,
            },
            {"number": 2, "kind": "topic", "topic": "Vocational education exchange", "text": None},
        ],
    },
)
DecisionIn = with_examples(
    input_model(cm.Decision, exclude=("id", "number", "obligation_id")),
    {
        "text": {"ka": "", "en": "Prepare a memorandum on vocational education exchange"},
        "responsible_unit": "International Relations and Protocol Department",
        "responsible_unit_id": EXAMPLE_ID,
        "deadline": "2027-03-31",
    },
)


@router.get("", response_model=Page[commissions.output], summary="List commissions")  # type: ignore[name-defined]
async def list_commissions(
    country: CountryCode | None = Query(None, description="only with this partner country"),
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("agreements:read"),
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    """The commissions in registration order."""
    async with ctx.db.unit_of_work(write=False) as session:
        repo = commissions.repo(session)
        items, cursor = await list_where(repo, page, partner_country=country)
    return {"items": [commissions.out(c) for c in items], "next_cursor": cursor}


@router.post(
    "/{commission_id}/sessions",
    status_code=201,
    response_model=commissions.output,
    summary="Record a session",
)
async def hold_session(
    commission_id: str,
    body: SessionIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """Item 1 of every protocol after the first is the previous session's decisions."""
    session = cm.Session.model_validate(dict(body))
    held = await commissions.change(request, commission_id, cm.hold_session, session)
    return commissions.respond(held, 201)


@router.post(
    "/{commission_id}/sessions/{number}/protocol/transitions",
    response_model=commissions.output,
    summary="Move a session's protocol",
)
async def transition_protocol(
    commission_id: str,
    number: SessionNumber,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """The session protocol: ``draft → agreed → signed``."""
    moved = await commissions.change(request, commission_id, cm.move_protocol, number, body.to)
    return commissions.respond(moved)


@router.post(
    "/{commission_id}/sessions/{number}/decisions",
    status_code=201,
    response_model=ObligationOut,
    summary="Record a decision",
)
async def take_decision(
    commission_id: str,
    number: SessionNumber,
    body: DecisionIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """The decision is recorded on the session and registered as an obligation."""
    decision = cm.Decision.model_validate(dict(body))
    obligation = await usecases.take_decision(
        request.writer, commission_id, number, decision, request.expected_version
    )
    return obligations.respond(obligation, 201)
